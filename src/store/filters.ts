import type { Dialect } from './db.js';

/** Filters shared by search and export: the same flag means the same thing everywhere. */
export interface PostFilters {
  page?: string;
  /** Part of the publisher's name, case-insensitive ("Mirror" finds The Mirror and Daily Mirror). */
  publisher?: string;
  /** Substring of a contributor's name, case-insensitive. */
  contributor?: string;
  /** The post's time (first publication, else last update) is at or after this UTC instant. */
  since?: Date;
  /** … and before this one. */
  until?: Date;
  kind?: 'liveblog' | 'article' | 'unknown';
}

/** Named SQL parameters for the filter clauses in queries (NULL = no filter). */
export function filterParams(f: PostFilters): Record<string, string | null> {
  return {
    f_page: f.page ?? null,
    f_publisher: f.publisher ?? null,
    f_contributor: f.contributor ? `%${f.contributor}%` : null,
    f_since: f.since?.toISOString() ?? null,
    f_until: f.until?.toISOString() ?? null,
    f_kind: f.kind ?? null,
  };
}

/** The page clauses of filterParams, over alias g (pages). */
export function pageFilterSql(d: Dialect): string {
  const [page, publisher, kind] = (['@f_page', '@f_publisher', '@f_kind'] as const).map((p) => d.typed(p, 'text'));
  return `(${page} IS NULL OR g.url = ${page})
  AND (${publisher} IS NULL OR g.publisher ${d.ilike} '%' || ${publisher} || '%')
  AND (${kind} IS NULL OR g.kind = ${kind})`;
}

/**
 * The WHERE clauses matching filterParams, over aliases g (pages), p (posts), v (post_versions).
 * The post's time is its first publication, else its last update.
 */
export function filterSql(d: Dialect): string {
  const [since, until] = (['@f_since', '@f_until'] as const).map((p) => d.typed(p, 'timestamptz'));
  const contributor = d.typed('@f_contributor', 'text');
  return `${pageFilterSql(d)}
  AND (${since} IS NULL OR COALESCE(p.published_at, v.updated_at) >= ${since})
  AND (${until} IS NULL OR COALESCE(p.published_at, v.updated_at) < ${until})
  AND (${contributor} IS NULL OR EXISTS (
    SELECT 1 FROM post_version_contributors fx JOIN contributors fc ON fc.id = fx.contributor_id
    WHERE fx.post_version_id = v.id AND fc.name ${d.ilike} ${contributor}))`;
}

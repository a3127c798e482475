import { basename, extname } from 'node:path';
import { SchemaError, UsageError } from '../errors.js';
import type { Archive } from './archive.js';

/**
 * The full-text index and, for each table or view Datasette should search with it, the column
 * equal to the index's rowid (a post version's id). The one place these names are written for
 * Datasette and sqlite-utils: when the index changes, change it here (test/store/datasette.test.ts
 * checks the names against a real archive).
 */
export const SEARCH_INDEX = {
  table: 'post_search',
  keys: { post_versions: 'id', latest_posts: 'version_id' },
} as const;

/** Columns that hold UTC times (ISO text, so they sort as text), per table or view. */
const TIME_COLUMNS: Record<string, string[]> = {
  latest_posts: ['published_at', 'updated_at', 'first_seen_at', 'last_seen_at', 'removed_at'],
  post_timeline: ['captured_at', 'updated_at'],
};

type TableConfig = Record<string, unknown>;

export interface DatasetteConfig {
  databases: Record<string, { tables: Record<string, TableConfig> }>;
}

const LATEST_POSTS_COLUMNS: Record<string, string> = {
  page_url: 'the page the post is on',
  post_id: "the publisher's id of the post within its page",
  version: 'the version this row shows (the latest); version_count: how many there are',
  published_at: 'first publication (UTC), when a capture showed it',
  updated_at: 'last update the page gave for this version (UTC)',
  display_time: 'the time as the page displayed it in its last capture ("7 min ago")',
  pinned: '1 when the last capture showed the post pinned',
  key_event: '1 when the publisher marked the post a key event',
  contributors: 'names credited, "; "-joined (contributor_names: the same as a JSON array)',
  first_seen_at: 'the first capture that showed the post',
  last_seen_at: 'the last capture that showed the post',
  removed_at: 'the first capture after the post disappeared (never deleted); empty while present',
  version_id: 'post_versions.id of this version: the rowid of the search index',
  kind: "the page's kind: liveblog, article or unknown",
};

/** The columns of a table or view (empty when there is none). */
function columnsOf(archive: Archive, table: string): string[] {
  return (archive.sqlite!.pragma(`table_xinfo(${JSON.stringify(table)})`) as Array<{ name: string }>).map((c) => c.name);
}

/** Datasette's name for a database file: the file name without its extension. */
export function datasetteName(path: string): string {
  return basename(path, extname(path));
}

/**
 * The configuration Datasette (datasette.yaml with -c; metadata.yaml with -m before 1.0) needs
 * to use an archive well: which index searches posts and by which key, facets, link labels,
 * sortable times and column descriptions. The names are checked against the archive first.
 */
export function datasetteConfig(archive: Archive): DatasetteConfig {
  if (!archive.sqlite) {
    throw new UsageError(`datasette-metadata: Datasette reads SQLite files; write one first (livearchive publish copy.db --db ${archive.path}) and describe that`);
  }
  const index = columnsOf(archive, SEARCH_INDEX.table);
  if (index.length === 0) throw new SchemaError(archive.path, `no search index ${SEARCH_INDEX.table} in this archive`);
  for (const [table, key] of Object.entries(SEARCH_INDEX.keys)) {
    if (!columnsOf(archive, table).includes(key)) throw new SchemaError(archive.path, `${table} has no column ${key} to join the search index`);
  }
  const search = (table: keyof typeof SEARCH_INDEX.keys): TableConfig => ({
    fts_table: SEARCH_INDEX.table,
    fts_pk: SEARCH_INDEX.keys[table],
    // The CLI's search syntax: phrases, OR, NOT, NEAR, prefix*, column filters.
    searchmode: 'raw',
  });
  return {
    databases: {
      [datasetteName(archive.path)]: {
        tables: {
          latest_posts: {
            ...search('latest_posts'),
            facets: ['publisher', 'page_url', 'kind', { array: 'contributor_names' }],
            sortable_columns: [...TIME_COLUMNS['latest_posts']!, 'version_count', 'media_count', 'publisher', 'page_url', 'headline'],
            sort_desc: 'published_at',
            columns: LATEST_POSTS_COLUMNS,
          },
          post_versions: {
            ...search('post_versions'),
            label_column: 'headline',
            facets: ['origin', 'key_event'],
            sort_desc: 'updated_at',
            columns: { post_id: 'the post (posts.id)', version: '1, 2, … in order of first capture', body_html: 'sanitized when archived' },
          },
          post_timeline: {
            facets: ['page_url', 'version', 'pinned'],
            sortable_columns: [...TIME_COLUMNS['post_timeline']!, 'position', 'version'],
            sort_desc: 'captured_at',
          },
          pages: { label_column: 'url', facets: ['publisher', 'kind'] },
          snapshots: {
            label_column: 'captured_at',
            facets: ['adapter_id', 'captured_at_source', 'origin', 'complete'],
            sort_desc: 'captured_at',
          },
          posts: { label_column: 'post_key' },
          contributors: { label_column: 'name' },
          media: { label_column: 'url', facets: ['kind', 'credit'] },
          http_checks: { facets: ['outcome', 'status'], sort_desc: 'checked_at' },
          // Gzipped page bytes: nothing to read in a browser.
          snapshot_raw: { hidden: true },
        },
      },
    },
  };
}

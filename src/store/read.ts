import type { Archive } from './archive.js';
import { Q, type PageRow, type PostStateRow, type SnapshotRow, type VersionRow } from './queries.js';
import { LiveArchiveError } from '../errors.js';
import type { Contributor, Media, Provenance, RenderInfo } from '../types.js';
import { normalizePageUrl } from '../parse/url.js';
import { filterParams, type PostFilters } from './filters.js';

export interface PageSummary {
  url: string;
  publisher: string | null;
  kind: string;
  title: string | null;
  snapshots: number;
  posts: number;
  removed: number;
  firstCapture: string;
  lastCapture: string;
}

export interface SnapshotInfo {
  capturedAt: string;
  source: string;
  sha256: string;
  postCount: number;
  adapter: string;
  warnings: string[];
  pageLinks: string[];
}

export interface PostVersion {
  version: number;
  firstSeenAt: string;
  lastSeenAt: string;
  url: string | null;
  headline: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  bodyText: string;
  bodyHtml: string;
  contributors: Contributor[];
  media: Media[];
  origin: string;
  keyEvent: boolean;
  snapshots: string[];
  /** Each capture that showed this version: its snapshot, the post's place on the page, pinned, display time. */
  sightings: Array<{ snapshotId: number; capturedAt: string; position: number; pinned: boolean; displayTime: string | null }>;
}

export interface PostRecord {
  id: string;
  url: string | null;
  headline: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  displayTime: string | null;
  bodyText: string;
  bodyHtml: string;
  contributors: Contributor[];
  media: Media[];
  origin: string;
  pinned: boolean;
  keyEvent: boolean;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  removedAt: string | null;
  versionCount: number;
  version: number;
  versions?: PostVersion[];
}

export interface PageRecord {
  url: string;
  canonicalUrl: string | null;
  publisher: string | null;
  kind: string;
  title: string | null;
  headline: string | null;
  language: string | null;
  keyPoints: string[];
  authors: string[];
  coverageStart: string | null;
  coverageEnd: string | null;
  snapshots: SnapshotInfo[];
  /** Iterated lazily, one post at a time, so exports stream. */
  posts: AsyncIterable<PostRecord>;
}

export async function listPages(archive: Archive): Promise<PageSummary[]> {
  return (await archive.db.all<Record<string, unknown>>(Q.listPages)).map((r) => ({
    url: r['url'] as string,
    publisher: r['publisher'] as string | null,
    kind: r['kind'] as string,
    title: r['title'] as string | null,
    snapshots: r['snapshots'] as number,
    posts: r['posts'] as number,
    removed: r['removed'] as number,
    firstCapture: r['first_capture'] as string,
    lastCapture: r['last_capture'] as string,
  }));
}

async function contributorsOf(archive: Archive, versionId: number): Promise<Contributor[]> {
  return (await archive.db.all<{ name: string; role: string }>(Q.versionContributors, [versionId])).map((c) => ({ name: c.name, role: c.role as Contributor['role'] }));
}

function mediaOf(archive: Archive, versionId: number): Promise<Media[]> {
  return archive.db.all<Media>(Q.versionMedia, [versionId]);
}

/** Where and how each capture showing a version showed it. */
async function sightingsOf(archive: Archive, versionId: number): Promise<Pick<PostVersion, 'snapshots' | 'sightings'>> {
  const rows = await archive.db.all<{ snapshot_id: number; captured_at: string; position: number; pinned: number; display_time: string | null }>(Q.versionSnapshots, [versionId]);
  return {
    snapshots: rows.map((s) => s.captured_at),
    sightings: rows.map((s) => ({ snapshotId: s.snapshot_id, capturedAt: s.captured_at, position: s.position, pinned: s.pinned === 1, displayTime: s.display_time })),
  };
}

async function versionsOf(archive: Archive, postId: number): Promise<PostVersion[]> {
  const versions: PostVersion[] = [];
  for (const v of await archive.db.all<VersionRow>(Q.postVersions, [postId])) {
    versions.push({
      version: v.version,
      firstSeenAt: v.first_seen_at,
      lastSeenAt: v.last_seen_at,
      url: v.url,
      headline: v.headline,
      publishedAt: v.published_at,
      updatedAt: v.updated_at,
      bodyText: v.body_text,
      bodyHtml: v.body_html,
      contributors: await contributorsOf(archive, v.version_id),
      media: await mediaOf(archive, v.version_id),
      origin: v.origin,
      keyEvent: v.key_event === 1,
      ...await sightingsOf(archive, v.version_id),
    });
  }
  return versions;
}

async function toPost(archive: Archive, r: PostStateRow, history: boolean): Promise<PostRecord> {
  return {
    id: r.post_key,
    url: r.url,
    headline: r.headline,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    displayTime: r.display_time,
    bodyText: r.body_text,
    bodyHtml: r.body_html,
    contributors: r.contributors_json?.map((c) => ({ name: c.name, role: c.role as Contributor['role'] })) ?? await contributorsOf(archive, r.version_id),
    media: r.media_json as Media[] | undefined ?? await mediaOf(archive, r.version_id),
    origin: r.origin,
    pinned: r.pinned === 1,
    keyEvent: r.key_event === 1,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    removedAt: r.removed_at,
    versionCount: r.version_count,
    version: r.version,
    ...(history ? { versions: await versionsOf(archive, r.post_id) } : {}),
  };
}

async function* postsOf(archive: Archive, pageId: number, history: boolean, filters: PostFilters = {}): AsyncIterable<PostRecord> {
  for await (const row of archive.db.iterate<PostStateRow>(Q.latestPosts, { page_id: pageId, ...filterParams(filters) })) yield toPost(archive, row, history);
}

async function toPage(archive: Archive, p: PageRow, history: boolean, filters: PostFilters): Promise<PageRecord> {
  return {
    url: p.url,
    canonicalUrl: p.canonical_url,
    publisher: p.publisher,
    kind: p.kind,
    title: p.title,
    headline: p.headline,
    language: p.language,
    keyPoints: JSON.parse(p.key_points) as string[],
    authors: JSON.parse(p.authors) as string[],
    coverageStart: p.coverage_start,
    coverageEnd: p.coverage_end,
    snapshots: (await archive.db.all<SnapshotRow>(Q.pageSnapshots, [p.id])).map((s) => ({
      capturedAt: s.captured_at,
      source: s.source,
      sha256: s.sha256,
      postCount: s.post_count,
      adapter: `${s.adapter_id}@${s.adapter_version}`,
      warnings: JSON.parse(s.warnings) as string[],
      pageLinks: JSON.parse(s.page_links) as string[],
    })),
    posts: postsOf(archive, p.id, history, filters),
  };
}

/** A page by its URL (fragment ignored); a clear error naming the URL when it is not archived. */
export async function findPage(archive: Archive, url: string): Promise<PageRow> {
  // The page's own URL, or one it was fetched or read from (stored under its canonical URL).
  const { db } = archive;
  const page = await db.get<PageRow>(Q.pageByUrl, [normalizePageUrl(url)]) ?? await db.get<PageRow>(Q.pageByUrl, [url]) ?? await db.get<PageRow>(Q.pageBySource, [url, url, url]);
  if (!page) throw new LiveArchiveError('E_INPUT', 'no such page in the archive (see `livearchive pages`)', { subject: url });
  return page;
}

export interface ReadOptions extends PostFilters {
  history?: boolean;
}

/**
 * Pages with their snapshots and (lazily) their posts' latest state, optionally with every
 * version; the filters choose pages (page, publisher, kind) and posts (time, contributor).
 */
export async function iteratePages(archive: Archive, options: ReadOptions = {}): Promise<AsyncIterable<PageRecord>> {
  // Resolved now, not on first iteration: an unknown page fails before any output is written.
  const page = options.page ? (await findPage(archive, options.page)).url : undefined;
  const filters: PostFilters = { ...options, ...(page ? { page } : {}) };
  const rows = await archive.db.all<PageRow>(Q.allPages, filterParams(filters));
  return (async function* pages() {
    for (const p of rows) yield toPage(archive, p, options.history ?? false, filters);
  })();
}

/** Every item of an async iterable, in order. */
export async function gather<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The latest state of a page's posts, newest first (removed posts last). */
export async function listPosts(archive: Archive, url: string): Promise<PostRecord[]> {
  const page = await findPage(archive, url);
  return gather(postsOf(archive, page.id, false));
}

/** The snapshots of a page, oldest first. */
export async function pageSnapshots(archive: Archive, url: string): Promise<SnapshotRow[]> {
  return archive.db.all<SnapshotRow>(Q.pageSnapshots, [(await findPage(archive, url)).id]);
}

/** The posts one snapshot showed, in its order, each in the version it showed. */
export async function snapshotPosts(archive: Archive, snapshotId: number): Promise<PostRecord[]> {
  const posts: PostRecord[] = [];
  for (const r of await archive.db.all<PostStateRow>(Q.snapshotPosts, [snapshotId])) posts.push(await toPost(archive, r, false));
  return posts;
}

/** The page as it stood at a moment: the posts of the latest capture taken at or before it. */
export async function postsAt(archive: Archive, url: string, at: Date): Promise<PostRecord[]> {
  const iso = at.toISOString();
  const snapshot = (await pageSnapshots(archive, url)).filter((s) => s.captured_at <= iso).at(-1);
  if (!snapshot) throw new LiveArchiveError('E_INPUT', `no capture of this page at or before ${iso}`, { subject: url });
  return snapshotPosts(archive, snapshot.id);
}

/** The URL of the page a source (a file, or a URL as fetched) was last archived as, if any. */
export async function pageOfSource(archive: Archive, source: string): Promise<string | null> {
  return (await archive.db.get<PageRow>(Q.pageBySource, [source, source, source]))?.url ?? null;
}

/** The coverage end of the page a source (file or URL) was last archived as, if the page gives one. */
export async function coverageEndFor(archive: Archive, source: string): Promise<string | null> {
  return (await archive.db.get<{ coverage_end: string | null }>(Q.coverageEndBySource, [source, source]))?.coverage_end ?? null;
}

export interface SnapshotSummary {
  id: number;
  capturedAt: string;
  sha256: string;
  posts: number;
  adapter: string;
  source: string;
  httpStatus: number | null;
  warnings: number;
  /** How a capture rendered in a browser was taken (`--render`); null for the server's own bytes. */
  render: RenderInfo | null;
}

/** A page's snapshots, oldest first, with the ids and hashes diff --from/--to accept. */
export async function listSnapshots(archive: Archive, url: string): Promise<SnapshotSummary[]> {
  return (await pageSnapshots(archive, url) as Array<SnapshotRow & { http_status: number | null; provenance: string | null }>).map((s) => ({
    id: s.id, capturedAt: s.captured_at, sha256: s.sha256, posts: s.post_count, adapter: `${s.adapter_id}@${s.adapter_version}`,
    source: s.source, httpStatus: s.http_status, warnings: (JSON.parse(s.warnings) as string[]).length,
    render: s.provenance === null ? null : (JSON.parse(s.provenance) as Provenance).render ?? null,
  }));
}

/** Every version of one post of a page, oldest first, with the captures that showed each. */
export async function postVersionsOf(archive: Archive, url: string, id: string): Promise<PostVersion[]> {
  const page = await findPage(archive, url);
  const post = await archive.db.get<{ id: number }>(Q.postByKey, [page.id, id]);
  if (!post) throw new LiveArchiveError('E_INPUT', 'no such post on this page', { subject: id });
  return versionsOf(archive, post.id);
}

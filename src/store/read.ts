import type { Archive } from './archive.js';
import type { PageRow, PostStateRow, SnapshotRow, VersionRow } from './queries.js';
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
  posts: Iterable<PostRecord>;
}

export function listPages(archive: Archive): PageSummary[] {
  return archive.q.listPages.all().map((r) => ({
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

function contributorsOf(archive: Archive, versionId: number): Contributor[] {
  return archive.q.versionContributors.all(versionId).map((c) => ({ name: c.name, role: c.role as Contributor['role'] }));
}

function mediaOf(archive: Archive, versionId: number): Media[] {
  return archive.q.versionMedia.all(versionId) as unknown as Media[];
}

/** Where and how each capture showing a version showed it. */
function sightingsOf(archive: Archive, versionId: number): Pick<PostVersion, 'snapshots' | 'sightings'> {
  const rows = archive.q.versionSnapshots.all(versionId);
  return {
    snapshots: rows.map((s) => s.captured_at),
    sightings: rows.map((s) => ({ snapshotId: s.snapshot_id, capturedAt: s.captured_at, position: s.position, pinned: s.pinned === 1, displayTime: s.display_time })),
  };
}

function versionsOf(archive: Archive, postId: number): PostVersion[] {
  return archive.q.postVersions.all(postId).map((v: VersionRow) => ({
    version: v.version,
    firstSeenAt: v.first_seen_at,
    lastSeenAt: v.last_seen_at,
    url: v.url,
    headline: v.headline,
    publishedAt: v.published_at,
    updatedAt: v.updated_at,
    bodyText: v.body_text,
    bodyHtml: v.body_html,
    contributors: contributorsOf(archive, v.version_id),
    media: mediaOf(archive, v.version_id),
    origin: v.origin,
    keyEvent: v.key_event === 1,
    ...sightingsOf(archive, v.version_id),
  }));
}

function toPost(archive: Archive, r: PostStateRow, history: boolean): PostRecord {
  return {
    id: r.post_key,
    url: r.url,
    headline: r.headline,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    displayTime: r.display_time,
    bodyText: r.body_text,
    bodyHtml: r.body_html,
    contributors: contributorsOf(archive, r.version_id),
    media: mediaOf(archive, r.version_id),
    origin: r.origin,
    pinned: r.pinned === 1,
    keyEvent: r.key_event === 1,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    removedAt: r.removed_at,
    versionCount: r.version_count,
    version: r.version,
    ...(history ? { versions: versionsOf(archive, r.post_id) } : {}),
  };
}

function* postsOf(archive: Archive, pageId: number, history: boolean, filters: PostFilters = {}): Iterable<PostRecord> {
  for (const row of archive.q.latestPosts.iterate({ page_id: pageId, ...filterParams(filters) })) yield toPost(archive, row, history);
}

function toPage(archive: Archive, p: PageRow, history: boolean, filters: PostFilters): PageRecord {
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
    snapshots: archive.q.pageSnapshots.all(p.id).map((s) => ({
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
export function findPage(archive: Archive, url: string): PageRow {
  // The page's own URL, or one it was fetched or read from (stored under its canonical URL).
  const page = archive.q.pageByUrl.get(normalizePageUrl(url)) ?? archive.q.pageByUrl.get(url) ?? archive.q.pageBySource.get(url, url, url);
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
export function iteratePages(archive: Archive, options: ReadOptions = {}): Iterable<PageRecord> {
  // Resolved now, not on first iteration: an unknown page fails before any output is written.
  const page = options.page ? findPage(archive, options.page).url : undefined;
  const filters: PostFilters = { ...options, ...(page ? { page } : {}) };
  const rows = archive.q.allPages.all(filterParams(filters));
  return (function* pages() {
    for (const p of rows) yield toPage(archive, p, options.history ?? false, filters);
  })();
}

/** The latest state of a page's posts, newest first (removed posts last). */
export function listPosts(archive: Archive, url: string): PostRecord[] {
  const page = findPage(archive, url);
  return [...postsOf(archive, page.id, false)];
}

/** The snapshots of a page, oldest first. */
export function pageSnapshots(archive: Archive, url: string): SnapshotRow[] {
  return archive.q.pageSnapshots.all(findPage(archive, url).id);
}

/** The posts one snapshot showed, in its order, each in the version it showed. */
export function snapshotPosts(archive: Archive, snapshotId: number): PostRecord[] {
  return archive.q.snapshotPosts.all(snapshotId).map((r) => toPost(archive, r, false));
}

/** The page as it stood at a moment: the posts of the latest capture taken at or before it. */
export function postsAt(archive: Archive, url: string, at: Date): PostRecord[] {
  const iso = at.toISOString();
  const snapshot = pageSnapshots(archive, url).filter((s) => s.captured_at <= iso).at(-1);
  if (!snapshot) throw new LiveArchiveError('E_INPUT', `no capture of this page at or before ${iso}`, { subject: url });
  return snapshotPosts(archive, snapshot.id);
}

/** The coverage end of the page a source (file or URL) was last archived as, if the page gives one. */
export function coverageEndFor(archive: Archive, source: string): string | null {
  return archive.q.coverageEndBySource.get(source, source)?.coverage_end ?? null;
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
export function listSnapshots(archive: Archive, url: string): SnapshotSummary[] {
  return (pageSnapshots(archive, url) as Array<SnapshotRow & { http_status: number | null; provenance: string | null }>).map((s) => ({
    id: s.id, capturedAt: s.captured_at, sha256: s.sha256, posts: s.post_count, adapter: `${s.adapter_id}@${s.adapter_version}`,
    source: s.source, httpStatus: s.http_status, warnings: (JSON.parse(s.warnings) as string[]).length,
    render: s.provenance === null ? null : (JSON.parse(s.provenance) as Provenance).render ?? null,
  }));
}

/** Every version of one post of a page, oldest first, with the captures that showed each. */
export function postVersionsOf(archive: Archive, url: string, id: string): PostVersion[] {
  const page = findPage(archive, url);
  const post = archive.q.postByKey.get(page.id, id);
  if (!post) throw new LiveArchiveError('E_INPUT', 'no such post on this page', { subject: id });
  return versionsOf(archive, post.id);
}

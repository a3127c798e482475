import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { snapshotWarnings } from '../parse/capture-time.js';
import { mergePages } from '../parse/merge.js';
import { normalizePageUrl } from '../parse/url.js';
import type { ParseOptions } from '../parse/index.js';
import type { Capture, Media, ParsedPage, Post, Provenance, RenderInfo } from '../types.js';
import { archiveError, type Archive } from './archive.js';
import type { Db, Params, Sql } from './db.js';
import type { PageRow } from './queries.js';
import { Q } from './queries.js';
import { writeRawParts } from './raw.js';

/** Bumped when parsing changes in a way that makes re-parsing old snapshots worthwhile. */
export const PARSER_VERSION = '2';

export interface PostCounts {
  total: number;
  new: number;
  edited: number;
  removed: number;
  /** Missing from an incomplete capture: not counted as removed, and not marked so. */
  notShown?: number;
}

export interface IngestOutcome {
  source: string;
  status: 'new' | 'unchanged';
  page: string;
  kind: string;
  capturedAt: string;
  capturedAtSource: Capture['capturedAtSource'];
  adapter: string | null;
  sha256: string;
  posts: PostCounts | null;
  warnings: string[];
  snapshotId?: number;
  pageId?: number;
  /** How the capture was rendered, when it was (`--render`). */
  render?: RenderInfo;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function hashJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * What makes two captures of a post the same version. The display time ("7 min ago") and
 * the pinned flag change without the post changing, so they live on the snapshot. The
 * first-publication time is a fact about the post, not its content, and structured data
 * often shows it only while the post is among the newest: it is kept per post instead.
 */
export function contentHash(p: Post): string {
  return hashJson([p.url, p.headline, p.bodyText, p.bodyHtml, p.updatedAt, p.origin, p.keyEvent,
    p.contributors.map((c) => [c.name, c.role]), p.media.map(mediaFields)]);
}

function mediaFields(m: Media): unknown[] {
  return [m.kind, m.url, m.name, m.alt, m.caption, m.credit, m.description, m.duration, m.thumbnail];
}

function fallbackUrl(capture: Capture, sha: string): string {
  return capture.origin === 'file' ? pathToFileURL(resolve(capture.source)).href : `urn:livearchive:sha256:${sha}`;
}

function unchanged(capture: Capture, sha: string, known: Known): IngestOutcome {
  return {
    source: capture.source, status: 'unchanged', page: known.url, kind: '', capturedAt: known.captured_at, capturedAtSource: capture.capturedAtSource,
    adapter: null, sha256: sha, posts: null, warnings: [], ...(known.id === undefined ? {} : { snapshotId: known.id }),
  };
}

/** The snapshot already holding a capture: its page, its time and (when known) its id. */
type Known = { url: string; captured_at: string; id?: number };

/**
 * The snapshot that already holds this capture, if any: the same bytes (of the page named
 * with --url; without it, of a page not archived under a --url, so no parse is needed) that
 * are the same capture — same time, or same file — or that the page showed in its capture just
 * before this one (nothing changed). A file's modification time is weak evidence of when it
 * was captured (a copy of an old capture is timed when it was copied): bytes the page already
 * has, timed only so, are that capture again, wherever the file is. Bytes seen again after the
 * page changed, at a time known from the capture itself (HTTP, WARC-Date, an archive's
 * timestamp, --captured-at), are a revert, and bytes seen earlier than first archived are an
 * earlier capture: both make a new snapshot.
 */
async function knownSnapshot(db: Db, sha: string, pageUrl: string | undefined, capture: Capture): Promise<Known | undefined> {
  const all = await db.all<Known & { id: number; page_id: number; source: string; url_from: string }>(Q.snapshotsBySha, [sha]);
  const matches = pageUrl ? all.filter((s) => s.url === normalizePageUrl(pageUrl)) : all.filter((s) => s.url_from !== 'option');
  const first = matches[0];
  if (!first) return undefined;
  const at = capture.capturedAt.toISOString();
  const weak = capture.capturedAtSource === 'mtime';
  const same = matches.find((s) => s.captured_at === at || (weak && s.source === capture.source)) ?? (weak ? first : undefined);
  if (same) return same;
  const before = await db.get<{ id: number; sha256: string; captured_at: string }>(Q.snapshotAtOrBefore, [first.page_id, at]);
  return before?.sha256 === sha ? { url: first.url, captured_at: before.captured_at, id: before.id } : undefined;
}

/**
 * A live blog followed over several pages is unchanged when its newest page is byte for byte
 * the first part of a snapshot already archived: then its older pages need no fetching.
 */
export async function unchangedFirstPage(archive: Archive, capture: Capture): Promise<IngestOutcome | undefined> {
  const known = await archive.db.get<{ id: number; sha256: string; url: string; captured_at: string; page_id: number }>(Q.rawPartBySha, [sha256(capture.bytes)]);
  if (!known) return undefined;
  // Only when that snapshot is the page's capture just before this one: otherwise a revert.
  const before = await archive.db.get<{ sha256: string }>(Q.snapshotAtOrBefore, [known.page_id, capture.capturedAt.toISOString()]);
  return before?.sha256 === known.sha256 ? unchanged(capture, known.sha256, known) : undefined;
}

/** Record an HTTP check of a URL: its status, what it led to, and the validators for next time. */
export async function recordCheck(archive: Archive, check: { url: string; checkedAt: Date; status: number | null; outcome: 'new' | 'unchanged' | 'not-modified' | 'failed'; headers?: Record<string, string>; pageUrl?: string | null; snapshotId?: number | null; error?: string | null; provenance?: Provenance }): Promise<void> {
  const pageId = check.pageUrl ? (await archive.db.get<{ id: number }>(Q.pageByUrl, [check.pageUrl]))?.id ?? null : null;
  await archive.db.run(Q.insertCheck, {
    url: check.url, page_id: pageId, checked_at: check.checkedAt.toISOString(), status: check.status, outcome: check.outcome,
    etag: check.headers?.['etag'] ?? null, last_modified: check.headers?.['last-modified'] ?? null,
    snapshot_id: check.snapshotId ?? null, error: check.error ?? null,
    provenance: check.provenance ? JSON.stringify(check.provenance) : null,
  });
}

/** Validators from the last successful check of a URL, for a conditional request. */
export async function validatorsFor(archive: Archive, url: string): Promise<{ etag: string | null; lastModified: string | null }> {
  const row = await archive.db.get<{ etag: string | null; last_modified: string | null }>(Q.lastValidators, [url]);
  return { etag: row?.etag ?? null, lastModified: row?.last_modified ?? null };
}

export interface StoreOptions extends ParseOptions {
  /** Keep the page bytes (delta-encoded, see raw.ts) for `reparse`; default true. */
  raw?: boolean;
}

/** The hash a snapshot is known by: of its bytes, or of its parts' hashes for a multi-page blog. */
function snapshotHash(captures: Capture[]): string {
  if (captures.length === 1) return sha256(captures[0]!.bytes);
  return sha256(Buffer.from(captures.map((c) => sha256(c.bytes)).join('\n')));
}

/**
 * The outcome for a capture (or a live blog's pages fetched together, newest first) that is
 * already archived: the same bytes again change nothing. Needs no parser, so an unchanged
 * capture is recognised before one is even loaded.
 */
export async function knownCapture(archive: Archive, captures: Capture[]): Promise<IngestOutcome | undefined> {
  const main = captures[0]!;
  const sha = snapshotHash(captures);
  const known = await knownSnapshot(archive.db, sha, main.url, main);
  return known ? unchanged(main, sha, known) : undefined;
}

/** The lock that writers of one page take, on every machine: ingest and reparse of a page go one at a time. */
export function pageLock(url: string): string {
  return `livearchive page ${url}`;
}

/**
 * Archive a capture and its parsed pages (one per capture): the snapshot, its posts and their
 * versions are written in one transaction, so a failure leaves the archive exactly as it was.
 * Writers of the same page (other processes, other machines) wait for each other's transaction.
 */
export async function storeCaptures(archive: Archive, captures: Capture[], pages: ParsedPage[], options: StoreOptions = {}): Promise<IngestOutcome> {
  const main = captures[0]!;
  const sha = snapshotHash(captures);
  const parsed = mergePages(pages);
  const url = parsed.url ?? fallbackUrl(main, sha);
  try {
    return await archive.db.transaction((tx) => writeSnapshot({ ...archive, db: tx }, captures, parsed, url, sha, options.raw ?? true), { lock: pageLock(url) });
  } catch (err) {
    throw archiveError(archive.path, err);
  }
}

export function pageFields(parsed: ParsedPage, url: string): Record<string, unknown> {
  return {
    url,
    canonical_url: parsed.canonicalUrl,
    publisher: parsed.publisher,
    kind: parsed.kind,
    title: parsed.title,
    headline: parsed.headline,
    language: parsed.language,
    key_points: JSON.stringify(parsed.keyPoints),
    authors: JSON.stringify(parsed.authors),
    coverage_start: parsed.coverageStart,
    coverage_end: parsed.coverageEnd,
  };
}

/**
 * Whether a capture can show that a post was removed: not a damaged page, and not a live blog
 * that suddenly shows no posts or no longer reads as one (an error page, a consent wall).
 */
function isComplete(parsed: ParsedPage, wasLiveBlog: boolean): boolean {
  if (parsed.warnings.some((w) => w.includes('truncated'))) return false;
  const live = parsed.kind === 'liveblog' && parsed.posts.length > 0;
  return live || (!wasLiveBlog && parsed.kind !== 'liveblog');
}

async function writeSnapshot(archive: Archive, captures: Capture[], parsed: ParsedPage, url: string, sha: string, raw: boolean): Promise<IngestOutcome> {
  const { db } = archive;
  const capture = captures[0]!;
  const capturedAt = capture.capturedAt.toISOString();
  // Another process may have archived the same bytes since the check outside the transaction.
  const raced = await knownSnapshot(db, sha, url, capture);
  if (raced) return unchanged(capture, sha, raced);

  const existing = await db.get<PageRow>(Q.pageByUrl, [url]);
  const pageId = existing ? existing.id : (await db.get<{ id: number }>(Q.insertPage, pageFields(parsed, url)))!.id;
  const complete = isComplete(parsed, existing?.kind === 'liveblog');
  const fetch = capture.fetch;
  const inserted = await db.get<{ id: number }>(Q.insertSnapshot, {
    page_id: pageId,
    sha256: sha,
    captured_at: capturedAt,
    captured_at_source: capture.capturedAtSource,
    source: capture.source,
    origin: capture.origin,
    saved_from_url: parsed.savedFromUrl,
    byte_count: captures.reduce((n, c) => n + c.bytes.length, 0),
    encoding: parsed.encoding,
    adapter_id: parsed.adapter.id,
    adapter_version: parsed.adapter.version,
    parser_version: PARSER_VERSION,
    kind: parsed.kind,
    title: parsed.title,
    headline: parsed.headline,
    key_points: JSON.stringify(parsed.keyPoints),
    post_count: parsed.posts.length,
    warnings: JSON.stringify(snapshotWarnings(parsed.warnings)),
    page_links: JSON.stringify(parsed.pageLinks),
    ingested_at: new Date().toISOString(),
    url_from: capture.url ? 'option' : 'page',
    page_count: captures.length,
    complete: complete ? 1 : 0,
    requested_url: fetch?.requestedUrl ?? null,
    final_url: fetch?.finalUrl ?? null,
    http_status: fetch?.status ?? null,
    http_headers: fetch ? JSON.stringify(fetch.headers) : null,
    fetch_ms: fetch?.durationMs ?? null,
    provenance: capture.provenance ? JSON.stringify(capture.provenance) : null,
    warc_record_id: capture.provenance?.warc?.recordId ?? null,
    archive_url: capture.provenance?.archive?.url ?? null,
  });
  // The page, its time and bytes already stored by another writer (the unique key held).
  if (!inserted) return unchanged(capture, sha, await knownSnapshot(db, sha, url, capture) ?? { url, captured_at: capturedAt });
  const snapshotId = inserted.id;
  if (raw) await writeRawParts(archive, snapshotId, captures);
  const written = await writePosts(db, pageId, snapshotId, capturedAt, parsed.posts);
  const counts = complete ? written : { ...written, removed: 0, notShown: written.removed };
  if ((await db.get<{ id: number }>(Q.latestSnapshot, [pageId]))?.id === snapshotId && existing) await db.run(Q.updatePage, { ...pageFields(parsed, url), id: pageId });

  return {
    source: capture.source, status: 'new', page: url, kind: parsed.kind, capturedAt,
    capturedAtSource: capture.capturedAtSource, adapter: `${parsed.adapter.id}@${parsed.adapter.version}`,
    sha256: sha, posts: counts, warnings: snapshotWarnings(parsed.warnings, snapshotId), snapshotId, pageId,
  };
}

/**
 * The ids a page's posts and versions had before `reparse` rebuilt them. Search lists versions
 * most recently archived first, by id (the index's own order): a rebuilt version keeps its id —
 * the version with the same content, else the one the same capture first showed — so that the
 * order stays the one in which they were archived. Each id is given once.
 */
export interface KeptIds {
  post(key: string): number | undefined;
  version(postKey: string, contentHash: string, firstSnapshotId: number): number | undefined;
}

/**
 * The posts a snapshot showed: post rows, versions (created when their content is new), and
 * the derived first/last-seen, removal and numbering, recomputed for the whole page. Counts
 * compare with the capture just before this one.
 */
export async function writePosts(db: Db, pageId: number, snapshotId: number, capturedAt: string, posts: Post[], kept?: KeptIds): Promise<PostCounts> {
  const previous = await db.get<{ id: number }>(Q.latestSnapshotBefore, [pageId, capturedAt, snapshotId]);
  const shown = previous ? await db.all<{ post_id: number; post_version_id: number }>(Q.snapshotPostVersions, [previous.id]) : [];
  const before = new Map(shown.map((r) => [r.post_id, r.post_version_id]));
  const counts: PostCounts = { total: 0, new: 0, edited: 0, removed: 0 };
  const seen = new Set<number>();

  // A post shown twice counts where it is shown first (a pinned copy at the top).
  const first = new Map<string, number>();
  posts.forEach((post, position) => first.has(post.id) || first.set(post.id, position));
  // Bottom of the page first: a live blog lists its newest post at the top, so new posts and
  // versions get ids in the order they were published, and search (newest first, by version
  // id) shows a capture's posts newest first too.
  for (let position = posts.length - 1; position >= 0; position--) {
    const post = posts[position]!;
    if (first.get(post.id) !== position) continue;
    const keptPost = kept?.post(post.id);
    const postId = (await db.get<{ id: number }>(Q.postByKey, [pageId, post.id]))?.id
      ?? (await db.get<{ id: number }>(keptPost === undefined ? Q.insertPost : Q.insertPostAs, keptPost === undefined ? [pageId, post.id] : [keptPost, pageId, post.id]))!.id;
    seen.add(postId);
    const was = before.get(postId);
    const versionId = await versionFor(db, postId, post, snapshotId, kept);
    await db.run(Q.insertSnapshotPost, {
      snapshot_id: snapshotId, post_id: postId, post_version_id: versionId, position,
      pinned: post.pinned ? 1 : 0, display_time: post.displayTime,
    });
    counts.total++;
    if (was === undefined) counts.new++;
    else if (was !== versionId) counts.edited++;
  }
  for (const postId of before.keys()) if (!seen.has(postId)) counts.removed++;

  await db.run(Q.renumberVersions, [pageId]);
  await db.run(Q.recomputePosts, [pageId]);
  await db.run(Q.recomputeRemoved, [pageId]);
  return counts;
}

/** The version row for this content of the post, created (with contributors and media) if new. */
async function versionFor(db: Db, postId: number, post: Post, snapshotId: number, kept: KeptIds | undefined): Promise<number> {
  const hash = contentHash(post);
  const found = await db.get<{ id: number }>(Q.versionByHash, [postId, hash]);
  if (found) {
    if (post.publishedAt !== null) await db.run(Q.notePublishedAt, { at: post.publishedAt, id: found.id });
    return found.id;
  }
  const id = kept?.version(post.id, hash, snapshotId);
  const versionId = (await db.get<{ id: number }>(id === undefined ? Q.insertVersion : Q.insertVersionAs, {
    ...(id === undefined ? {} : { id }),
    post_id: postId,
    version: (await db.get<{ n: number }>(Q.nextVersion, [postId]))!.n,
    content_hash: hash,
    first_snapshot_id: snapshotId,
    url: post.url,
    headline: post.headline,
    body_text: post.bodyText,
    body_html: post.bodyHtml,
    published_at: post.publishedAt,
    updated_at: post.updatedAt,
    origin: post.origin,
    key_event: post.keyEvent ? 1 : 0,
  }))!.id;
  for (const [i, c] of post.contributors.entries()) {
    const cid = await sharedRow(db, Q.contributorByName, Q.insertContributor, [c.name], [c.name]);
    await db.run(Q.insertVersionContributor, [versionId, i, cid, c.role]);
  }
  for (const [i, m] of post.media.entries()) {
    const mediaHash = hashJson(mediaFields(m));
    const mid = await sharedRow(db, Q.mediaByHash, Q.insertMedia, [mediaHash], { media_hash: mediaHash, ...m });
    await db.run(Q.insertVersionMedia, [versionId, i, mid]);
  }
  await db.run(Q.insertSearch, [versionId]);
  return versionId;
}

/**
 * The id of a row every page shares (a contributor, a media reference): found, else inserted;
 * when another writer inserted it since the look-up, the insert returns nothing and it is found.
 */
async function sharedRow(db: Db, find: Sql, insert: Sql, key: Params, row: Params): Promise<number> {
  const found = await db.get<{ id: number }>(find, key) ?? await db.get<{ id: number }>(insert, row) ?? await db.get<{ id: number }>(find, key);
  return found!.id;
}

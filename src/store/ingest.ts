import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { parsePage, type ParseOptions } from '../parse/index.js';
import type { Capture, Media, ParsedPage, Post } from '../types.js';
import { archiveError, type Archive } from './archive.js';

/** Bumped when parsing changes in a way that makes re-parsing old snapshots worthwhile. */
export const PARSER_VERSION = '1';

export interface PostCounts {
  total: number;
  new: number;
  edited: number;
  removed: number;
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

function unchanged(capture: Capture, sha: string, page: string, capturedAt: string): IngestOutcome {
  return {
    source: capture.source, status: 'unchanged', page, kind: '', capturedAt, capturedAtSource: capture.capturedAtSource,
    adapter: null, sha256: sha, posts: null, warnings: [],
  };
}

/**
 * Archive one capture. The same bytes again change nothing and are not even parsed;
 * otherwise the snapshot, its posts and their versions are written in one transaction, so
 * a failure leaves the archive exactly as it was.
 */
export function ingestCapture(archive: Archive, capture: Capture, options: ParseOptions = {}): IngestOutcome {
  const sha = sha256(capture.bytes);
  const known = archive.q.snapshotBySha.get(sha);
  if (known) return unchanged(capture, sha, known.url, known.captured_at);
  const parsed = parsePage(capture, options);
  const url = parsed.url ?? fallbackUrl(capture, sha);
  try {
    return archive.db.transaction(() => writeSnapshot(archive, capture, parsed, url, sha)).immediate();
  } catch (err) {
    throw archiveError(archive.path, err);
  }
}

function pageFields(parsed: ParsedPage, url: string): Record<string, unknown> {
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

function writeSnapshot(archive: Archive, capture: Capture, parsed: ParsedPage, url: string, sha: string): IngestOutcome {
  const { q } = archive;
  const capturedAt = capture.capturedAt.toISOString();
  // Another process may have archived the same bytes since the check outside the transaction.
  const raced = q.snapshotBySha.get(sha);
  if (raced) return unchanged(capture, sha, raced.url, raced.captured_at);

  const existing = q.pageByUrl.get(url);
  const pageId = existing ? existing.id : Number(q.insertPage.run(pageFields(parsed, url)).lastInsertRowid);
  const snapshotId = Number(q.insertSnapshot.run({
    page_id: pageId,
    sha256: sha,
    captured_at: capturedAt,
    captured_at_source: capture.capturedAtSource,
    source: capture.source,
    origin: capture.origin,
    saved_from_url: parsed.savedFromUrl,
    byte_count: capture.bytes.length,
    encoding: parsed.encoding,
    adapter_id: parsed.adapter.id,
    adapter_version: parsed.adapter.version,
    parser_version: PARSER_VERSION,
    kind: parsed.kind,
    title: parsed.title,
    headline: parsed.headline,
    key_points: JSON.stringify(parsed.keyPoints),
    post_count: parsed.posts.length,
    warnings: JSON.stringify(parsed.warnings),
    page_links: JSON.stringify(parsed.pageLinks),
    ingested_at: new Date().toISOString(),
  }).lastInsertRowid);

  const previous = q.latestSnapshotBefore.get(pageId, capturedAt, snapshotId);
  const before = new Map(previous ? q.snapshotPostVersions.all(previous.id).map((r) => [r.post_id, r.post_version_id]) : []);
  const counts: PostCounts = { total: 0, new: 0, edited: 0, removed: 0 };
  const seen = new Set<number>();

  parsed.posts.forEach((post, position) => {
    const postId = q.postByKey.get(pageId, post.id)?.id ?? Number(q.insertPost.run(pageId, post.id).lastInsertRowid);
    if (seen.has(postId)) return;
    seen.add(postId);
    const was = before.get(postId);
    const versionId = versionFor(archive, postId, post, snapshotId);
    q.insertSnapshotPost.run({
      snapshot_id: snapshotId, post_id: postId, post_version_id: versionId, position,
      pinned: post.pinned ? 1 : 0, display_time: post.displayTime,
    });
    counts.total++;
    if (was === undefined) counts.new++;
    else if (was !== versionId) counts.edited++;
  });
  for (const postId of before.keys()) if (!seen.has(postId)) counts.removed++;

  q.renumberVersions.run(pageId);
  q.recomputePosts.run(pageId);
  q.recomputeRemoved.run(pageId);
  if (q.latestSnapshot.get(pageId)?.id === snapshotId && existing) q.updatePage.run({ ...pageFields(parsed, url), id: pageId });

  return {
    source: capture.source, status: 'new', page: url, kind: parsed.kind, capturedAt,
    capturedAtSource: capture.capturedAtSource, adapter: `${parsed.adapter.id}@${parsed.adapter.version}`,
    sha256: sha, posts: counts, warnings: parsed.warnings,
  };
}

/** The version row for this content of the post, created (with contributors and media) if new. */
function versionFor(archive: Archive, postId: number, post: Post, snapshotId: number): number {
  const { q } = archive;
  const hash = contentHash(post);
  const found = q.versionByHash.get(postId, hash);
  if (found) {
    if (post.publishedAt !== null) q.notePublishedAt.run({ at: post.publishedAt, id: found.id });
    return found.id;
  }
  const versionId = Number(q.insertVersion.run({
    post_id: postId,
    version: q.nextVersion.get(postId)!.n,
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
  }).lastInsertRowid);
  post.contributors.forEach((c, i) => {
    const cid = q.contributorByName.get(c.name)?.id ?? Number(q.insertContributor.run(c.name).lastInsertRowid);
    q.insertVersionContributor.run(versionId, i, cid, c.role);
  });
  post.media.forEach((m, i) => {
    const mediaHash = hashJson(mediaFields(m));
    const mid = q.mediaByHash.get(mediaHash)?.id ?? Number(q.insertMedia.run({ media_hash: mediaHash, ...m }).lastInsertRowid);
    q.insertVersionMedia.run(versionId, i, mid);
  });
  q.insertSearch.run(versionId, post.headline ?? '', post.bodyText,
    post.media.map((m) => [m.caption, m.credit, m.description].filter(Boolean).join(' ')).filter(Boolean).join(' '),
    post.contributors.map((c) => c.name).join(' '));
  return versionId;
}

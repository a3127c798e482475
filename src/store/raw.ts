import { gunzipSync, gzipSync } from 'node:zlib';
import { applyDelta, createDelta } from 'fossil-delta';
import { LiveArchiveError, SchemaError } from '../errors.js';
import type { Capture } from '../types.js';
import type { Archive } from './archive.js';
import { sha256 } from './ingest.js';
import { sql } from './db.js';

/**
 * A page's captures are stored as deltas against its latest whole copy, and a new whole copy
 * is made every RAW_FULL_EVERY captures: a read is one gunzip and at most one delta applied,
 * whatever the page's history. (Deltas against the previous capture instead are a third
 * smaller on a watched page, but a read must then apply up to 29 of them: ~20× slower.)
 */
export const RAW_FULL_EVERY = 30;

/**
 * Where a rendered capture keeps the server's response it was made from (`--render`): beside its
 * parts, below them, so that the parts stay 0 (the page, as parsed) and 1… (older pages).
 */
const RESPONSE_PART = -1;

/** One stored part of a snapshot: the page (part 0) or an older page followed with it. */
export interface RawPart {
  part: number;
  url: string | null;
  contentType: string | null;
  sha256: string;
  bytes: Buffer;
}

interface StoredRow {
  encoding: 'gzip' | 'delta';
  base_snapshot_id: number | null;
  sha256: string;
  bytes: Buffer;
}

const R = {
  insert: sql(`INSERT INTO snapshot_raw (snapshot_id, part, url, content_type, sha256, bytes, encoding, base_snapshot_id, chain)
      VALUES (@snapshot_id, @part, @url, @content_type, @sha256, @bytes, @encoding, @base_snapshot_id, @chain)`),
  // The whole copy the same part of the page's most recently stored capture is (or leads back
  // to), and how many deltas lead back to it already.
  base: sql(`SELECT COALESCE(r.base_snapshot_id, r.snapshot_id) AS snapshot_id, r.chain FROM snapshots s
      JOIN snapshot_raw r ON r.snapshot_id = s.id AND r.part = @part
      WHERE s.page_id = (SELECT page_id FROM snapshots WHERE id = @snapshot) AND s.id <> @snapshot ORDER BY s.id DESC LIMIT 1`),
  row: sql(`SELECT encoding, base_snapshot_id, sha256, bytes FROM snapshot_raw WHERE snapshot_id = ? AND part = ?`),
  parts: sql(`SELECT part, url, content_type, sha256 FROM snapshot_raw WHERE snapshot_id = ? AND part >= 0 ORDER BY part`),
  response: sql(`SELECT part, url, content_type, sha256 FROM snapshot_raw WHERE snapshot_id = ? AND part = ${RESPONSE_PART}`),
};

type PartRow = { part: number; url: string | null; content_type: string | null; sha256: string };

async function stored(archive: Archive, snapshotId: number, r: PartRow): Promise<RawPart> {
  return { part: r.part, url: r.url, contentType: r.content_type, sha256: r.sha256, bytes: await readRaw(archive, snapshotId, r.part) };
}

/** A snapshot's stored bytes, part by part (none when it was ingested with --no-raw), each as readRaw gives it. */
export async function readRawParts(archive: Archive, snapshotId: number): Promise<RawPart[]> {
  const parts: RawPart[] = [];
  for (const r of await archive.db.all<PartRow>(R.parts, [snapshotId])) parts.push(await stored(archive, snapshotId, r));
  return parts;
}

/** The server's response a rendered snapshot was made from (`--render`); undefined for any other, or with --no-raw. */
export async function readResponse(archive: Archive, snapshotId: number): Promise<RawPart | undefined> {
  const r = await archive.db.get<PartRow>(R.response, [snapshotId]);
  return r && stored(archive, snapshotId, r);
}

/**
 * The exact bytes a snapshot's part was archived from — what `reparse` and the WARC export
 * read. A delta is applied to the whole copy it was made against (one gunzip of each, one
 * delta applied); the result is checked against the SHA-256 recorded at ingest, so a damaged
 * archive is reported, never silently re-read.
 */
export async function readRaw(archive: Archive, snapshotId: number, part: number): Promise<Buffer> {
  const target = await archive.db.get<StoredRow>(R.row, [snapshotId, part]);
  if (!target) throw new LiveArchiveError('E_INPUT', `snapshot ${snapshotId} has no stored bytes for part ${part}`, { subject: archive.path });
  const base = target.encoding === 'delta' && target.base_snapshot_id !== null ? await archive.db.get<StoredRow>(R.row, [target.base_snapshot_id, part]) : target;
  if (!base || base.encoding !== 'gzip') throw damaged(archive, snapshotId, part, 'the whole copy its delta was made against is missing');
  let bytes: Buffer;
  try {
    bytes = gunzipSync(base.bytes);
    if (target !== base) bytes = Buffer.from(applyDelta(bytes, gunzipSync(target.bytes), { verifyChecksum: true }));
  } catch (err) {
    throw damaged(archive, snapshotId, part, `its stored data cannot be decoded (${(err as Error).message})`);
  }
  if (sha256(bytes) !== target.sha256) throw damaged(archive, snapshotId, part, 'the rebuilt bytes do not match their SHA-256');
  return bytes;
}

function damaged(archive: Archive, snapshotId: number, part: number, why: string): SchemaError {
  return new SchemaError(archive.path, `the stored bytes of snapshot ${snapshotId} (part ${part}) cannot be read: ${why}; the archive is damaged`);
}

/**
 * Keep a snapshot's bytes, part by part (inside the ingest transaction, the snapshot row
 * written): each as a delta against the page's latest whole copy of that part when that is
 * under half the size of a whole gzip copy, else a whole copy — and a whole copy anyway once
 * RAW_FULL_EVERY − 1 deltas were made against the last one. The only writer of snapshot_raw,
 * and readRaw its only reader.
 */
export async function writeRawParts(archive: Archive, snapshotId: number, captures: Capture[]): Promise<void> {
  const first = captures[0];
  const parts = captures.map((c, part) => ({ part, url: c.fetch?.finalUrl ?? c.url ?? null, contentType: c.contentType ?? null, bytes: c.bytes }));
  // A rendered capture's server response is kept too, as part -1 (deltas against earlier responses).
  if (first?.response) parts.push({ part: RESPONSE_PART, url: first.fetch?.finalUrl ?? null, contentType: first.response.contentType ?? null, bytes: first.response.bytes });
  for (const { part, url, contentType, bytes } of parts) {
    const whole: Pick<StoredRow, 'bytes' | 'encoding' | 'base_snapshot_id'> & { chain: number } = { bytes: gzipSync(bytes), encoding: 'gzip', base_snapshot_id: null, chain: 0 };
    const base = await archive.db.get<{ snapshot_id: number; chain: number }>(R.base, { part, snapshot: snapshotId });
    let stored = whole;
    if (base && base.chain + 1 < RAW_FULL_EVERY) {
      const delta = gzipSync(createDelta(await readRaw(archive, base.snapshot_id, part), bytes));
      // A page that has grown far from its whole copy starts a new one: its later captures'
      // deltas are then small again (11 % less in all on growing live blogs, bench/scale.js).
      if (delta.length < whole.bytes.length / 2) stored = { bytes: delta, encoding: 'delta', base_snapshot_id: base.snapshot_id, chain: base.chain + 1 };
    }
    await archive.db.run(R.insert, { snapshot_id: snapshotId, part, url, content_type: contentType, sha256: sha256(bytes), ...stored });
  }
}

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import type { Archive } from '../../src/store/archive.js';
import { describeBackends, newArchive } from '../backends.js';
import { storeCaptures } from '../../src/store/ingest.js';
import { parsePage } from '../../src/parse/index.js';
import { RAW_FULL_EVERY, readRaw, readRawParts } from '../../src/store/raw.js';
import type { Capture } from '../../src/types.js';
import { readPage, SEEDS } from '../helpers.js';

const B = readPage(join(SEEDS, 'cnn-live-2025-11-25-B.html'));

/** Capture n of a page that gains a paragraph and a changed counter each time, as a watched live page does. */
function capture(n: number): Capture {
  const html = B.toString('utf8').replace('</body>', `${Array.from({ length: n }, (_, i) => `<p>Update ${i}: ${'more words '.repeat(i % 7)}</p>`).join('')}<!-- build ${n * 7919} --></body>`);
  return { source: `b-${n}.html`, origin: 'file', bytes: Buffer.from(html), capturedAt: new Date(Date.UTC(2025, 10, 25, 15, 10 + 2 * n)), capturedAtSource: 'option' };
}

type Stored = { snapshot_id: number; encoding: string; base_snapshot_id: number | null; chain: number; size: number };
function stored(archive: Archive): Promise<Stored[]> {
  return archive.db.query<Stored>(`SELECT snapshot_id, encoding, base_snapshot_id, chain, ${archive.backend === 'sqlite' ? 'length' : 'octet_length'}(bytes) AS size FROM snapshot_raw ORDER BY snapshot_id`);
}

/** Archive a capture, parsed once for all: what is under test is how its bytes are kept. */
const parsed = parsePage({ source: 'b.html', bytes: B, capturedAt: new Date('2025-11-25T15:10:00Z') });
const ingestCapture = (archive: Archive, c: Capture): Promise<{ status: string }> => storeCaptures(archive, [c], [parsed]);

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describeBackends('raw captures', (backend) => {
  it('stores a page\'s captures as deltas against its latest whole copy, a new whole copy every RAW_FULL_EVERY, and reads every one back byte for byte', async () => {
    const archive = await newArchive(backend);
    const captures = Array.from({ length: RAW_FULL_EVERY + 3 }, (_, n) => capture(n));
    for (const c of captures) expect((await ingestCapture(archive, c)).status).toBe('new');
    const rows = await stored(archive);
    expect(rows.map((r) => r.encoding)).toEqual(captures.map((_, i) => (i % RAW_FULL_EVERY === 0 ? 'gzip' : 'delta')));
    expect(rows.map((r) => r.chain)).toEqual(captures.map((_, i) => i % RAW_FULL_EVERY));
    expect(rows.map((r) => r.base_snapshot_id)).toEqual(rows.map((_, i) => (i % RAW_FULL_EVERY === 0 ? null : rows[i - (i % RAW_FULL_EVERY)]!.snapshot_id)));
    // Each delta is a small fraction of a whole gzip copy.
    expect(Math.max(...rows.filter((r) => r.encoding === 'delta').map((r) => r.size))).toBeLessThan(rows[0]!.size / 10);
    for (const [i, r] of rows.entries()) {
      const bytes = await readRaw(archive, r.snapshot_id, 0);
      expect(bytes.equals(captures[i]!.bytes)).toBe(true);
      const [part, ...more] = await readRawParts(archive, r.snapshot_id);
      expect(more).toEqual([]);
      expect({ ...part!, bytes: part!.bytes.equals(bytes) }).toEqual({ part: 0, url: null, contentType: null, sha256: sha(captures[i]!.bytes), bytes: true });
    }
    await archive.close();
  });

  it('reports a damaged delta or a wrong hash as a damaged archive, never returning wrong bytes', async () => {
    const archive = await newArchive(backend);
    for (let n = 0; n < 3; n++) await ingestCapture(archive, capture(n));
    const [first, second, third] = await stored(archive);
    // A delta that is not one.
    await archive.db.query('UPDATE snapshot_raw SET bytes = ? WHERE snapshot_id = ?', [gzipSync(Buffer.from('not a delta')), third!.snapshot_id]);
    await expect(readRaw(archive, third!.snapshot_id, 0)).rejects.toThrow(expect.objectContaining({ code: 'E_SCHEMA', message: expect.stringMatching(/^the stored bytes of snapshot 3 \(part 0\) cannot be read: its stored data cannot be decoded/) }));
    // A whole copy that holds other bytes, and the delta made against it.
    await archive.db.query('UPDATE snapshot_raw SET bytes = ? WHERE snapshot_id = ?', [gzipSync(Buffer.from(capture(0).bytes).reverse()), first!.snapshot_id]);
    await expect(readRaw(archive, first!.snapshot_id, 0)).rejects.toThrow(/snapshot 1 \(part 0\) cannot be read: the rebuilt bytes do not match their SHA-256/);
    await expect(readRaw(archive, second!.snapshot_id, 0)).rejects.toThrow(/snapshot 2 \(part 0\) cannot be read/);
    await archive.close();
  });
});

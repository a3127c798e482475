import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../src/store/archive.js';
import { describeBackends, newArchive } from '../backends.js';
import { ingestCapture } from '../../src/store/ingest-capture.js';
import { listPosts, listSnapshots } from '../../src/store/read.js';
import { diffSnapshots } from '../../src/diff.js';
import type { Capture } from '../../src/types.js';
import { readPage, SEEDS } from '../helpers.js';

const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
const EDITED = 'h_01aee11ad206d3f1fe2af23da8cbf9af';

function seed(name: 'A' | 'B', at: string, extra: Partial<Capture> = {}): Capture {
  const source = join(SEEDS, `cnn-live-2025-11-25-${name}.html`);
  return { source, origin: 'file', bytes: readPage(source), capturedAt: new Date(at), capturedAtSource: 'option', ...extra };
}

let archive: Archive | undefined;
afterEach(async () => {
  await archive?.close();
  archive = undefined;
});

describeBackends('what a capture adds', (backend) => {
  it('an earlier capture with the same bytes moves first-seen earlier instead of being dropped', async () => {
    archive = await newArchive(backend);
    await ingestCapture(archive, seed('B', '2025-11-25T15:10:00Z'));
    await ingestCapture(archive, seed('A', '2025-11-25T12:05:00Z'));
    expect((await ingestCapture(archive, seed('A', '2025-11-25T11:00:00Z'))).status).toBe('new');
    expect((await listPosts(archive, PAGE)).find((p) => p.id === EDITED)!.firstSeenAt).toBe('2025-11-25T11:00:00.000Z');
    // …while the same bytes right after a capture showing them add nothing.
    expect((await ingestCapture(archive, seed('A', '2025-11-25T11:30:00Z'))).status).toBe('unchanged');
  });

  it('a file timed only by its mtime holding bytes the page already has is that capture again, whatever its name: no revert', async () => {
    archive = await newArchive(backend);
    const mtime = (name: 'A' | 'B', at: string, file: string) => seed(name, at, { capturedAtSource: 'mtime', source: file });
    const first = await ingestCapture(archive, mtime('A', '2025-11-25T10:00:00Z', '1.html'));
    await ingestCapture(archive, mtime('B', '2025-11-25T11:00:00Z', '2.html'));
    // `cp 1.html 3.html`: A's bytes, timed when they were copied.
    expect(await ingestCapture(archive, mtime('A', '2025-11-25T12:00:00Z', '3.html')))
      .toMatchObject({ status: 'unchanged', snapshotId: first.snapshotId, capturedAt: '2025-11-25T10:00:00.000Z', posts: null });
    // The same file again, touched: still the same capture.
    expect((await ingestCapture(archive, mtime('A', '2025-11-25T13:00:00Z', '1.html'))).status).toBe('unchanged');
    expect(await listSnapshots(archive, PAGE)).toHaveLength(2);
    const posts = await listPosts(archive, PAGE);
    expect(posts.filter((p) => p.removedAt !== null)).toEqual([]);
    expect(posts.find((p) => p.id === EDITED)!.headline).toContain('seven');
  });

  it('a damaged capture does not mark posts removed', async () => {
    archive = await newArchive(backend);
    await ingestCapture(archive, seed('B', '2025-11-25T15:10:00Z'));
    const b = seed('B', '2025-11-25T16:00:00Z');
    const cut = await ingestCapture(archive, { ...b, bytes: b.bytes.subarray(0, Math.floor(b.bytes.length * 0.45)) });
    expect(cut.warnings.join()).toContain('truncated');
    expect(cut.posts!.total).toBeLessThan(19);
    // It says what it did not show, and counts none of it as removed.
    expect(cut.posts).toMatchObject({ removed: 0, notShown: 19 - cut.posts!.total });
    expect((await listPosts(archive, PAGE)).filter((p) => p.removedAt !== null)).toEqual([]);
    expect(await listSnapshots(archive, PAGE)).toHaveLength(2);
    const missing = (await diffSnapshots(archive, PAGE)).changes.filter((c) => c.change !== 'edited' && c.change !== 'added');
    expect(missing.length).toBe(19 - cut.posts!.total);
    expect(missing.every((c) => c.change === 'not-shown')).toBe(true);
  });

  it("the same bytes under another --url are that page's, and without --url the page's own", async () => {
    archive = await newArchive(backend);
    await ingestCapture(archive, seed('A', '2025-11-25T12:05:00Z', { url: 'https://example.com/wrong' }));
    const own = await ingestCapture(archive, seed('A', '2025-11-25T12:05:00Z'));
    expect(own).toMatchObject({ status: 'new', page: PAGE });
  });
});

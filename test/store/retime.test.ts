import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Archive } from '../../src/store/archive.js';
import { ingestCapture } from '../../src/store/ingest-capture.js';
import { listPosts, listSnapshots } from '../../src/store/read.js';
import { retimeSnapshot } from '../../src/store/retime.js';
import { diffSnapshots } from '../../src/diff.js';
import type { Capture } from '../../src/types.js';
import { describeBackends, newArchive, tableCounts } from '../backends.js';
import { readPage, SEEDS } from '../helpers.js';

const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
const EDITED = 'h_01aee11ad206d3f1fe2af23da8cbf9af';

function seed(name: 'A' | 'B', at: string, extra: Partial<Capture> = {}): Capture {
  const source = join(SEEDS, `cnn-live-2025-11-25-${name}.html`);
  return { source, origin: 'file', bytes: readPage(source), capturedAt: new Date(at), capturedAtSource: 'option', ...extra };
}

/** What a page's posts say of their history: versions, first and last seen, removal. */
async function history(archive: Archive): Promise<unknown[]> {
  return (await listPosts(archive, PAGE)).map(({ id, headline, version, versionCount, firstSeenAt, lastSeenAt, removedAt }) => ({ id, headline, version, versionCount, firstSeenAt, lastSeenAt, removedAt }));
}

const archives: Archive[] = [];
afterEach(async () => {
  for (const a of archives.splice(0)) await a.close();
});

describeBackends('retime', (backend) => {
  const open = async (): Promise<Archive> => {
    const a = await newArchive(backend);
    archives.push(a);
    return a;
  };

  it('moves a snapshot to its real time and rebuilds the page as if it had been ingested so', async () => {
    const right = await open();
    await ingestCapture(right, seed('A', '2025-11-25T12:05:00Z'));
    await ingestCapture(right, seed('B', '2025-11-25T15:10:00Z'));

    const archive = await open();
    await ingestCapture(archive, seed('A', '2025-11-25T12:05:00Z'));
    // B timed by a file touched before A was saved: B's posts seem removed at A, the edit undone.
    const b = await ingestCapture(archive, seed('B', '2025-11-25T09:00:00Z', { capturedAtSource: 'mtime' }));
    expect(b.warnings).toContain(`captured at 2025-11-25T09:00:00.000Z, before the page's newest post (2025-11-25T15:02:14.482Z): the capture time is probably wrong; correct it with: livearchive retime ${b.snapshotId} <time the page was saved>`);
    // Kept with the snapshot without its id: ids differ between copies of an archive.
    const [stored] = await archive.db.query<{ warnings: string }>(`SELECT warnings FROM snapshots WHERE id = ?`, [b.snapshotId]);
    expect(JSON.parse(stored!.warnings)).toEqual([b.warnings[0]!.replace(`retime ${b.snapshotId} `, 'retime <snapshot-id> ')]);
    expect((await listPosts(archive, PAGE)).filter((p) => p.removedAt !== null)).toHaveLength(8);
    const counts = await tableCounts(archive, ['snapshots', 'posts', 'post_versions', 'snapshot_posts', 'post_search']);

    const r = await retimeSnapshot(archive, b.snapshotId!, new Date('2025-11-25T15:10:00Z'));
    expect(r).toEqual({
      snapshot: b.snapshotId, page: PAGE, capturedAt: '2025-11-25T15:10:00.000Z', was: { capturedAt: '2025-11-25T09:00:00.000Z', source: 'mtime' },
      reparse: { page: PAGE, snapshots: 2, skipped: null, posts: 19, versions: 20, adapters: ['cnn-live@2023-01'] }, warnings: [],
    });
    expect(await history(archive)).toEqual(await history(right));
    expect((await listPosts(archive, PAGE)).find((p) => p.id === EDITED)!.headline).toContain('seven');
    const snapshots = await listSnapshots(archive, PAGE);
    expect(snapshots.map((s) => [s.id, s.capturedAt, s.warnings])).toEqual([[1, '2025-11-25T12:05:00.000Z', 0], [b.snapshotId, '2025-11-25T15:10:00.000Z', 0]]);
    expect(await archive.db.query(`SELECT captured_at_source FROM snapshots WHERE id = ?`, [b.snapshotId])).toEqual([{ captured_at_source: 'option' }]);
    expect((await diffSnapshots(archive, PAGE)).changes.map((c) => c.change).sort()).toEqual([...Array<string>(8).fill('added'), 'edited']);
    expect(await tableCounts(archive, ['snapshots', 'posts', 'post_versions', 'snapshot_posts', 'post_search'])).toEqual(counts);
  });

  it('refuses a time in the future, an unknown snapshot and a time the same bytes already have, changing nothing', async () => {
    const archive = await open();
    const a = await ingestCapture(archive, seed('A', '2025-11-25T12:05:00Z'));
    await ingestCapture(archive, seed('B', '2025-11-25T15:10:00Z'));
    await ingestCapture(archive, seed('A', '2025-11-25T18:00:00Z'));
    const before = await history(archive);
    const now = new Date('2025-12-01T00:00:00Z');
    await expect(retimeSnapshot(archive, a.snapshotId!, new Date('2025-12-01T00:00:01Z'), {}, now))
      .rejects.toMatchObject({ code: 'E_USAGE', message: '2025-12-01T00:00:01.000Z is in the future; give the time the page was saved' });
    await expect(retimeSnapshot(archive, 99, new Date('2025-11-25T12:00:00Z')))
      .rejects.toMatchObject({ code: 'E_INPUT', exitCode: 1, subject: 'snapshot 99', message: 'no such snapshot in the archive (`livearchive snapshots <page-url>` lists the ids)' });
    await expect(retimeSnapshot(archive, a.snapshotId!, new Date('2025-11-25T18:00:00Z')))
      .rejects.toMatchObject({ code: 'E_USAGE', message: 'snapshot 3 already holds the same bytes of this page captured at 2025-11-25T18:00:00.000Z' });
    expect(await history(archive)).toEqual(before);
    expect((await listSnapshots(archive, PAGE)).map((s) => s.capturedAt)).toEqual(['2025-11-25T12:05:00.000Z', '2025-11-25T15:10:00.000Z', '2025-11-25T18:00:00.000Z']);
  });

  it('reorders a page archived without its bytes, and says its posts were not read again', async () => {
    const right = await open();
    await ingestCapture(right, seed('A', '2025-11-25T12:05:00Z'), { raw: false });
    await ingestCapture(right, seed('B', '2025-11-25T15:10:00Z'), { raw: false });
    const archive = await open();
    await ingestCapture(archive, seed('A', '2025-11-25T12:05:00Z'), { raw: false });
    const b = await ingestCapture(archive, seed('B', '2025-11-25T09:00:00Z'), { raw: false });
    const r = await retimeSnapshot(archive, b.snapshotId!, new Date('2025-11-25T15:10:00Z'));
    expect(r.reparse).toEqual({ page: PAGE, snapshots: 2, skipped: '2 of 2 snapshots were archived without their bytes (--no-raw)', posts: 19, versions: 20, adapters: [] });
    expect(await history(archive)).toEqual(await history(right));
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, SEEDS, tempDir } from '../helpers.js';

const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
const A = join(SEEDS, 'cnn-live-2025-11-25-A.html');
const B = join(SEEDS, 'cnn-live-2025-11-25-B.html');

describe('livearchive retime', () => {
  it('corrects the capture time the ingest warning points at, and the page follows', async () => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', A, '--captured-at', '2025-11-25T12:05:00Z', '--db', db]);
    // A date alone is midnight: B lands before A, its eight new posts seem removed at A.
    const b = await cli(['ingest', B, '--captured-at', '2025-11-25', '--db', db]);
    expect(b.stdout).toContain('correct it with: livearchive retime 2 <time the page was saved>\n');
    expect(JSON.parse((await cli(['pages', '--db', db])).stdout)).toMatchObject([{ posts: 11, removed: 8 }]);

    const r = await cli(['retime', '2', '2025-11-25T15:10:00Z', '--db', db]);
    expect(r).toEqual({
      code: 0, stderr: '',
      stdout: `snapshot 2 of ${PAGE}: captured 2025-11-25T15:10:00.000Z (was 2025-11-25T00:00:00.000Z, given by hand: --captured-at or retime); 2 snapshots re-parsed (cnn-live@2023-01): 19 posts, 20 versions\n`,
    });
    expect(JSON.parse((await cli(['pages', '--db', db])).stdout)).toMatchObject([{ posts: 19, removed: 0, lastCapture: '2025-11-25T15:10:00.000Z' }]);
    expect(JSON.parse((await cli(['snapshots', PAGE, '--db', db])).stdout)).toMatchObject([{ id: 1, warnings: 0 }, { id: 2, capturedAt: '2025-11-25T15:10:00.000Z', warnings: 0 }]);
    const diff = JSON.parse((await cli(['diff', PAGE, '--db', db])).stdout) as Array<{ change: string }>;
    expect(diff.filter((c) => c.change === 'added')).toHaveLength(8);
    expect(JSON.parse((await cli(['retime', '2', '2025-11-25T15:10:00Z', '--json', '--db', db])).stdout))
      .toMatchObject({ snapshot: 2, capturedAt: '2025-11-25T15:10:00.000Z', was: { capturedAt: '2025-11-25T15:10:00.000Z', source: 'option' }, reparse: { skipped: null } });
  });

  it("prints the snapshot's warnings at its new time as ingest does, and a time an earlier retime gave is said to be given by hand", async () => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', A, '--captured-at', '2025-11-25T12:05:00Z', '--db', db]);
    await cli(['ingest', B, '--captured-at', '2025-11-25', '--db', db]);
    // Still before B's newest post (15:02:14): the warning comes again, with the command to fix it.
    const early = await cli(['retime', '2', '2025-11-25T14:00:00Z', '--db', db]);
    expect(early).toEqual({
      code: 0, stderr: '',
      stdout: `snapshot 2 of ${PAGE}: captured 2025-11-25T14:00:00.000Z (was 2025-11-25T00:00:00.000Z, given by hand: --captured-at or retime); 2 snapshots re-parsed (cnn-live@2023-01): 19 posts, 20 versions\n`
        + "  warning: captured at 2025-11-25T14:00:00.000Z, before the page's newest post (2025-11-25T15:02:14.482Z): the capture time is probably wrong; correct it with: livearchive retime 2 <time the page was saved>\n",
    });
    const json = JSON.parse((await cli(['retime', '2', '2025-11-25T14:30:00Z', '--json', '--db', db])).stdout) as { warnings: string[] };
    expect(json.warnings).toEqual(["captured at 2025-11-25T14:30:00.000Z, before the page's newest post (2025-11-25T15:02:14.482Z): the capture time is probably wrong; correct it with: livearchive retime 2 <time the page was saved>"]);
    const right = await cli(['retime', '2', '2025-11-25T15:10:00Z', '--db', db]);
    expect(right.stdout).toBe(`snapshot 2 of ${PAGE}: captured 2025-11-25T15:10:00.000Z (was 2025-11-25T14:30:00.000Z, given by hand: --captured-at or retime); 2 snapshots re-parsed (cnn-live@2023-01): 19 posts, 20 versions\n`);
  });

  it('refuses an unknown snapshot (exit 1), a future or malformed time and a malformed id (exit 2), in one line', async () => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', A, '--captured-at', '2025-11-25T12:05:00Z', '--db', db]);
    expect(await cli(['retime', '7', '2025-11-25T12:00:00Z', '--db', db]))
      .toEqual({ code: 1, stdout: '', stderr: 'livearchive: snapshot 7: no such snapshot in the archive (`livearchive snapshots <page-url>` lists the ids)\n' });
    expect(await cli(['retime', '1', '2099-01-01T00:00:00Z', '--db', db]))
      .toEqual({ code: 2, stdout: '', stderr: 'livearchive: 2099-01-01T00:00:00.000Z is in the future; give the time the page was saved\n' });
    expect(await cli(['retime', '1', 'yesterday', '--db', db]))
      .toEqual({ code: 2, stdout: '', stderr: 'livearchive: <time> wants an ISO date-time such as 2025-11-25T15:10:00Z (got "yesterday")\n' });
    expect(await cli(['retime', 'B', '2025-11-25T12:00:00Z', '--db', db]))
      .toEqual({ code: 2, stdout: '', stderr: 'livearchive: <snapshot-id> wants a snapshot\'s id, a whole number (`livearchive snapshots <page-url>` lists them; got "B")\n' });
    expect(JSON.parse((await cli(['snapshots', PAGE, '--db', db])).stdout)).toMatchObject([{ id: 1, capturedAt: '2025-11-25T12:05:00.000Z' }]);
  });
});

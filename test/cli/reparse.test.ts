import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cli, SEEDS, tempDir } from '../helpers.js';

const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';

async function archiveSeeds(db: string, ...extra: string[]): Promise<void> {
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--captured-at', '2025-11-25T12:05:00Z', '--db', db, ...extra]);
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-B.html'), '--captured-at', '2025-11-25T15:10:00Z', '--db', db, ...extra]);
}

describe('reparse', () => {
  it('rebuilds posts and versions from the stored bytes, identical to the first parse', async () => {
    const db = join(tempDir(), 'x.db');
    await archiveSeeds(db);
    const before = JSON.parse((await cli(['export', '--history', '--db', db])).stdout) as { pages: unknown[] };
    // Damage what parsing produced (the search index follows the text); the raw bytes are what reparse works from.
    const d = new Database(db);
    d.exec(`UPDATE post_versions SET headline = 'garbled', body_text = ''; INSERT INTO post_search (post_search) VALUES ('rebuild');`);
    d.close();
    const r = await cli(['reparse', '--db', db]);
    expect(r).toEqual({ code: 0, stderr: '', stdout: `${PAGE}: 2 snapshots re-parsed (cnn-live@2023-01): 19 posts, 20 versions\n` });
    const after = JSON.parse((await cli(['export', '--history', '--db', db])).stdout) as { pages: unknown[] };
    expect(after.pages).toEqual(before.pages);
    expect(JSON.parse((await cli(['search', 'Moldova', '--db', db])).stdout)).toHaveLength(1);
  });

  it('skips a page archived without its bytes, and says why', async () => {
    const db = join(tempDir(), 'x.db');
    await archiveSeeds(db, '--no-raw');
    const r = await cli(['reparse', '--db', db]);
    expect(r.stdout).toBe(`${PAGE}: skipped: 2 of 2 snapshots were archived without their bytes (--no-raw)\n`);
  });
});

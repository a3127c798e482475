import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT, SEEDS, tempDir } from '../helpers.js';

/**
 * Archives that were published or shared: in a directory the reader cannot write. The commands
 * run as a user without write permission, through the real launcher: as `nobody` when the tests
 * run as root (root may write anywhere), else as the current user on a directory made read-only.
 */
const asRoot = process.getuid?.() === 0;

function runAsReader(cmd: string, args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'nobody', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, argv, { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const livearchive = (...args: string[]) => runAsReader(process.execPath, [join(ROOT, 'bin/livearchive.js'), ...args]);
const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';

let shared = '';
let db = '';
let published = '';

beforeAll(async () => {
  const base = tempDir();
  shared = join(base, 'shared');
  mkdirSync(shared);
  db = join(shared, 'news.db');
  expect((await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--captured-at', '2025-11-25T12:05:00Z', '--db', db])).code).toBe(0);
  expect((await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-B.html'), '--captured-at', '2025-11-25T15:10:00Z', '--db', db])).code).toBe(0);
  published = join(shared, 'published.db');
  const r = await cli(['publish', published, '--db', db]);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  expect(r.stdout).toMatch(/^published .*published\.db: \d+ bytes, delete journal/);
  // As a copied or shared archive is: the file alone (a read-only connection leaves its -shm and
  // -wal behind, and with those SQLite can read in place), readable by others, writable by no one.
  for (const f of readdirSync(shared)) if (/-(?:wal|shm)$/.test(f)) rmSync(join(shared, f));
  chmodSync(base, 0o755);
  for (const f of readdirSync(shared)) chmodSync(join(shared, f), 0o644);
  chmodSync(shared, 0o555);
});

describe('an archive in a directory its reader cannot write', () => {
  it('is read by every read command, in WAL mode as it was left, saying how under --debug', () => {
    const stats = livearchive('stats', '--db', db, '--json');
    expect(stats.stderr).toBe('');
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject([{ publisher: 'CNN', posts: 19, snapshots: 2 }]);
    expect(JSON.parse(livearchive('posts', PAGE, '--db', db, '--json').stdout)).toHaveLength(19);
    expect(JSON.parse(livearchive('search', 'Zelensky', '--db', db, '--json').stdout).length).toBeGreaterThan(0);
    expect(livearchive('diff', PAGE, '--db', db, '--json').code).toBe(0);
    const debug = livearchive('pages', '--db', db, '--json', '--debug');
    expect(debug.code).toBe(0);
    expect(debug.stderr).toMatch(/^livearchive: debug: opened read-only as immutable .*changes made by others while this runs are not seen\n$/);
  });

  it('cannot be written there: ingest says so in one line', () => {
    const r = livearchive('ingest', join(ROOT, 'fixtures/cnn-live/cnn-live_2025-06-01.html'), '--db', db);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('published, opens read-only in sqlite3, with the full-text index, and in the read commands', () => {
    expect(runAsReader('sqlite3', ['-readonly', published, 'PRAGMA journal_mode; SELECT COUNT(*) FROM latest_posts; SELECT COUNT(*) FROM post_search WHERE post_search MATCH \'Zelensky\';']).stdout.trim().split('\n'))
      .toEqual(['delete', '19', expect.stringMatching(/^[1-9]\d*$/)]);
    const search = livearchive('search', 'Zelensky', '--db', published, '--json');
    expect(search.stderr).toBe('');
    expect(JSON.parse(search.stdout).length).toBeGreaterThan(0);
    expect(livearchive('pages', '--db', published, '--json', '--debug').stderr).toBe('');
  });

  it('publish refuses to overwrite, and writes nothing half-done', async () => {
    const r = await cli(['publish', published, '--db', db]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${published}: already exists (give --force to replace it)\n` });
    expect(execFileSync('ls', [shared], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/store/archive.js';
import { cli, SEEDS, tempDir } from '../helpers.js';
import { startServer, type TestServer } from '../http/server.js';

const A = join(SEEDS, 'cnn-live-2025-11-25-A.html');
const FAST = ['--delay', '0', '--retries', '0', '--timeout', '2'];

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
  server.route('/gone', (req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>gone</body></html>'));
});

afterAll(async () => server.close());

describe('an archive a command created and archived nothing into is not left behind', () => {
  it('ingest of a URL that fails, in an empty folder, leaves the folder empty', async () => {
    const dir = tempDir();
    const r = await cli(['ingest', server.url('/gone'), '--db', join(dir, 'new.db'), ...FAST]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^livearchive: http:\/\/127\.0\.0\.1:\d+\/gone: .*404/);
    expect(readdirSync(dir)).toEqual([]);
    // Nor when there was nothing to archive at all, or the browser cannot be found.
    expect((await cli(['ingest', join(dir, 'missing.html'), '--db', join(dir, 'new.db')])).code).toBe(1);
    expect((await cli(['ingest', server.url('/gone'), '--render', '--browser', join(dir, 'no-chromium'), '--db', join(dir, 'new.db')])).code).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('watch whose every check failed leaves no archive', async () => {
    const dir = tempDir();
    const r = await cli(['watch', server.url('/gone'), '--every', '0.1s', '--count', '2', '--db', join(dir, 'w.db'), ...FAST]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('watch ended: 2 rounds, 0 new snapshots, 2 failed checks\n');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an archive that was there before is kept, empty or not, and so is one that archived a page', async () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.db');
    await (await openArchive(empty)).close();
    expect((await cli(['ingest', server.url('/gone'), '--db', empty, ...FAST])).code).toBe(1);
    expect(existsSync(empty)).toBe(true);
    // The failed check is kept in the archive that was there.
    const d = new Database(empty, { readonly: true });
    expect(d.prepare('SELECT outcome FROM http_checks').pluck().all()).toEqual(['failed']);
    d.close();
    const kept = join(dir, 'kept.db');
    expect((await cli(['ingest', A, server.url('/gone'), '--db', kept, ...FAST])).code).toBe(1);
    expect(existsSync(kept)).toBe(true);
  });

  it('is kept while another process has it open: that one may be writing to it', async () => {
    const dir = tempDir();
    const db = join(dir, 'shared.db');
    let other: Database.Database | undefined;
    // Another connection opens the archive while the failing ingest runs (before it closes it).
    server.route('/slow-gone', (req, res) => {
      other = new Database(db);
      other.prepare('SELECT COUNT(*) FROM snapshots').get();
      res.writeHead(404).end();
    });
    expect((await cli(['ingest', server.url('/slow-gone'), '--db', db, ...FAST])).code).toBe(1);
    expect(other).toBeDefined();
    expect(existsSync(db)).toBe(true);
    other!.close();
  });

  it('reparse and retime change an archive that is there and never create one', async () => {
    const dir = tempDir();
    for (const args of [['reparse'], ['retime', '1', '2025-11-25T12:05:00Z']]) {
      const r = await cli([...args, '--db', join(dir, 'none.db')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`livearchive: ${join(dir, 'none.db')}: no archive here yet (ingest a page first, or pass --db)\n`);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('copy that fails leaves no destination file; a copy of an empty archive is kept', async () => {
    const dir = tempDir();
    const source = join(dir, 'source.db');
    expect((await cli(['ingest', A, '--db', source])).code).toBe(0);
    // A source whose snapshot names a page that is not there: the copy's commit refuses it.
    const d = new Database(source);
    d.pragma('foreign_keys = OFF');
    d.prepare('UPDATE snapshots SET page_id = 999').run();
    d.close();
    const to = join(dir, 'to.db');
    const failed = await cli(['copy', source, to]);
    // The damage is the source's: a one-line input error naming it, not an internal error.
    expect(failed.code).toBe(1);
    expect(failed.stderr.split('\n').at(-2)).toMatch(new RegExp(`^livearchive: ${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot be copied: it holds rows that break the archive's constraints \\(.*FOREIGN KEY.*\\); nothing was written$`));
    expect(readdirSync(dir).filter((f) => f.startsWith('to.db'))).toEqual([]);
    const empty = join(dir, 'empty.db');
    await (await openArchive(empty)).close();
    const r = await cli(['copy', empty, join(dir, 'copy.db')]);
    expect(r.stdout).toBe(`copied ${empty} to ${join(dir, 'copy.db')}: 0 pages, 0 snapshots, 0 posts, 0 versions\n`);
    expect(existsSync(join(dir, 'copy.db'))).toBe(true);
  });
});

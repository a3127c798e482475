import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { cli, SEEDS, tempDir } from '../helpers.js';

describe('errors a user can run into', () => {
  const A = join(SEEDS, 'cnn-live-2025-11-25-A.html');
  const B = join(SEEDS, 'cnn-live-2025-11-25-B.html');

  it('export --out into a folder that does not exist: one line, exit 1, nothing left behind', async () => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', A, '--db', db]);
    const out = join(tempDir(), 'no/such/folder/x.json');
    const r = await cli(['export', '--out', out, '--db', db]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${out}: cannot write: no folder ${join(out, '..')}\n` });
  });

  it('every file named for writing is checked as --db is, saying what is wrong with the path as given', async () => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', A, '--db', db]);
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const fail = (subject: string, message: string) => ({ code: 1, stdout: '', stderr: `livearchive: ${subject}: ${message}\n` });
      expect(await cli(['publish', 'nodir/x.db', '--db', db])).toEqual(fail('nodir/x.db', 'cannot write: no folder nodir'));
      mkdirSync('somedir');
      expect(await cli(['publish', 'somedir', '--force', '--db', db])).toEqual(fail('somedir', 'is a directory'));
      expect(await cli(['publish', 'somedir', '--db', db])).toEqual(fail('somedir', 'is a directory'));
      expect(await cli(['export', '--format', 'csv', '--out', '/nonexistent/dir/x.csv', '--db', db])).toEqual(fail('/nonexistent/dir/x.csv', 'cannot write: no folder /nonexistent/dir'));
      expect(await cli(['export', '--out', 'somedir', '--db', db])).toEqual(fail('somedir', 'is a directory'));
      writeFileSync('afile', 'x');
      expect(await cli(['export', '--out', 'afile/x.json', '--db', db])).toEqual(fail('afile/x.json', 'cannot write: afile is not a folder'));
      expect(await cli(['ingest', A, '--warc', 'nodir/x.warc.gz', '--db', db])).toEqual(fail('nodir/x.warc.gz', 'cannot write: no folder nodir'));
      expect(await cli(['watch', 'https://example.com/live', '--count', '1', '--warc', 'somedir', '--db', db])).toEqual(fail('somedir', 'is a directory'));
      // Nothing was left behind.
      expect(readdirSync('.').sort()).toEqual(['afile', 'somedir']);
      expect(readdirSync('somedir')).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('export --out replaces a file already there, whole, and only once the export is complete', async () => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', A, '--db', db]);
    const dir = tempDir();
    const out = join(dir, 'posts.json');
    writeFileSync(out, 'an older export');
    // A user's own file named like a temporary one is left alone.
    writeFileSync(`${out}.partial`, 'mine');
    // An export that fails leaves the file as it was, and nothing beside it.
    expect(await cli(['export', '--page', 'https://example.com/nope', '--out', out, '--db', db])).toEqual({
      code: 1, stdout: '', stderr: 'livearchive: https://example.com/nope: no such page in the archive (see `livearchive pages`)\n',
    });
    expect(readFileSync(out, 'utf8')).toBe('an older export');
    expect(readdirSync(dir).sort()).toEqual(['posts.json', 'posts.json.partial']);
    expect(await cli(['export', '--out', out, '--db', db])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((JSON.parse(readFileSync(out, 'utf8')) as { pages: unknown[] }).pages).toHaveLength(1);
    expect(readFileSync(`${out}.partial`, 'utf8')).toBe('mine');
    expect(readdirSync(dir).sort()).toEqual(['posts.json', 'posts.json.partial']);
  });

  it('export of an unknown page writes nothing to stdout', async () => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', A, '--db', db]);
    expect(await cli(['export', '--page', 'https://example.com/nope', '--db', db])).toEqual({
      code: 1, stdout: '', stderr: 'livearchive: https://example.com/nope: no such page in the archive (see `livearchive pages`)\n',
    });
  });

  it('--db that is a folder, or in a folder that does not exist, is a bad path: one line naming it, exit 1, nothing created', async () => {
    const dir = tempDir();
    for (const command of [['pages'], ['ingest', A], ['sql', 'SELECT 1'], ['export', '--format', 'warc', '--out', join(tempDir(), 'x.warc')]]) {
      expect(await cli([...command, '--db', dir]), command[0]).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${dir}: is a directory, not an archive file\n` });
    }
    const missing = join(dir, 'nope/new.db');
    const r2 = await cli(['ingest', A, '--db', missing]);
    expect(r2).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${missing}: cannot create the archive: no folder ${join(dir, 'nope')}\n` });
    expect(readdirSync(dir)).toEqual([]);
    // A "folder" on the way that is a file: said as such, not an internal error.
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'x');
    const under = join(file, 'new.db');
    expect(await cli(['ingest', A, '--db', under])).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${under}: cannot create the archive: ${file} is not a folder\n` });
    expect(await cli(['pages', '--db', under])).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${under}: no archive here yet (ingest a page first, or pass --db)\n` });
  });

  it('an empty or in-memory --db is refused, and an empty $LIVEARCHIVE_DB means the default', async () => {
    for (const db of ['', ':memory:']) {
      const r = await cli(['ingest', A, '--db', db]);
      expect(r.code, db).toBe(2);
      expect(r.stderr).toBe(`livearchive: --db wants the path of an archive file or a postgres:// URL (got "${db}")\n`);
    }
  });

  it('does not write into an SQLite database that is not an archive', async () => {
    const other = join(tempDir(), 'other.db');
    const { default: Database } = await import('better-sqlite3');
    const d = new Database(other);
    d.exec('CREATE TABLE foo (a)');
    d.close();
    const r = await cli(['ingest', A, '--db', other]);
    expect(r).toEqual({ code: 3, stdout: '', stderr: `livearchive: ${other}: not a livearchive archive (an SQLite database with other tables); choose another --db\n` });
    const check = new Database(other, { readonly: true });
    expect(check.prepare(`SELECT name FROM sqlite_master`).all()).toEqual([{ name: 'foo' }]);
    check.close();
  });

  it("an SQL error while running a query is the query's (exit 2), and a text file is not a page", async () => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', A, '--db', db]);
    const r = await cli(['sql', "SELECT json_extract('not json', '$.a')", '--db', db]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `livearchive: sql "SELECT json_extract('not json', '$.a')": malformed JSON\n` });
    // The query names the error: on one line, cut short when long.
    expect(await cli(['sql', '-', '--db', db], { stdin: 'SELECT nope\n  FROM pages\n' })).toEqual({ code: 2, stdout: '', stderr: 'livearchive: sql "SELECT nope FROM pages": no such column: nope\n' });
    const long = `SELECT url, title, publisher, kind, headline, language FROM pages WHERE nope = 1`;
    expect((await cli(['sql', long, '--db', db])).stderr).toBe('livearchive: sql "SELECT url, title, publisher, kind, headline, language FROM…": no such column: nope\n');
    const readme = join(SEEDS, 'README.md');
    expect(await cli(['ingest', readme, '--db', db])).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${readme}: not an HTML page (text with little or no markup)\n` });
  });

  it.each([
    [['ingest', A, '--captured-at', '2025-13-45'], '--captured-at wants an ISO date-time'],
    [['search', 'x', '--since', '2025-13-45'], '--since: 2025-13-45 is not a real date'],
    [['search', 'x', '--tz', 'Mars/Olympus'], '--tz wants an IANA time zone'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await cli([...args, '--db', join(tempDir(), 'x.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it.each([
    [['bogus'], "livearchive: unknown command 'bogus' (see --help)\n"],
    [['export', 'https://example.org/x', '--format', 'xml'], 'livearchive: '],
    [['posts'], "livearchive: missing required argument 'page-url' (see --help)\n"],
  ])('%j is one line and exit 2', async (args, start) => {
    const r = await cli([...args, '--db', join(tempDir(), 'x.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(start)).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a bug is reported as an internal error with exit 4, the stack only with --debug', async () => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', A, '--db', db]);
    // A stdout that throws stands in for a bug: an error no code path expects.
    const broken = { write: (): boolean => { throw new Error('boom'); }, once: () => undefined };
    let err = '';
    const stderr = { write: (s: string) => { err += s; return true; }, once: () => undefined };
    expect(await run(['pages', '--db', db, '--json'], { stdout: broken, stderr, env: {} })).toBe(4);
    expect(err).toBe('livearchive: internal error: boom (a bug: please report it, with --debug output)\n');
    err = '';
    expect(await run(['pages', '--db', db, '--json', '--debug'], { stdout: broken, stderr, env: {} })).toBe(4);
    expect(err.split('\n')[1]).toBe('Error: boom');
  });
  it('a page past --max-page-bytes, as a file, a .gz or on stdin: one line each, exit 1, the rest archived', async () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    const big = join(dir, 'big.html');
    const page = readFileSync(A);
    writeFileSync(big, readFileSync(B));
    const bomb = join(dir, 'bomb.html.gz');
    writeFileSync(bomb, gzipSync(Buffer.concat([page, Buffer.alloc(200 * 1024, 0x20)])));
    const r = await cli(['ingest', big, bomb, A, '--db', db, '--max-page-bytes', '150k']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`livearchive: ${big}: page larger than 150 KiB (--max-page-bytes)\nlivearchive: ${bomb}: page larger than 150 KiB (--max-page-bytes) once decompressed\n`);
    expect(r.stdout).toContain('new snapshot');
    const s = await cli(['ingest', '-', '--db', db, '--max-page-bytes', '1k', '--url', 'https://example.com/x'], { stdin: page });
    expect(s).toEqual({ code: 1, stdout: '', stderr: 'livearchive: -: page larger than 1 KiB (--max-page-bytes)\n' });
    expect((await cli(['ingest', big, '--db', db, '--max-page-bytes', 'lots'])).stderr).toBe('livearchive: --max-page-bytes wants a size such as 32m or 500k (got "lots")\n');
  });
});

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { SCHEMA_VERSION } from '../../src/store/migrate.js';
import { cli, FIXTURES, SEEDS, tempDir } from '../helpers.js';

const A = join(SEEDS, 'cnn-live-2025-11-25-A.html');
const B = join(SEEDS, 'cnn-live-2025-11-25-B.html');
const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';

function tableCounts(db: string): Record<string, number> {
  const d = new Database(db, { readonly: true });
  const out = Object.fromEntries(['pages', 'snapshots', 'posts', 'post_versions', 'snapshot_posts', 'media'].map((t) => [t, (d.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]));
  d.close();
  return out;
}

describe('livearchive ingest', () => {
  it('archives A then B and says what changed, then B again is unchanged', async () => {
    const db = join(tempDir(), 'x.db');
    const a = await cli(['ingest', A, '--captured-at', '2025-11-25T12:05:00Z', '--db', db]);
    expect(a).toEqual({
      code: 0,
      stderr: '',
      stdout: `${A}: new snapshot of ${PAGE} [live blog; cnn-live@2023-01] captured 2025-11-25T12:05:00.000Z (given by hand: --captured-at or retime): 11 posts (11 new, 0 edited, 0 removed)\n`,
    });
    const b = await cli(['ingest', B, '--captured-at', '2025-11-25T15:10:00Z', '--db', db]);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('19 posts (8 new, 1 edited, 0 removed)');
    const before = tableCounts(db);
    const again = await cli(['ingest', B, '--db', db]);
    expect(again).toEqual({ code: 0, stderr: '', stdout: `${B}: unchanged (same bytes already archived for ${PAGE} as snapshot 2, captured 2025-11-25T15:10:00.000Z)\n` });
    expect(tableCounts(db)).toEqual(before);
  });

  it('takes a copy of an older capture, timed by its file time, as that capture, not as the page going back', async () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    const [a, b, copy] = ['A.html', 'B.html', 'A2.html'].map((f) => join(dir, f));
    copyFileSync(A, a!);
    copyFileSync(B, b!);
    utimesSync(a!, new Date('2025-11-25T12:05:00Z'), new Date('2025-11-25T12:05:00Z'));
    utimesSync(b!, new Date('2025-11-25T15:10:00Z'), new Date('2025-11-25T15:10:00Z'));
    expect((await cli(['ingest', a!, b!, '--db', db])).stdout).toContain('2 sources: 2 new, 0 unchanged, 0 failed');
    copyFileSync(a!, copy!);
    const before = tableCounts(db);
    expect(await cli(['ingest', copy!, '--db', db])).toEqual({
      code: 0, stderr: '', stdout: `${copy}: unchanged (same bytes already archived for ${PAGE} as snapshot 1, captured 2025-11-25T12:05:00.000Z)\n`,
    });
    expect(tableCounts(db)).toEqual(before);
    // Given a time, the same bytes after B are the page going back to A: recorded, B's new posts removed.
    expect((await cli(['ingest', copy!, '--captured-at', '2025-11-25T18:00:00Z', '--db', db])).stdout).toContain('11 posts (0 new, 1 edited, 8 removed)');
  });

  it('refuses a capture time in the future (exit 2), and warns when one comes before the posts the page shows', async () => {
    const db = join(tempDir(), 'x.db');
    expect((await cli(['ingest', A, '--captured-at', '2025-11-25T12:05:00Z', '--db', db])).code).toBe(0);
    const before = tableCounts(db);
    const future = await cli(['ingest', B, '--captured-at', '2099-01-01T00:00Z', '--db', db]);
    expect(future).toEqual({ code: 2, stdout: '', stderr: 'livearchive: --captured-at 2099-01-01T00:00Z is in the future; give the time the page was saved\n' });
    expect(tableCounts(db)).toEqual(before);
    // A date alone is midnight UTC: before the posts of that day that the page shows.
    const early = await cli(['ingest', B, '--captured-at', '2025-11-25', '--db', db]);
    expect(early.code).toBe(0);
    expect(early.stdout).toContain("  warning: captured at 2025-11-25T00:00:00.000Z, before the page's newest post (2025-11-25T15:02:14.482Z): the capture time is probably wrong; correct it with: livearchive retime 2 <time the page was saved>\n");
  });

  it('takes the file time as capture time when none is given, and says so', async () => {
    const dir = tempDir();
    const file = join(dir, 'page.html');
    copyFileSync(A, file);
    utimesSync(file, new Date('2025-11-25T12:06:00Z'), new Date('2025-11-25T12:06:00Z'));
    const r = await cli(['ingest', file, '--db', join(dir, 'x.db')]);
    expect(r.stdout).toContain('captured 2025-11-25T12:06:00.000Z (file time)');
  });

  it('reads a gzipped page from stdin whatever its name, with --url', async () => {
    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', '-', '--url', 'https://example.com/live#top', '--captured-at', '2025-11-25T15:10:00Z', '--db', db, '--json'],
      { stdin: gzipSync(readFileSync(B)) });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { results: Array<{ page: string; status: string; posts: { total: number } }> };
    expect(summary.results[0]).toMatchObject({ status: 'new', page: 'https://example.com/live', posts: { total: 19 } });
  });

  it('archives a whole directory recursively, counting the files that are not pages as skipped', async () => {
    const dir = tempDir();
    const sub = join(dir, 'later');
    execFileSync('mkdir', ['-p', sub]);
    copyFileSync(A, join(dir, 'a.html'));
    writeFileSync(join(sub, 'b.html.gz'), gzipSync(readFileSync(B)));
    writeFileSync(join(sub, 'script.js'), 'console.log(1)');
    const r = await cli(['ingest', dir, '--db', join(tempDir(), 'x.db')]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('2 sources: 2 new, 0 unchanged, 0 failed; 1 skipped: not a page');
  });

  it('reports each bad source on one line, exits 1, and still archives the good ones', async () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    await cli(['ingest', A, '--db', db, '--captured-at', '2025-11-25T12:05:00Z']);
    const before = tableCounts(db);
    const empty = join(dir, 'empty.html');
    writeFileSync(empty, '');
    const pdf = join(dir, 'report.html');
    writeFileSync(pdf, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 3, 255])]));
    const text = join(dir, 'notes.html');
    writeFileSync(text, 'just some words, no markup at all\n');
    const badGz = join(dir, 'broken.html.gz');
    writeFileSync(badGz, Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]));
    const missing = join(dir, 'nope.html');

    const r = await cli(['ingest', empty, pdf, missing, text, badGz, B, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `livearchive: ${empty}: empty input: no bytes to parse`,
      `livearchive: ${pdf}: not an HTML page (looks like a PDF document)`,
      `livearchive: ${missing}: no such file or directory`,
      `livearchive: ${text}: not an HTML page (no markup found)`,
      expect.stringMatching(new RegExp(`^livearchive: ${badGz}: damaged gzip data`)),
    ]);
    expect(r.stdout).toContain('19 posts (8 new, 1 edited, 0 removed)');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('6 sources: 1 new, 0 unchanged, 5 failed');
    const after = tableCounts(db);
    expect(after["snapshots"]).toBe(before["snapshots"]! + 1);
    expect(execFileSync('sqlite3', [db, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim()).toBe('ok');
  });

  it('says a URL of another scheme is not supported, rather than a missing file; a host without a scheme is told to add one', async () => {
    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', 'ftp://example.com/x', 'FILE:///tmp/nowhere.html', 'example.com/live', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'livearchive: ftp://example.com/x: the ftp: scheme is not supported: livearchive fetches http:// and https:// URLs, and reads files given as paths',
      'livearchive: FILE:///tmp/nowhere.html: the file: scheme is not supported: livearchive fetches http:// and https:// URLs; give a file as its path',
      'livearchive: example.com/live: no such file or directory (for a web page, give the full URL with http:// or https://)',
    ]);
    expect(existsSync(db)).toBe(false);
  });

  it.each(readdirSync(join(FIXTURES, 'bad')).filter((f) => f !== 'README.md'))('fails cleanly on fixtures/bad/%s and keeps the archive intact', async (name) => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', A, '--db', db]);
    const before = tableCounts(db);
    const file = join(FIXTURES, 'bad', name);
    const r = await cli(['ingest', file, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^livearchive: ${file}: (empty input|not an HTML page|damaged gzip data)[^\n]*\n$`));
    expect(tableCounts(db)).toEqual(before);
  });

  it('says when a page is an ordinary article, and stores it as one post', async () => {
    const db = join(tempDir(), 'x.db');
    const page = join(FIXTURES, 'generic/article_2025-02-02.html');
    const r = await cli(['ingest', page, '--db', db, '--captured-at', '2025-02-02T12:00:00Z']);
    expect(r.stdout).toBe(`${page}: new snapshot of https://news.example.org/2025/02/02/harbor-bridge-reopens [article, not a live blog; generic@1] captured 2025-02-02T12:00:00.000Z (given by hand: --captured-at or retime): 1 post (1 new, 0 edited, 0 removed)\n`);
    expect(JSON.parse((await cli(['pages', '--db', db])).stdout)[0]).toMatchObject({ kind: 'article', posts: 1 });
  });

  it('reads Guardian page data (JSON) and refuses other JSON with a clear message', async () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    const ok = await cli(['ingest', join(FIXTURES, 'guardian-live-data/guardian-live-data_2024-06-08.json'), '--db', db]);
    expect(ok.stdout).toContain('[live blog; guardian-live-data@2021-01]');
    const other = join(dir, 'data.json');
    writeFileSync(other, JSON.stringify({ items: [{ html: '<p>hello</p>' }] }));
    const r = await cli(['ingest', other, '--db', db]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${other}: JSON that is not page data livearchive knows (expected an HTML page)\n` });
  });

  it('prints one JSON summary with --json, failures included', async () => {
    const dir = tempDir();
    const r = await cli(['ingest', A, join(dir, 'missing.html'), '--db', join(dir, 'x.db'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(s).toMatchObject({ sources: 2, new: 1, unchanged: 0, failed: 1 });
    expect((s['results'] as unknown[])[1]).toEqual({ source: join(dir, 'missing.html'), status: 'failed', error: { code: 'E_INPUT', message: 'no such file or directory' } });
  });

  it('--quiet prints nothing when all goes well', async () => {
    const r = await cli(['ingest', A, '--db', join(tempDir(), 'x.db'), '--quiet']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('uses $LIVEARCHIVE_DB when --db is not given', async () => {
    const db = join(tempDir(), 'env.db');
    const r = await cli(['ingest', A], { env: { LIVEARCHIVE_DB: db } });
    expect(r.code).toBe(0);
    expect(tableCounts(db).snapshots).toBe(1);
  });

  it.each([
    [['ingest'], /no sources: give URLs, files, directories or -, or --from FILE/],
    [['ingest', A, '--captured-at', 'yesterday'], /--captured-at wants an ISO date-time/],
    [['ingest', A, '--url', 'not a url'], /--url wants an http\(s\) URL/],
    [['ingest', A, '--bogus'], /unknown option '--bogus'/],
    [['ingest', A, B, '--captured-at', '2025-11-25T12:05:00Z'], /--captured-at names one capture: give one source with it/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('usage error %j exits 2 with one clear line', async (args, message) => {
    const r = await cli([...args, '--db', join(tempDir(), 'x.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^livearchive: /);
    expect(r.stderr).toMatch(message);
  });

  it('refuses an archive written by a newer livearchive, without touching it (exit 3)', async () => {
    const db = join(tempDir(), 'x.db');
    const d = new Database(db);
    d.pragma('user_version = 99');
    d.close();
    const r = await cli(['ingest', A, '--db', db]);
    expect(r).toEqual({ code: 3, stdout: '', stderr: `livearchive: ${db}: archive has schema version 99, newer than this livearchive understands (${SCHEMA_VERSION}); upgrade livearchive\n` });
  });
});

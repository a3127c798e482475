import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/migrate.js';
import { cli, SEEDS, tempDir } from '../helpers.js';

const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
const EDITED = 'h_01aee11ad206d3f1fe2af23da8cbf9af';
let db = '';

beforeAll(async () => {
  db = join(tempDir(), 'x.db');
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--captured-at', '2025-11-25T12:05:00Z', '--db', db]);
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-B.html'), '--captured-at', '2025-11-25T15:10:00Z', '--db', db]);
});

async function json<T>(args: string[]): Promise<T> {
  const r = await cli([...args, '--db', db, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

interface Hit { rank: number; id: string; version: number; headline: string; snippet: string; time: string }

describe('search', () => {
  it('finds posts by words, prefixes and phrases, with a marked snippet', async () => {
    const hits = await json<Hit[]>(['search', 'Moldova']);
    expect(hits.map((h) => h.id)).toEqual(['h_7a5e5f6e317e48ef791a17a18a51eb7d']);
    expect(hits[0]!.snippet).toContain('[Moldova]');
    const phrase = await json<Hit[]>(['search', '"residential building hit"']);
    expect(phrase.map((h) => h.id)).toEqual([EDITED]);
    const prefix = await json<Hit[]>(['search', 'drone*', '--limit', '100']);
    expect(prefix.length).toBeGreaterThan(3);
    expect(prefix.map((h) => h.rank)).toEqual(prefix.map((_, i) => i + 1));
  });

  it('searches captions and contributor names too', async () => {
    expect((await json<Hit[]>(['search', 'captions:firefighters'])).map((h) => h.id)).toEqual(['h_195a92e161db450f7a086a160be18148']);
    expect((await json<Hit[]>(['search', 'contributors:Vlasova'])).map((h) => h.id).sort()).toEqual(['h_1918dc2457f4dd5f890aa32b411c3fd3', 'h_d3b16248467405f5dce291b46d0b5350']);
  });

  it('matches only the latest versions unless asked for all', async () => {
    expect(await json<Hit[]>(['search', 'headline:"climbs to six"'])).toEqual([]);
    const all = await json<Hit[]>(['search', 'headline:"climbs to six"', '--all-versions']);
    expect(all.map((h) => [h.id, h.version])).toEqual([[EDITED, 1]]);
  });

  it('combines filters: contributor, publisher, time window in a time zone', async () => {
    expect((await json<Hit[]>(['search', 'peace', '--contributor', 'kara fox'])).map((h) => h.id)).toEqual(['h_d3b16248467405f5dce291b46d0b5350']);
    expect(await json<Hit[]>(['search', 'peace', '--publisher', 'BBC'])).toEqual([]);
    // 09:00-10:00 in New York is 14:00-15:00 UTC: only the posts timed in that hour.
    const window = await json<Hit[]>(['search', 'Ukraine', '--since', '2025-11-25T09:00', '--until', '2025-11-25T10:00', '--tz', 'America/New_York', '--limit', '100']);
    expect(window.length).toBeGreaterThan(0);
    for (const h of window) expect(h.time >= '2025-11-25T14:00:00.000Z' && h.time < '2025-11-25T15:00:00.000Z', h.time).toBe(true);
    // A date alone includes that whole day in the zone; the day before holds nothing.
    expect((await json<Hit[]>(['search', 'Ukraine', '--until', '2025-11-24', '--tz', 'Asia/Tokyo']))).toEqual([]);
    expect((await json<Hit[]>(['search', 'Ukraine', '--since', '2025-11-25', '--until', '2025-11-25', '--tz', 'America/New_York', '--limit', '1'])).length).toBe(1);
  });

  it('explains a malformed query in one line and exits 2', async () => {
    const r = await cli(['search', '"unbalanced', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('livearchive: malformed search query ""unbalanced" (unterminated string); see https://www.sqlite.org/fts5.html#full_text_query_syntax\n');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a column filter naming no column (exit 2), listing the columns; any case of a real one filters', async () => {
    expect(await cli(['search', 'hedline:peace', '--db', db])).toEqual({
      code: 2, stdout: '',
      stderr: 'livearchive: malformed search query "hedline:peace": no column "hedline" to search; the columns are headline, body, captions, contributors (to find "hedline:" as text, quote it: "hedline:…")\n',
    });
    expect((await cli(['search', 'Moldova (hedline:peace OR body:peace)', '--db', db])).code).toBe(2);
    const byHeadline = await json<Hit[]>(['search', 'headline:Moldova']);
    expect(byHeadline.map((h) => h.id)).toEqual(['h_7a5e5f6e317e48ef791a17a18a51eb7d']);
    expect(await json<Hit[]>(['search', 'HEADLINE:Moldova'])).toEqual(byHeadline);
    // Text with a colon that is no filter: quoted, a URL, a clock time.
    expect(await json<Hit[]>(['search', '"hedline:peace"'])).toEqual([]);
    expect(await json<Hit[]>(['search', 'https://example.org/nothing'])).toEqual([]);
    expect((await cli(['search', '14:05', '--db', db])).code).toBe(0);
  });

  it('ranks a few thousand generated posts exactly by bm25 with --rank, and lists them newest first without', async () => {
    // 3,000 posts of the same length; five of them mention "zebra" 1-5 times: more mentions rank higher.
    const words = ['river', 'council', 'market', 'storm', 'bridge', 'vote', 'school', 'harbor', 'train', 'garden'];
    const rand = (i: number) => words[(i * 7919 + 13) % words.length]!;
    const posts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const zebras = i % 600 === 17 ? Math.floor(i / 600) + 1 : 0;
      const body = Array.from({ length: 30 }, (_, j) => (j < zebras ? 'zebra' : rand(i + j))).join(' ');
      posts.push(`<article class="entry" id="p${i}"><time datetime="2025-01-01T${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z"></time><p>${body}</p></article>`);
    }
    const html = `<!doctype html><html><head><title>Generated</title><link rel="canonical" href="https://example.org/live/zebras"></head><body><main>${posts.join('')}</main></body></html>`;
    const big = join(tempDir(), 'big.db');
    const ingested = await cli(['ingest', '-', '--db', big, '--captured-at', '2025-01-02T00:00:00Z'], { stdin: html });
    expect(ingested.stdout).toContain('3000 posts (3000 new');
    const r = await cli(['search', 'zebra', '--rank', '--db', big, '--json']);
    expect((JSON.parse(r.stdout) as Hit[]).map((h) => h.id)).toEqual(['p2417', 'p1817', 'p1217', 'p617', 'p17']);
    // Newest first is the order archived; within one capture, the page's own order (top first).
    const recent = await cli(['search', 'zebra', '--db', big, '--json']);
    expect((JSON.parse(recent.stdout) as Hit[]).map((h) => h.id)).toEqual(['p17', 'p617', 'p1217', 'p1817', 'p2417']);
  });
});

describe('diff', () => {
  interface Change { change: string; id: string; headlineDiff?: Array<{ op: string; text: string }>; from: string; to: string }

  it('compares the last two captures: added, edited with a word diff, nothing removed', async () => {
    const changes = await json<Change[]>(['diff', PAGE]);
    expect(changes.filter((c) => c.change === 'added')).toHaveLength(8);
    expect(changes.filter((c) => c.change === 'removed')).toHaveLength(0);
    const edited = changes.filter((c) => c.change === 'edited');
    expect(edited.map((c) => c.id)).toEqual([EDITED]);
    expect(edited[0]!.headlineDiff!.filter((s) => s.op !== 'equal')).toEqual([{ op: 'delete', text: 'six' }, { op: 'insert', text: 'seven' }]);
    expect(changes[0]).toMatchObject({ from: '2025-11-25T12:05:00.000Z', to: '2025-11-25T15:10:00.000Z' });
  });

  it('takes captures by time, reversed too, and marks edits in the table', async () => {
    const back = await json<Change[]>(['diff', PAGE, '--from', '2025-11-25T16:00Z', '--to', '2025-11-25T12:30Z']);
    expect(back.filter((c) => c.change === 'removed')).toHaveLength(8);
    const table = await cli(['diff', PAGE, '--db', db], { tty: true, env: { NO_COLOR: '1' } });
    expect(table.stdout).toContain('headline: Death toll in Ukraine climbs to [-six-]{+seven+}');
  });

  it('says so when a page has only one capture', async () => {
    const one = join(tempDir(), 'one.db');
    await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--db', one]);
    const r = await cli(['diff', PAGE, '--db', one]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${PAGE}: needs two snapshots to compare; this page has one\n` });
  });
});

describe('history and posts --at', () => {
  it('lists every version of a post with the captures that showed it', async () => {
    const versions = await json<Array<{ version: number; headline: string; snapshots: string[] }>>(['history', EDITED]);
    expect(versions.map((v) => [v.version, v.headline.match(/six|seven/)![0], v.snapshots])).toEqual([
      [1, 'six', ['2025-11-25T12:05:00.000Z']],
      [2, 'seven', ['2025-11-25T15:10:00.000Z']],
    ]);
    const r = await cli(['history', 'h_nope', '--db', db]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'livearchive: h_nope: no such post in the archive\n' });
  });

  it('shows the page as it stood at a moment', async () => {
    const at = await json<Array<{ id: string; headline: string }>>(['posts', PAGE, '--at', '2025-11-25T13:00:00Z']);
    expect(at).toHaveLength(11);
    expect(at.find((p) => p.id === EDITED)!.headline).toContain('six');
    const before = await cli(['posts', PAGE, '--at', '2025-11-25T10:00:00Z', '--db', db]);
    expect(before.code).toBe(1);
    expect(before.stderr).toBe(`livearchive: ${PAGE}: no capture of this page at or before 2025-11-25T10:00:00.000Z\n`);
  });

  it('takes a date alone as the end of that day, like --until', async () => {
    expect(await json<unknown[]>(['posts', PAGE, '--at', '2025-11-25'])).toHaveLength(19);
    const diff = await json<Array<{ from: string; to: string }>>(['diff', PAGE, '--from', '2025-11-25T13:00Z', '--to', '2025-11-25']);
    expect(diff).toHaveLength(9);
    expect(diff[0]).toMatchObject({ from: '2025-11-25T12:05:00.000Z', to: '2025-11-25T15:10:00.000Z' });
    const r = await cli(['posts', PAGE, '--at', '2025-11-24', '--db', db]);
    expect(r.stderr).toBe(`livearchive: ${PAGE}: no capture of this page at or before 2025-11-24T23:59:59.999Z\n`);
  });
});

describe('times out of range', () => {
  it('a reversed --since/--until is a usage error, not an empty answer', async () => {
    expect(await cli(['search', 'Ukraine', '--since', '2025-11-26', '--until', '2025-11-24', '--db', db])).toEqual({ code: 2, stdout: '', stderr: 'livearchive: --since 2025-11-26 is not before --until 2025-11-24: no post can match\n' });
  });

  it('a time before 1990 or after 2099 says so', async () => {
    const r = await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--captured-at', '1989-12-31T23:59Z', '--db', db]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'livearchive: --captured-at wants a time from 1990 to 2099 (got "1989-12-31T23:59Z")\n' });
    expect((await cli(['search', 'x', '--since', '1980-01-01T00:00', '--db', db])).stderr).toBe('livearchive: --since wants a time from 1990 to 2099 (got "1980-01-01T00:00")\n');
  });

  it('every flag that takes a time refuses one outside 1990–2099 in the same words, a date alone too', async () => {
    const refused = (flag: string, value: string) => ({ code: 2, stdout: '', stderr: `livearchive: ${flag} wants a time from 1990 to 2099 (got "${value}")\n` });
    expect(await cli(['search', 'x', '--since', '1980-01-01', '--db', db])).toEqual(refused('--since', '1980-01-01'));
    expect(await cli(['search', 'x', '--until', '2100-01-01', '--db', db])).toEqual(refused('--until', '2100-01-01'));
    expect(await cli(['export', '--since', '1980-01-01', '--db', db])).toEqual(refused('--since', '1980-01-01'));
    expect(await cli(['diff', PAGE, '--from', '1980-01-01', '--db', db])).toEqual(refused('--from', '1980-01-01'));
    expect(await cli(['diff', PAGE, '--to', '2150-06-01T00:00Z', '--db', db])).toEqual(refused('--to', '2150-06-01T00:00Z'));
    expect(await cli(['posts', PAGE, '--at', '1980-01-01', '--db', db])).toEqual(refused('--at', '1980-01-01'));
    expect(await cli(['ingest', '--wayback', PAGE, '--from', '1980-01-01', '--db', db])).toEqual(refused('--from', '1980-01-01'));
    expect(await cli(['ingest', '--memento', `${PAGE}.timemap`, '--to', '2100-01-01', '--db', db])).toEqual(refused('--to', '2100-01-01'));
    // The years at either end are in.
    expect((await cli(['search', 'Ukraine', '--since', '1990-01-01', '--until', '2099-12-31', '--json', '--db', db])).code).toBe(0);
  });
});

describe('export --format csv', () => {
  it('writes RFC 4180 CSV that a CSV library reads back, one row per post', async () => {
    const r = await cli(['export', '--format', 'csv', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\r\n')).toBe(true);
    const rows = parse(r.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(19);
    const withCredits = rows.find((row) => row['id'] === 'h_d3b16248467405f5dce291b46d0b5350')!;
    expect(withCredits['contributors']).toBe('Svitlana Vlasova; Catherine Nicholls; Kara Fox');
    expect(withCredits['bodyText']).toContain('\n\n');
    expect(withCredits['bodyText']).toContain('“fortress belt”');
  });

  it('one row per version with --history, and the search filters apply', async () => {
    const r = await cli(['export', '--format', 'csv', '--history', '--db', db]);
    const rows = parse(r.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(20);
    expect(rows.filter((row) => row['id'] === EDITED).map((row) => row['version'])).toEqual(['1', '2']);
    const filtered = parse((await cli(['export', '--format', 'csv', '--contributor', 'Vlasova', '--db', db])).stdout, { columns: true }) as unknown[];
    expect(filtered).toHaveLength(2);
  });
});

describe('CSV cells a spreadsheet would run', () => {
  const FORMULAS = ['=HYPERLINK("https://evil.example/","click")', '+1 555 0100 call now', '-2+3 markets fall', '@SUM(A1:A9) totals'];
  const page = (): string => `<!DOCTYPE html><html><head><title>Formulas live</title><link rel="canonical" href="https://example.com/formulas-live">
<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'LiveBlogPosting', headline: 'Formulas live', liveBlogUpdate: FORMULAS.map((h, i) => ({ '@type': 'BlogPosting', '@id': `https://example.com/formulas-live#u${i}`, headline: h, datePublished: `2025-06-01T1${i}:00:00Z`, articleBody: `Body ${i} of an update.` })) })}</script></head><body><main><h1>Formulas live</h1></main></body></html>`;
  let fdb = '';
  beforeAll(async () => {
    fdb = join(tempDir(), 'f.db');
    expect((await cli(['ingest', '-', '--db', fdb, '--captured-at', '2025-06-01T18:00:00Z'], { stdin: page() })).code).toBe(0);
  });

  it('are written with a leading apostrophe by export and by --csv, unless --csv-formulas keep', async () => {
    for (const args of [['export', '--format', 'csv'], ['posts', 'https://example.com/formulas-live', '--csv']]) {
      const rows = parse((await cli([...args, '--db', fdb])).stdout, { columns: true }) as Array<Record<string, string>>;
      expect(rows.map((r) => r['headline']).sort()).toEqual(FORMULAS.map((f) => `'${f}`).sort());
      const kept = parse((await cli([...args, '--db', fdb, '--csv-formulas', 'keep'])).stdout, { columns: true }) as Array<Record<string, string>>;
      expect(kept.map((r) => r['headline']).sort()).toEqual([...FORMULAS].sort());
    }
  });

  it('JSON keeps the text as it is', async () => {
    const posts = JSON.parse((await cli(['posts', 'https://example.com/formulas-live', '--json', '--db', fdb])).stdout) as Array<{ headline: string }>;
    expect(posts.map((p) => p.headline).sort()).toEqual([...FORMULAS].sort());
  });
});

describe('sql --timeout', () => {
  const ENDLESS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c)';
  const children = (): string => spawnSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).stdout.trim();

  it('stops a query that never ends with one line and exit 1, leaving no process behind', async () => {
    const r = await cli(['sql', `${ENDLESS} SELECT COUNT(*) FROM c`, '--timeout', '1', '--db', db]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'livearchive: sql "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM…": stopped after 1 s (--timeout); narrow the query, or allow it longer (--timeout 0: no limit)\n' });
    expect(children()).toBe('');
  });

  it('stops an endless stream of rows too, after writing what came', async () => {
    const r = await cli(['sql', `${ENDLESS} SELECT x FROM c`, '--nl', '--timeout', '1', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^livearchive: sql "WITH RECURSIVE [^"]*…": stopped after 1 s/);
    expect(r.stdout.split('\n')[0]).toBe('{"x":1}');
    expect(children()).toBe('');
  });

  it('--timeout 0 sets no limit; a bad value is a usage error', async () => {
    expect((await cli(['sql', `${ENDLESS} SELECT COUNT(*) AS n FROM (SELECT x FROM c LIMIT 200000)`, '--timeout', '0', '--json', '--db', db])).stdout).toBe('[\n{"n":200000}\n]\n');
    expect((await cli(['sql', 'SELECT 1', '--timeout', 'soon', '--db', db])).stderr).toBe('livearchive: --timeout wants a number of seconds, 0 for no limit (got "soon")\n');
  });
});

describe('sql', () => {
  it('runs read-only queries over tables and views, in every output format', async () => {
    const rows = await json<Array<{ n: number }>>(['sql', 'SELECT COUNT(*) AS n FROM latest_posts']);
    expect(rows).toEqual([{ n: 19 }]);
    const csv = await cli(['sql', "SELECT post_id, version FROM post_timeline WHERE post_id = 'h_01aee11ad206d3f1fe2af23da8cbf9af' ORDER BY captured_at", '--csv', '--db', db]);
    expect(csv.stdout).toBe('post_id,version\r\nh_01aee11ad206d3f1fe2af23da8cbf9af,1\r\nh_01aee11ad206d3f1fe2af23da8cbf9af,2\r\n');
    const table = await cli(['sql', 'PRAGMA user_version', '--db', db], { tty: true });
    expect(table.stdout).toBe(`user_version\n------------\n${SCHEMA_VERSION}\n`);
  });

  it.each([
    'INSERT INTO contributors (name) VALUES (\'x\')',
    'UPDATE posts SET post_key = \'x\'',
    'DELETE FROM posts',
    'DROP TABLE posts',
    "ATTACH DATABASE '/tmp/other.db' AS other",
    'PRAGMA user_version = 9',
    "VACUUM INTO '/tmp/copy.db'",
  ])('refuses %s and leaves the archive as it was', async (statement) => {
    const before = execFileSync('sqlite3', [db, 'SELECT COUNT(*) FROM posts; PRAGMA user_version;'], { encoding: 'utf8' });
    const r = await cli(['sql', statement, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^livearchive: sql "[^\n]+": (only queries that read are allowed|attempt to write a readonly database)/);
    expect(r.stderr).toContain(`sql "${statement}": `);
    expect(execFileSync('sqlite3', [db, 'SELECT COUNT(*) FROM posts; PRAGMA user_version;'], { encoding: 'utf8' })).toBe(before);
  });
});

describe('stats', () => {
  it('counts what the archive holds per publisher', async () => {
    expect(await json<unknown[]>(['stats'])).toEqual([{
      publisher: 'CNN', pages: 1, snapshots: 2, posts: 19, versions: 20, contributors: 15, media: 21,
      firstCapture: '2025-11-25T12:05:00.000Z', lastCapture: '2025-11-25T15:10:00.000Z',
      firstPost: '2025-11-25T09:25:31.519Z', lastPost: '2025-11-25T15:02:14.482Z',
    }]);
  });
});

describe('search with everyday words', () => {
  it.each([
    ['28-point', 'h_edd16c5371005a47f23ca7784918eaed'],
    ['headline:28-point', 'h_edd16c5371005a47f23ca7784918eaed'],
  ])('%s is searched as written, not as FTS5 syntax', async (query, id) => {
    const r = await cli(['search', query, '--db', db, '--limit', '100', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Hit[]).map((h) => h.id)).toContain(id);
  });

  it("finds possessives and apostrophes as words: Russia’s", async () => {
    const hits = JSON.parse((await cli(['search', 'Russia’s', '--db', db, '--limit', '100', '--json'])).stdout) as Hit[];
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.snippet).toMatch(/\[Russia\]['’]\[s\]|\[Russia['’]s\]/);
  });

  it('NEAR with a distance and a publisher named in part work as documented', async () => {
    const near = JSON.parse((await cli(['search', 'NEAR(peace plan, 2)', '--db', db, '--limit', '100', '--json'])).stdout) as Hit[];
    expect(near.length).toBeGreaterThan(0);
    expect((JSON.parse((await cli(['search', 'Moldova', '--publisher', 'cn', '--db', db, '--json'])).stdout) as Hit[])).toHaveLength(1);
  });

  it('a lone * is a word like any other, not an internal error', async () => {
    expect(await cli(['search', '*', '--db', db])).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });
});

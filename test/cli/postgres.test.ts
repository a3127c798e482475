import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer as serve } from '../../src/serve/server.js';
import { newPgArchive, TEST_PG } from '../backends.js';
import { cli, CORPUS, SEEDS, tempDir } from '../helpers.js';
import { startServer, type TestServer } from '../http/server.js';

const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
const EDITED = 'h_01aee11ad206d3f1fe2af23da8cbf9af';
const CAPTURES: Array<[string, string]> = [
  [join(SEEDS, 'cnn-live-2025-11-25-A.html'), '2025-11-25T12:05:00Z'],
  [join(SEEDS, 'cnn-live-2025-11-25-B.html'), '2025-11-25T15:10:00Z'],
  [join(CORPUS, 'mirror/live-2024-08-05-uk-riots.html.gz'), '2024-08-05T20:00:00Z'],
];

/** The same commands, on a SQLite file and on a PostgreSQL database holding the same captures. */
let sqlite = '';
let postgres = '';

async function ingestAll(db: string): Promise<void> {
  for (const [file, at] of CAPTURES) expect((await cli(['ingest', file, '--captured-at', at, '--db', db])).code).toBe(0);
}

/** The parts of an export that differ from one run to the next whatever the backend. */
function exported(stdout: string): unknown {
  return { ...JSON.parse(stdout) as object, generatedAt: null };
}

describe.skipIf(!TEST_PG)('the README commands on a PostgreSQL archive', () => {
  beforeAll(async () => {
    sqlite = join(tempDir(), 'same.db');
    postgres = await newPgArchive();
    await ingestAll(sqlite);
    await ingestAll(postgres);
  });

  it('ingest says the same of the same capture again', async () => {
    const again = await cli(['ingest', CAPTURES[1]![0], '--captured-at', '2025-11-26T00:00:00Z', '--db', postgres]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/: unchanged \(same bytes already archived/);
  });

  it.each([
    [['pages']],
    [['snapshots', PAGE]],
    [['posts', PAGE]],
    [['posts', PAGE, '--at', '2025-11-25T13:00Z']],
    [['diff', PAGE]],
    [['diff', PAGE, '--csv']],
    [['history', EDITED]],
    [['search', 'Moldova']],
    [['search', '"peace plan" OR police', '--rank', '--limit', '5']],
    [['search', 'Ukraine', '--contributor', 'vlasova', '--since', '2025-11-25', '--tz', 'America/New_York']],
    [['stats']],
    [['stats', '--format', 'table']],
    [['export', '--format', 'ndjson']],
    [['export', '--format', 'csv', '--history']],
    [['export', '--format', 'ndjson', '--publisher', 'mirror', '--since', '2024-08-05']],
    [['sql', 'SELECT page_url, post_id, version, published_at, removed_at FROM latest_posts ORDER BY page_url, post_id']],
    [['sql', "SELECT post_id, version, captured_at, pinned FROM post_timeline WHERE post_id = 'h_01aee11ad206d3f1fe2af23da8cbf9af' ORDER BY captured_at", '--csv']],
  ])('%j gives what it gives on SQLite', async (args) => {
    const [lite, pg] = [await cli([...args, '--db', sqlite]), await cli([...args, '--db', postgres])];
    expect(lite.code).toBe(0);
    expect(lite.stdout.length).toBeGreaterThan(10);
    // Search snippets are each engine's own (FTS5 snippet(), ts_headline()), and so are scores.
    if (args[0] === 'search') {
      const strip = (s: string): unknown => (JSON.parse(s) as Array<Record<string, unknown>>).map(({ snippet, score, ...hit }) => ({ ...hit, snippet: typeof snippet, score: typeof score }));
      if (!args.includes('--rank')) expect(strip(pg.stdout)).toEqual(strip(lite.stdout));
      else expect(new Set((JSON.parse(pg.stdout) as Array<{ id: string }>).map((h) => h.id)).size).toBe(5);
      return;
    }
    expect(pg).toEqual(lite);
  });

  it('export --format json is the same document, and export --history too', async () => {
    for (const extra of [[], ['--history']]) {
      const [lite, pg] = [await cli(['export', ...extra, '--db', sqlite]), await cli(['export', ...extra, '--db', postgres])];
      expect(exported(pg.stdout)).toEqual(exported(lite.stdout));
    }
  });

  it('search speaks websearch syntax, and refuses FTS5-only syntax in one line', async () => {
    const excluded = JSON.parse((await cli(['search', 'Ukraine -Moldova', '--limit', '100', '--db', postgres])).stdout) as Array<{ id: string }>;
    const all = JSON.parse((await cli(['search', 'Ukraine', '--limit', '100', '--db', postgres])).stdout) as Array<{ id: string }>;
    expect(excluded.length).toBeGreaterThan(0);
    expect(excluded.length).toBeLessThan(all.length);
    // A column filter of any name or case: websearch would read it as two words.
    for (const query of ['drone*', 'Ukraine NOT Moldova', 'NEAR(peace plan, 3)', 'headline:toll', 'Headline:toll', 'hedline:peace']) {
      const r = await cli(['search', query, '--db', postgres]);
      expect(r.code, query).toBe(2);
      expect(r.stderr, query).toMatch(new RegExp(`^livearchive: malformed search query ".*" for a PostgreSQL archive \\(websearch syntax: words, "a phrase", OR, -word\\); .*\\n$`));
    }
  });

  it('a page indexed in a language configuration is found by its stems', async () => {
    const db = await newPgArchive();
    await cli(['ingest', CAPTURES[0]![0], '--captured-at', CAPTURES[0]![1], '--db', db]);
    const found = async (q: string): Promise<number> => (JSON.parse((await cli(['search', q, '--limit', '100', '--db', db])).stdout) as unknown[]).length;
    expect(await found('strikes')).toBeGreaterThan(0);
    expect(await found('striking')).toBe(0);
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    await client.query(`UPDATE pages SET search_config = 'english'`);
    await client.end();
    expect(await found('striking')).toBe(await found('strikes'));
  });

  it('sql reads in a READ ONLY transaction: every write is refused and nothing changes', async () => {
    const count = async (): Promise<unknown> => JSON.parse((await cli(['sql', 'SELECT COUNT(*) AS n FROM posts', '--db', postgres])).stdout);
    const before = await count();
    for (const statement of ["INSERT INTO contributors (name) VALUES ('x')", "UPDATE posts SET post_key = 'x'", 'DELETE FROM posts', 'DROP TABLE posts',
      'WITH gone AS (DELETE FROM posts RETURNING id) SELECT COUNT(*) FROM gone', 'SELECT 1; DELETE FROM posts', 'SELECT pg_advisory_lock(1); DROP TABLE pages']) {
      const r = await cli(['sql', statement, '--db', postgres]);
      expect(r.code, statement).toBe(2);
      expect(r.stderr, statement).toMatch(/^livearchive: sql "[^\n]+": /);
      expect(r.stderr, statement).toContain(`sql "${statement.slice(0, 40)}`);
    }
    expect(await count()).toEqual(before);
  });

  it('an SQL error names the query, as on SQLite', async () => {
    expect(await cli(['sql', 'SELECT nope\n  FROM pages', '--db', postgres])).toEqual({ code: 2, stdout: '', stderr: 'livearchive: sql "SELECT nope FROM pages": column "nope" does not exist\n' });
  });

  it('sql stops a query at --timeout with one line and exit 1, and streams what came of an endless one', async () => {
    const slow = await cli(['sql', 'SELECT pg_sleep(30)', '--timeout', '1', '--db', postgres]);
    expect(slow).toEqual({ code: 1, stdout: '', stderr: 'livearchive: sql "SELECT pg_sleep(30)": stopped after 1 s (--timeout); narrow the query, or allow it longer (--timeout 0: no limit)\n' });
    const endless = await cli(['sql', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', '--nl', '--timeout', '1', '--db', postgres]);
    expect(endless.code).toBe(1);
    expect(endless.stderr).toMatch(/^livearchive: sql "WITH RECURSIVE [^"]*…": stopped after 1 s/);
    expect(endless.stdout.split('\n').slice(0, 2)).toEqual(['{"x":1}', '{"x":2}']);
    const none = await cli(['sql', 'SELECT COUNT(*) AS n FROM generate_series(1, 200000)', '--timeout', '0', '--json', '--db', postgres]);
    expect(none.stdout).toBe('[\n{"n":200000}\n]\n');
  });

  it('reparse rebuilds the posts from the stored bytes, the same as on SQLite', async () => {
    const [lite, pg] = [await cli(['reparse', '--json', '--db', sqlite]), await cli(['reparse', '--json', '--db', postgres])];
    expect(pg.code).toBe(0);
    expect(JSON.parse(pg.stdout)).toEqual(JSON.parse(lite.stdout));
    expect(exported((await cli(['export', '--db', postgres])).stdout)).toEqual(exported((await cli(['export', '--db', sqlite])).stdout));
  });

  it('datasette-metadata says in one line that Datasette reads SQLite; publish writes a SQLite copy', async () => {
    const ds = await cli(['datasette-metadata', '--db', postgres]);
    expect(ds.code).toBe(2);
    expect(ds.stderr).toMatch(/^livearchive: datasette-metadata: Datasette reads SQLite files; write one first \(livearchive publish copy.db --db postgres:\/\/.*\) and describe that\n$/);
    const out = join(tempDir(), 'published.db');
    const p = await cli(['publish', out, '--db', postgres]);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/^published .*published\.db: \d+ bytes, delete journal/);
    const posts = execFileSync('sqlite3', ['-readonly', sqlite, 'SELECT COUNT(*) FROM latest_posts;'], { encoding: 'utf8' });
    expect(execFileSync('sqlite3', ['-readonly', out, 'PRAGMA integrity_check; SELECT COUNT(*) FROM latest_posts;'], { encoding: 'utf8' })).toBe(`ok\n${posts}`);
    expect(exported((await cli(['export', '--db', out])).stdout)).toEqual(exported((await cli(['export', '--db', sqlite])).stdout));
  });

  it('copy goes SQLite → PostgreSQL → SQLite and the export stays the same; it never writes into an archive', async () => {
    const there = await newPgArchive();
    const up = await cli(['copy', sqlite, there]);
    expect(up.code).toBe(0);
    const [posts, versions] = execFileSync('sqlite3', [sqlite, 'SELECT COUNT(*) FROM posts; SELECT COUNT(*) FROM post_versions;'], { encoding: 'utf8' }).trim().split('\n');
    expect(up.stdout).toBe(`copied ${sqlite} to ${there}: 2 pages, 3 snapshots, ${posts} posts, ${versions} versions\n`);
    const back = join(tempDir(), 'back.db');
    expect((await cli(['copy', there, back])).code).toBe(0);
    const want = exported((await cli(['export', '--history', '--db', sqlite])).stdout);
    expect(exported((await cli(['export', '--history', '--db', there])).stdout)).toEqual(want);
    expect(exported((await cli(['export', '--history', '--db', back])).stdout)).toEqual(want);
    // Search works on each copy: its index was built there.
    expect(JSON.parse((await cli(['search', 'Moldova', '--db', there])).stdout)).toHaveLength(1);
    expect(JSON.parse((await cli(['search', 'Moldova', '--db', back])).stdout)).toHaveLength(1);
    // The ids go on from where the copy left them.
    expect((await cli(['ingest', join(CORPUS, 'corkbeo/live-2020-10-06-level-3-cork.html'), '--db', there])).code).toBe(0);
    const again = await cli(['copy', sqlite, there]);
    expect(again).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${there}: the destination already holds an archive: copy into a new file or an empty database\n` });
  });

  it('serve shows a PostgreSQL archive', async () => {
    const server = await serve({ path: postgres, port: 0 });
    try {
      const home = await (await fetch(server.url)).text();
      expect(home).toContain('Live updates: Ukraine agrees to peace proposal');
      const page = await fetch(`${server.url}page/${encodeURIComponent(PAGE)}?format=json`);
      expect(page.status).toBe(200);
      expect(((await page.json()) as { pages: Array<{ posts: unknown[] }> }).pages[0]!.posts).toHaveLength(19);
      const hits = await (await fetch(`${server.url}search?q=Moldova&format=json`)).json() as Array<{ id: string; at: string }>;
      expect(hits.map((h) => [h.id, h.at])).toEqual([['h_7a5e5f6e317e48ef791a17a18a51eb7d', '2025-11-25T15:10:00.000Z']]);
      expect((await fetch(`${server.url}search?q=Moldova`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('says in one line, exit 3, when the server cannot be reached or the database is not an archive', async () => {
    const refused = await cli(['pages', '--db', 'postgres://nobody@127.0.0.1:1/none']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^livearchive: postgres:\/\/nobody@127\.0\.0\.1:1\/none: cannot open the archive \(.*ECONNREFUSED.*\)\n$/);
    const empty = await newPgArchive();
    expect(await cli(['pages', '--db', empty])).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${empty}: no archive here yet (ingest a page first, or pass --db)\n` });
    const secret = new URL(TEST_PG!);
    secret.password = 'hunter2';
    secret.pathname = '/no_such_database';
    const r = await cli(['pages', '--db', secret.href]);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('hunter2');
  });
});

describe.skipIf(!TEST_PG)('watch on a PostgreSQL archive', () => {
  let server: TestServer;
  afterAll(async () => server?.close());

  it('checks at every interval, conditionally, and records the versions as the page changes', async () => {
    server = await startServer();
    const [a, b] = [readFileSync(CAPTURES[0]![0]), readFileSync(CAPTURES[1]![0])];
    server.route('/live', (req, res, hit) => res.writeHead(200, { 'content-type': 'text/html', etag: `"v${hit === 1 ? 1 : 2}"` }).end(hit === 1 ? a : b));
    const db = await newPgArchive();
    const r = await cli(['watch', server.url('/live'), '--every', '0.3s', '--count', '3', '--delay', '0', '--db', db]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/11 posts \(11 new, 0 edited, 0 removed\)$/);
    expect(lines[1]).toMatch(/19 posts \(8 new, 1 edited, 0 removed\)$/);
    expect(lines[3]).toBe('watch ended: 3 rounds, 2 new snapshots, 0 failed checks');
    // The third check sent the validators the second one recorded.
    expect(server.requests.filter((q) => q.url === '/live').at(-1)!.headers['if-none-match']).toBe('"v2"');
    expect(JSON.parse((await cli(['sql', 'SELECT outcome FROM http_checks ORDER BY id', '--db', db])).stdout)).toEqual([{ outcome: 'new' }, { outcome: 'new' }, { outcome: 'unchanged' }]);
  });
});

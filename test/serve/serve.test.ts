import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { bucketActivity } from '../../src/serve/chart.js';
import { safeBodyHtml } from '../../src/serve/body.js';
import { describeBackends } from '../backends.js';
import { cli, SEEDS, tempDir } from '../helpers.js';

const CNN = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
let db = '';
let server: RunningServer;
const page = (sub = ''): string => `page/${encodeURIComponent(CNN)}${sub}`;
const sha = (): string => createHash('sha256').update(readFileSync(db)).digest('hex');

async function get(path: string): Promise<{ status: number; text: string; headers: Headers }> {
  const r = await fetch(server.url + path);
  return { status: r.status, text: await r.text(), headers: r.headers };
}

beforeAll(async () => {
  db = join(tempDir(), 'x.db');
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--captured-at', '2025-11-25T12:05:00Z', '--db', db]);
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-B.html'), '--captured-at', '2025-11-25T15:10:00Z', '--db', db]);
  server = await startServer({ path: db, port: 0, now: () => new Date('2026-01-01T00:00:00Z') });
});

afterAll(async () => {
  await server?.close();
});

describe('serve over HTTP', () => {
  it('listens on 127.0.0.1 by default and answers with a strict Content-Security-Policy', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await get('');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    expect(r.text).not.toMatch(/<script|\sstyle=|\son\w+=/i);
    const css = await get('static/style.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('never writes: the archive is byte for byte the same after every view, and writes are refused', async () => {
    const before = sha();
    for (const path of ['', page(), `${page()}?at=2025-11-25T13:00Z`, page('/changes'), page('/when'), page('/post/h_01aee11ad206d3f1fe2af23da8cbf9af'), 'search?q=peace']) {
      expect((await get(path)).status, path).toBe(200);
    }
    const post = await fetch(server.url, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(sha()).toBe(before);
  });

  it('shows the page as it stood at a time: the latest capture at or before it', async () => {
    const at13 = await get(`${page()}?at=2025-11-25T13:00Z`);
    expect(at13.text.match(/<article class="post/g)).toHaveLength(11);
    const latest = await get(page());
    expect(latest.text.match(/<article class="post/g)).toHaveLength(19);
  });

  it('says what is wrong with a bad address, with the right status', async () => {
    const before = await get(`${page()}?at=2025-11-24T00:00Z`);
    expect(before.status).toBe(404);
    expect(before.text).toContain('no capture of this page at or before 2025-11-24T00:00:00.000Z');
    expect((await get(`${page()}?at=yesterday`)).status).toBe(400);
    const ancient = await get(`${page()}?at=1980-01-01`);
    expect(ancient.status).toBe(400);
    expect(ancient.text).toContain('at wants a time from 1990 to 2099 (got &quot;1980-01-01&quot;)');
    expect((await get('search?q=peace&since=1980-01-01')).text).toContain('since wants a time from 1990 to 2099');
    expect((await get(`${page()}?tz=Mars/Olympus`)).status).toBe(400);
    const unknown = await get(`page/${encodeURIComponent('https://example.com/nothing')}`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('https://example.com/nothing: no such page in the archive');
    expect((await get('no/such/view')).status).toBe(404);
    expect((await get(`${page()}?format=xml`)).status).toBe(400);
  });

  it('exports each view with the export writers', async () => {
    const doc = JSON.parse((await get(`${page()}?at=2025-11-25T12:05:00Z&format=json`)).text) as { generatedAt: string; pages: Array<{ posts: unknown[] }> };
    expect(doc.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(doc.pages[0]!.posts).toHaveLength(11);
    const changes = parse((await get(`${page('/changes')}?format=csv`)).text, { columns: true }) as Array<Record<string, string>>;
    expect(changes.map((c) => c['change']).sort()).toEqual([...Array(8).fill('added'), 'edited']);
    expect(changes.find((c) => c['change'] === 'edited')!['headlineDiff']).toBe("Death toll in Ukraine climbs to [-six-]{+seven+} after Russia's latest strikes");
    const pages = JSON.parse((await get('?format=json')).text) as Array<{ url: string; posts: number }>;
    expect(pages).toEqual([expect.objectContaining({ url: CNN, posts: 19 })]);
    const hits = JSON.parse((await get('search?q=Moldova&format=json')).text) as Array<{ id: string; at: string }>;
    expect(hits.map((h) => [h.id, h.at])).toEqual([['h_7a5e5f6e317e48ef791a17a18a51eb7d', '2025-11-25T15:10:00.000Z']]);
    const when = JSON.parse((await get(`${page('/when')}?format=json`)).text) as Array<{ posts: number }>;
    expect(when.reduce((n, b) => n + b.posts, 0)).toBe(19);
  });

  it('searches with the filters of the CLI', async () => {
    const kara = await get('search?q=peace&contributor=kara+fox');
    expect(kara.text.match(/<li class="hit">/g)).toHaveLength(1);
    const none = await get('search?q=peace&publisher=BBC');
    expect(none.text).toContain('No post matches.');
    const bad = await get('search?q=peace&since=soon');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('since wants a date (2025-11-25) or date-time');
  });
});

describeBackends('the search page', (backend) => {
  it("explains the query syntax of the archive's backend, and a query in it finds posts", async () => {
    const location = await backend.location();
    await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--captured-at', '2025-11-25T12:05:00Z', '--db', location]);
    const own = await startServer({ path: location, port: 0 });
    try {
      const form = await (await fetch(`${own.url}search`)).text();
      const hint = form.match(/<p class="hint">([^<]*)<\/p>/)![1]!;
      if (backend.name === 'postgres') {
        expect(hint).toBe('Web search syntax (a PostgreSQL archive), as on the command line: words, &quot;a phrase&quot;, a OR b, -word (leave out); whole words only, every column');
        const left = await fetch(`${own.url}search?q=${encodeURIComponent('Ukraine -Moldova')}`);
        expect(left.status).toBe(200);
      } else {
        expect(hint).toContain('FTS5 syntax');
        expect(hint).toContain('prefix*');
        expect((await fetch(`${own.url}search?q=${encodeURIComponent('drone*')}`)).status).toBe(200);
      }
    } finally {
      await own.close();
    }
  });
});

/** A GET with a Host header of our choosing (fetch may not set one). */
function getAs(host: string, path = ''): Promise<number> {
  const u = new URL(server.url + path);
  return new Promise((resolve, reject) => {
    request({ host: u.hostname, port: u.port, path: u.pathname, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject).end();
  });
}

describe('serve and DNS rebinding', () => {
  it('answers only requests that name this machine when it listens on it', async () => {
    const port = new URL(server.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`]) expect(await getAs(host), host).toBe(200);
    for (const host of ['attacker.example', `attacker.example:${port}`, `127.0.0.1.attacker.example:${port}`]) expect(await getAs(host), host).toBe(403);
  });
});

describe('stored bodies', () => {
  it('a body nested 20,000 deep is shown, flattened, not a server error', () => {
    const out = safeBodyHtml(`${'<b>'.repeat(20_000)}deep words${'</b>'.repeat(20_000)}<script>x</script>`);
    expect(out).toContain('deep words');
    expect(out).not.toContain('script');
  });
});

describe('the when chart', () => {
  it('counts per hour of the zone, from the first event to the last', () => {
    const a = { posts: ['2025-11-25T09:25:00Z', '2025-11-25T09:59:59Z', '2025-11-25T11:00:00Z'], edits: ['2025-11-25T10:30:00Z'], removals: [], captures: ['2025-11-25T11:10:00Z'] };
    expect(bucketActivity(a, 'UTC')).toEqual({ size: 1, buckets: [
      { start: '2025-11-25T09:00:00.000Z', posts: 2, edits: 0, removals: 0 },
      { start: '2025-11-25T10:00:00.000Z', posts: 0, edits: 1, removals: 0 },
      { start: '2025-11-25T11:00:00.000Z', posts: 1, edits: 0, removals: 0 },
    ], outside: [] });
    // Kolkata is UTC+5:30: its hours start at half past in UTC.
    expect(bucketActivity(a, 'Asia/Kolkata').buckets.map((b) => [b.start, b.posts])).toEqual([
      ['2025-11-25T08:30:00.000Z', 1], ['2025-11-25T09:30:00.000Z', 1], ['2025-11-25T10:30:00.000Z', 1],
    ]);
    // A week of posts is charted per 3 hours, not in 168 thin bars.
    expect(bucketActivity({ ...a, posts: ['2025-11-18T00:00:00Z', ...a.posts] }, 'UTC').size).toBe(3);
    // A page saved a year after its posts: the capture is left off, not stretching the chart.
    const late = bucketActivity({ ...a, captures: ['2026-12-03T07:15:00Z'] }, 'UTC');
    expect([late.size, late.buckets.length, late.outside]).toEqual([1, 3, ['2026-12-03T07:15:00Z']]);
    // Days start at the zone's midnight.
    const long = bucketActivity({ ...a, posts: ['2025-10-01T12:00:00Z', ...a.posts] }, 'America/New_York');
    expect([long.size, long.buckets[0]!.start]).toEqual([24, '2025-10-01T04:00:00.000Z']);
  });
});

describe('livearchive serve (command)', () => {
  it('refuses a bad port, and a port already taken, in one line', async () => {
    expect(await cli(['serve', '--db', db, '--port', '70000'])).toEqual({ code: 2, stdout: '', stderr: 'livearchive: --port wants a port number from 0 to 65535 (got "70000")\n' });
    const port = new URL(server.url).port;
    expect(await cli(['serve', '--db', db, '--port', port])).toEqual({ code: 1, stdout: '', stderr: `livearchive: 127.0.0.1:${port}: cannot listen: address already in use (another server is there; try --port)\n` });
    const missing = join(tempDir(), 'none.db');
    expect((await cli(['serve', '--db', missing])).stderr).toBe(`livearchive: ${missing}: no archive here yet (ingest a page first, or pass --db)\n`);
  });
});

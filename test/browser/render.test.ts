import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, dbRow, tempDir } from '../helpers.js';
import { startServer, type TestServer } from '../http/server.js';
import { ELECTION_POSTS, FESTIVAL_EVENTS, inFlight, servePages, TICKER_EVENTS, URLS } from './pages.js';

const FAST = ['--delay', '0', '--retries', '0'];
/** The browser the test project was set up with (vitest.config.ts): this project runs only where it exists. */
const IN_BROWSER = ['--render', '--browser', process.env['LIVEARCHIVE_CHROMIUM'] || '/usr/bin/chromium'];
const RENDER = [...IN_BROWSER, '--render-settle', '0.5', '--render-timeout', '20'];

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  servePages(server);
});
afterAll(async () => server?.close());

interface PostRow { id: string; publishedAt: string | null; headline: string | null; bodyText: string; contributors: Array<{ name: string }>; media: Array<{ url: string }> }

async function posts(db: string, page: string): Promise<PostRow[]> {
  const r = await cli(['posts', page, '--db', db, '--json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as PostRow[];
}

describe('--render', () => {
  it('archives a ticker whose posts arrive by fetch() after load; a plain fetch finds none', async () => {
    const db = join(tempDir(), 'r.db');
    const plain = await cli(['ingest', server.url('/ticker'), '--db', db, ...FAST]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(': 0 posts');
    const r = await cli(['ingest', server.url('/ticker'), '--db', db, ...FAST, ...RENDER]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${server.url('/ticker')}: new snapshot of ${URLS.ticker} \\[live blog; generic@1\\] captured \\S+ \\(HTTP response; rendered by Chromium [\\d.]+, settled after [\\d.]+ s\\): 6 posts \\(6 new, 0 edited, 0 removed\\)\\n$`));
    const got = await posts(db, URLS.ticker);
    expect(got.map((p) => p.publishedAt)).toEqual(TICKER_EVENTS.map((e) => new Date(e.at).toISOString()));
    expect(got.map((p) => p.bodyText)).toEqual(TICKER_EVENTS.map((e) => e.text));
    expect(got.map((p) => p.contributors.map((c) => c.name))).toEqual(TICKER_EVENTS.map((e) => [e.by]));
  });

  it('inspect --render shows what the rendered page yields, writing nothing', async () => {
    const plain = await cli(['inspect', server.url('/ticker')]);
    expect(plain.stdout).toContain('posts:     0 ');
    const r = await cli(['inspect', server.url('/ticker'), ...RENDER]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('posts:     6 (0 only in structured data), 0 media, 2 contributors\n');
    expect(r.stdout).toContain(`  2025-03-12T14:40:00.000Z  `);
  });

  it('waits for an API slower than --render-settle: a request under way is not quiet', async () => {
    const r = await cli(['ingest', server.url('/ticker-slow'), '--db', join(tempDir(), 'r.db'), ...FAST, ...RENDER]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(': 6 posts (6 new, 0 edited, 0 removed)');
  });

  it('inlines a same-origin widget frame where it sat, with its posts, times and absolute media URLs', async () => {
    const db = join(tempDir(), 'r.db');
    await cli(['ingest', server.url('/festival'), '--db', db, ...FAST]);
    expect(await posts(db, URLS.festival)).toHaveLength(0);
    const r = await cli(['ingest', server.url('/festival'), '--db', db, ...FAST, ...RENDER]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(', 1 frame inlined): 5 posts (5 new, 0 edited, 0 removed)');
    const got = await posts(db, URLS.festival);
    expect(got.map((p) => [p.id, p.publishedAt, p.bodyText])).toEqual(FESTIVAL_EVENTS.map((e) => [`lb24-event-${e.id}`, new Date(e.at * 1000).toISOString(), e.text]));
    expect(got[0]!.media.map((m) => m.url)).toEqual([server.url(`/embed/24lb/photos/${FESTIVAL_EVENTS[0]!.id}.jpg`)]);
    const render = JSON.parse(dbRow<{ render: string }>(db, "SELECT provenance ->> '$.render' AS render FROM snapshots WHERE render IS NOT NULL").render) as { frames: string[] };
    expect(render.frames).toEqual([server.url('/embed/24lb/3312?lang=en')]);
  });

  it("copies a web component's open shadow root into its host, so the posts in it are read", async () => {
    const db = join(tempDir(), 'r.db');
    const r = await cli(['ingest', server.url('/shadow'), '--db', db, ...FAST, ...RENDER]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(': 3 posts (3 new, 0 edited, 0 removed)');
    expect((await posts(db, URLS.shadow)).map((p) => p.publishedAt)).toEqual(['2025-05-24T16:52:00.000Z', '2025-05-24T16:31:00.000Z', '2025-05-24T15:47:00.000Z']);
  });

  it('inlines a widget frame of another origin too (a sandboxed one), which the page itself cannot read', async () => {
    const db = join(tempDir(), 'r.db');
    const r = await cli(['ingest', server.url('/festival-sandboxed'), '--db', db, ...FAST, ...RENDER]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(', 1 frame inlined): 5 posts (5 new, 0 edited, 0 removed)');
    expect((await posts(db, URLS.festival)).map((p) => p.id)).toEqual(FESTIVAL_EVENTS.map((e) => `lb24-event-${e.id}`));
  });

  it('clicks "Show older posts" up to --render-expand times; a plain fetch has only the newest', async () => {
    const db = join(tempDir(), 'r.db');
    await cli(['ingest', server.url('/election'), '--db', db, ...FAST]);
    expect((await posts(db, URLS.election)).map((p) => p.id)).toEqual(['post-108', 'post-107', 'post-106']);

    const once = await cli(['ingest', server.url('/election'), '--db', db, ...FAST, ...RENDER, '--render-expand', '1']);
    expect(once.stdout).toContain(', 1 load of more): 6 posts (3 new, 0 edited, 0 removed)');
    const all = await cli(['ingest', server.url('/election'), '--db', db, ...FAST, ...RENDER, '--render-expand', '10']);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    // Two clicks empty the list and the button goes: the third step (a scroll) finds nothing more.
    expect(all.stdout).toContain(', 2 loads of more): 8 posts (2 new, 0 edited, 0 removed)');
    const got = await posts(db, URLS.election);
    expect(got.map((p) => [p.id, p.publishedAt])).toEqual(ELECTION_POSTS.map((p) => [`post-${p.id}`, new Date(p.at).toISOString()]));
  });

  it('records how the capture was taken and keeps the server response; reparse reads the rendered DOM', async () => {
    const db = join(tempDir(), 'r.db');
    await cli(['ingest', server.url('/ticker'), '--db', db, ...FAST, ...RENDER]);
    const s = dbRow<{ render: string; http_status: number; final_url: string }>(db, "SELECT provenance ->> '$.render' AS render, http_status, final_url FROM snapshots");
    expect(s.http_status).toBe(200);
    // The check is of the server's response: how the page was rendered after it is the snapshot's alone.
    expect(dbRow<{ provenance: string | null }>(db, 'SELECT provenance FROM http_checks')).toEqual({ provenance: null });
    expect(JSON.parse(s.render)).toMatchObject({
      rendered: true, browser: expect.stringMatching(/^Chromium \d+\.\d+\.\d+\.\d+$/) as unknown,
      wait: { ended: 'stable', settleMs: 500, timeoutMs: 20_000 }, postElements: 6, expanded: 0, frames: [], warnings: [],
    });
    const response = dbRow<{ bytes: Buffer; content_type: string; url: string }>(db, 'SELECT bytes, content_type, url FROM snapshot_raw WHERE part = -1');
    expect(gunzipSync(response.bytes).toString()).toContain('<div class="tik4-loading">Liveticker wird geladen …</div>');
    expect(response).toMatchObject({ content_type: 'text/html; charset=utf-8', url: server.url('/ticker') });
    const rendered = gunzipSync(dbRow<{ bytes: Buffer }>(db, 'SELECT bytes FROM snapshot_raw WHERE part = 0').bytes).toString();
    expect(rendered).toMatch(/^<!DOCTYPE html>\n<html lang="de">/);
    expect(rendered).toContain('data-tik4-event-id="ev-6"');
    const listed = await cli(['snapshots', URLS.ticker, '--db', db], { tty: true });
    expect(listed.stdout.split('\n')[0]).toMatch(/^id\s+capturedAt\s+sha256\s+posts\s+adapter\s+warnings\s+rendered\s+source$/);
    expect(listed.stdout.split('\n')[2]).toMatch(new RegExp(`^1 .* generic@1\\s+0\\s+settled after \\d+\\.\\d s\\s+${server.url('/ticker')}$`));
    const again = await cli(['reparse', '--db', db]);
    expect(again.stdout).toBe(`${URLS.ticker}: 1 snapshot re-parsed (generic@1): 6 posts, 6 versions\n`);
  });

  it('ends a page that never settles at --render-timeout, with a warning, keeping what the DOM held', async () => {
    const db = join(tempDir(), 'r.db');
    const r = await cli(['ingest', server.url('/restless'), '--db', db, ...FAST, ...IN_BROWSER, '--render-settle', '0.5', '--render-timeout', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\(HTTP response; rendered by Chromium [\d.]+, stopped at --render-timeout after 3\.\d s\): (\d+) posts/);
    expect(r.stdout).toContain('  warning: the page did not settle within --render-timeout 3 s (its posts or requests kept changing); archived what it showed then\n');
    const n = Number(/: (\d+) posts/.exec(r.stdout)![1]);
    expect(n).toBeGreaterThan(3);
    expect(await posts(db, URLS.restless)).toHaveLength(n);
    expect(JSON.parse(dbRow<{ render: string }>(db, "SELECT provenance ->> '$.render' AS render FROM snapshots").render)).toMatchObject({ wait: { ended: 'timeout' } });
  });
});

describe('--render is as polite as a plain fetch, and bounded', () => {
  it('keeps robots.txt for the requests the page makes: a disallowed API stays unasked, with a warning', async () => {
    const own = await startServer();
    servePages(own);
    own.route('/robots.txt', (req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /tik4/\n'));
    try {
      const db = join(tempDir(), 'r.db');
      const r = await cli(['ingest', own.url('/ticker'), '--db', db, ...FAST, ...RENDER]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(': 0 posts');
      expect(r.stdout).toContain("  warning: 1 of the page's requests not made: robots.txt disallows them, or could not be fetched (--ignore-robots to allow)\n");
      expect(own.hits.get('/tik4/api/v2/liveblog/t-8812/events')).toBeUndefined();
      const allowed = await cli(['ingest', own.url('/ticker'), '--db', db, ...FAST, ...RENDER, '--ignore-robots']);
      expect(allowed.stdout).toContain(': 6 posts (6 new');
    } finally {
      await own.close();
    }
  });

  it('paces the page\'s data requests per host like plain fetches: at most 2 at a time', async () => {
    const db = join(tempDir(), 'r.db');
    inFlight.most = 0;
    const r = await cli(['ingest', server.url('/parallel'), '--db', db, ...FAST, ...RENDER]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(': 6 posts (6 new');
    expect(inFlight.most).toBe(2);
  });

  it('gives back the turns at a host that a page\'s waiting requests were given after its capture ended', async () => {
    const db = join(tempDir(), 'r.db');
    const r = await cli(['ingest', server.url('/flood'), server.url('/ticker'), '--concurrency', '1', '--db', db, ...FAST, ...IN_BROWSER, '--render-settle', '0.5', '--render-timeout', '2']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${server.url('/ticker')}: new snapshot of ${URLS.ticker}`);
    expect(r.stdout).toContain(': 6 posts (6 new');
  });

  it('blocks listed hosts with --render-block-list, and never lets the page navigate away', async () => {
    const dir = tempDir();
    const list = join(dir, 'hosts.txt');
    // The page itself comes from the server's response, so listing its host blocks only what the page asks for then.
    writeFileSync(list, '# the test server\n127.0.0.1\n');
    const plain = await cli(['ingest', server.url('/ads'), '--db', join(dir, 'a.db'), ...FAST, ...RENDER]);
    expect(plain.code).toBe(0);
    expect(server.hits.get('/ads/gpt.js')).toBe(1);
    expect(rendered(join(dir, 'a.db'))).toContain('<div class="ad-slot">');

    const blocked = await cli(['ingest', server.url('/ads'), '--db', join(dir, 'b.db'), ...FAST, ...RENDER, '--render-block-list', list]);
    expect(blocked.code).toBe(0);
    expect(blocked.stdout).toContain(`  warning: the page tried to go to ${server.url('/consent?return=flood')} and was kept where it was; it may have stopped loading then\n`);
    expect(server.hits.get('/ads/gpt.js')).toBe(1);
    const html = rendered(join(dir, 'b.db'));
    expect(html).not.toContain('ad-slot');
    expect(html).toContain('<h1>Flood live</h1>');
    expect(server.hits.get('/consent?return=flood')).toBeUndefined();
    expect(JSON.parse(dbRow<{ render: string }>(join(dir, 'b.db'), "SELECT provenance ->> '$.render' AS render FROM snapshots").render)).toMatchObject({ blocked: { ads: 1, navigation: 1 } });
  });

  it('gives up a page whose script never yields the browser, naming it; the run goes on', async () => {
    const db = join(tempDir(), 'r.db');
    const r = await cli(['ingest', server.url('/frozen'), server.url('/ticker'), '--concurrency', '1', '--db', db, ...FAST, ...IN_BROWSER, '--render-settle', '0.5', '--render-timeout', '4']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^livearchive: ${server.url('/frozen')}: the page's scripts kept the browser busy .*; not archived\n$`));
    expect(r.stdout).toContain(': 6 posts (6 new');
  });
});

describe('the memory cap', () => {
  it('captures a page whose scripts keep taking memory before they reach the cap, with a warning', async () => {
    const db = join(tempDir(), 'r.db');
    const r = await cli(['ingest', server.url('/hungry'), '--db', db, ...FAST, ...IN_BROWSER, '--render-settle', '30', '--render-timeout', '40']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rendered by Chromium [\d.]+, stopped near the memory cap after [\d.]+ s\): 3 posts/);
    expect(r.stdout).toContain('  warning: the page neared the memory cap (512 MB of script heap or 500000 elements); archived what it showed then\n');
  });
});

describe('watch --render', () => {
  it('renders at every check; an identical render is recognised as unchanged', async () => {
    const db = join(tempDir(), 'w.db');
    const r = await cli(['watch', server.url('/ticker'), '--every', '0.5s', '--count', '2', '--db', db, ...FAST, ...RENDER]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/rendered by Chromium [\d.]+, settled after [\d.]+ s\): 6 posts \(6 new, 0 edited, 0 removed\)$/);
    expect(lines[1]).toMatch(/unchanged \(same bytes already archived/);
    expect(lines[2]).toBe('watch ended: 2 rounds, 1 new snapshot, 0 failed checks');
  });
});

function rendered(db: string): string {
  return gunzipSync(dbRow<{ bytes: Buffer }>(db, 'SELECT bytes FROM snapshot_raw WHERE part = 0').bytes).toString();
}

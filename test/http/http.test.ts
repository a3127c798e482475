import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, FIXTURES, tempDir } from '../helpers.js';
import { startServer, type TestServer } from './server.js';

const PAGE = readFileSync(join(FIXTURES, 'generic/generic-time-elements_2025-03-10.html'));
const PAGE_URL = 'https://news.example.org/live/launch-day';
const FAST = ['--delay', '0', '--retry-base', '20', '--timeout', '2'];

let server: TestServer;
let db: string;
beforeEach(async () => {
  server = await startServer();
  db = join(tempDir(), 'x.db');
});
afterEach(async () => server.close());

function html(res: import('node:http').ServerResponse, body: Buffer = PAGE, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
}

function count(table: string): number {
  const d = new Database(db, { readonly: true });
  const n = (d.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  d.close();
  return n;
}

async function ingest(...args: string[]) {
  return cli(['ingest', ...args, '--db', db, ...FAST]);
}

describe('ingest over HTTP', () => {
  it('archives a page with its provenance and keeps the raw bytes', async () => {
    server.route('/live', (req, res) => html(res, PAGE, { etag: '"v1"', 'last-modified': 'Mon, 10 Mar 2025 14:00:00 GMT' }));
    const r = await ingest(server.url('/live'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${server.url('/live')}: new snapshot of ${PAGE_URL} \\[live blog; generic@1\\] captured \\S+ \\(HTTP response\\): 5 posts`));
    expect(server.requests[1]!.headers['user-agent']).toMatch(/^livearchive\/\d+\.\d+\.\d+/);
    const d = new Database(db, { readonly: true });
    const snap = d.prepare('SELECT requested_url, final_url, http_status, http_headers, captured_at_source, origin FROM snapshots').get() as Record<string, string>;
    expect(snap).toMatchObject({ requested_url: server.url('/live'), final_url: server.url('/live'), http_status: 200, captured_at_source: 'http', origin: 'http' });
    expect(JSON.parse(snap['http_headers']!)).toMatchObject({ etag: '"v1"', 'content-type': 'text/html; charset=utf-8' });
    expect(d.prepare('SELECT COUNT(*) AS n FROM snapshot_raw').get()).toEqual({ n: 1 });
    d.close();
  });

  it('finds the page by the URL it was fetched from, too', async () => {
    server.route('/live', (req, res) => html(res));
    await ingest(server.url('/live'));
    const r = await cli(['posts', server.url('/live'), '--db', db]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(5);
  });

  it('sends the validators back: a 304 records the check and adds nothing', async () => {
    server.route('/live', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
      else html(res, PAGE, { etag: '"v1"' });
    });
    await ingest(server.url('/live'));
    const r = await ingest(server.url('/live'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: unchanged \(HTTP 304 Not Modified; check recorded at .*\)\n$/);
    expect(count('snapshots')).toBe(1);
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT status, outcome FROM http_checks ORDER BY id').all()).toEqual([{ status: 200, outcome: 'new' }, { status: 304, outcome: 'not-modified' }]);
    d.close();
  });

  it('records a 200 with the same bytes as unchanged', async () => {
    server.route('/live', (req, res) => html(res));
    await ingest(server.url('/live'));
    expect((await ingest(server.url('/live'))).stdout).toContain('unchanged (same bytes already archived');
    expect(count('snapshots')).toBe(1);
    expect(count('http_checks')).toBe(2);
  });

  it('retries a 500 and a reset connection, then succeeds', async () => {
    server.route('/flaky', (req, res, hit) => (hit === 1 ? res.writeHead(500).end() : hit === 2 ? req.socket.destroy() : html(res)));
    const r = await ingest(server.url('/flaky'));
    expect(r.code).toBe(0);
    expect(server.hits.get('/flaky')).toBe(3);
  });

  it('honours Retry-After on a 429', async () => {
    server.route('/busy', (req, res, hit) => (hit === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : html(res)));
    const started = Date.now();
    const r = await ingest(server.url('/busy'));
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('follows redirects and records the final URL; a loop is a clear error', async () => {
    server.route('/old', (req, res) => res.writeHead(301, { location: '/new' }).end());
    server.route('/new', (req, res) => html(res));
    server.route('/loop', (req, res) => res.writeHead(302, { location: '/loop' }).end());
    const r = await ingest(server.url('/old'), server.url('/loop'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`livearchive: ${server.url('/loop')}: more than 5 redirects (last to ${server.url('/loop')})\n`);
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT final_url FROM snapshots').get()).toEqual({ final_url: server.url('/new') });
    d.close();
  });

  it('does not retry a port no client may connect to, and says why', async () => {
    const r = await cli(['ingest', 'http://127.0.0.1:9/', '--db', db, '--delay', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('livearchive: http://127.0.0.1:9/: port blocked as unsafe by the HTTP client (the Fetch standard\'s "bad ports")\n');
  });

  it.each([
    ['a slow server', '/slow', (req: unknown, res: import('node:http').ServerResponse) => { setTimeout(() => html(res), 3000); }, 'no response headers before the timeout'],
    ['an endless body', '/endless', (req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = (): void => { while (res.write(chunk)); res.once('drain', pump); };
      pump();
    }, 'page larger than 1 MiB (--max-page-bytes), decompressed'],
    ['a gzip bomb', '/bomb', (req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(64 * 1024 * 1024)));
    }, 'page larger than 1 MiB (--max-page-bytes), decompressed'],
    ['a PDF', '/report', (req: unknown, res: import('node:http').ServerResponse) => { res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7'); }, 'not an HTML page (content type application/pdf)'],
    ['a 404', '/gone', (req: unknown, res: import('node:http').ServerResponse) => { res.writeHead(404).end(); }, 'HTTP 404 Not Found'],
  ])('fails cleanly on %s, naming the URL, archive intact', async (_name, path, handler, message) => {
    server.route(path, handler);
    server.route('/live', (req, res) => html(res));
    const r = await cli(['ingest', server.url(path), server.url('/live'), '--db', db, '--delay', '0', '--retries', '0', '--timeout', '1', '--max-page-bytes', '1m']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`livearchive: ${server.url(path)}: ${message}\n`);
    expect(count('snapshots')).toBe(1);
    expect(execFileSync('sqlite3', [db, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim()).toBe('ok');
  });

  it('honours robots.txt unless told not to', async () => {
    server.route('/robots.txt', (req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private\n'));
    server.route('/private/live', (req, res) => html(res));
    const refused = await ingest(server.url('/private/live'));
    expect(refused.stderr).toBe(`livearchive: ${server.url('/private/live')}: disallowed by robots.txt (use --ignore-robots to override)\n`);
    expect(server.hits.get('/private/live')).toBeUndefined();
    expect((await ingest(server.url('/private/live'), '--ignore-robots')).code).toBe(0);
  });

  it.each([
    ['a server error', (req: unknown, res: import('node:http').ServerResponse) => { res.writeHead(503).end(); }, 'HTTP 503'],
    ['a reset connection', (req: import('node:http').IncomingMessage) => { req.socket.destroy(); }, 'connection reset'],
  ])('counts robots.txt unreachable through %s as disallowing everything (RFC 9309), and tries it again', async (_name, handler, reason) => {
    server.route('/robots.txt', handler);
    server.route('/live', (req, res) => html(res));
    const r = await ingest(server.url('/live'), '--retries', '1');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`livearchive: ${server.url('/live')}: robots.txt could not be fetched (${reason}), which RFC 9309 counts as disallowing everything (use --ignore-robots to override) (after 2 attempts)\n`);
    expect(server.hits.get('/robots.txt')).toBe(2);
    expect(server.hits.get('/live')).toBeUndefined();
  });

  it('says the host cannot be reached, not that its robots.txt cannot, when nothing listens there', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/live`;
    const r = await ingest(url, '--retries', '1');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`livearchive: ${url}: connection refused (after 2 attempts)\n`);
  });

  it('takes a robots.txt answered with a 4xx as allowing everything', async () => {
    server.route('/robots.txt', (req, res) => res.writeHead(403).end());
    server.route('/live', (req, res) => html(res));
    expect((await ingest(server.url('/live'))).code).toBe(0);
    expect(server.hits.get('/live')).toBe(1);
  });

  it('reads sources from a list file, comments and blank lines ignored', async () => {
    server.route('/live', (req, res) => html(res));
    const list = join(tempDir(), 'list.txt');
    execFileSync('sh', ['-c', `printf '# nightly\\n\\n%s  # the launch\\n' '${server.url('/live')}' > ${list}`]);
    const r = await ingest('--from', list);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('5 posts');
  });
});

describe('--follow-pages', () => {
  const page = (n: number, ids: number[], next?: string): Buffer => Buffer.from(`<!doctype html><html><head><title>Live</title>
    <link rel="canonical" href="${server.url('/live')}">${next ? `<link rel="next" href="${next}">` : ''}</head><body><main>${ids.map((id) =>
      `<article id="post-${id}"><time datetime="2025-03-10T${String(10 + (id % 10)).padStart(2, '0')}:00:00Z"></time><h2>Update ${id}</h2><p>Text of update number ${id} on page ${n} of the blog.</p></article>`).join('')}
    </main></body></html>`);

  it("archives a live blog's older pages in the same snapshot, with every page's bytes", async () => {
    server.route('/live', (req, res) => html(res, page(1, [9, 8, 7], '/live?page=2')));
    server.route('/live?page=2', (req, res) => html(res, page(2, [6, 5, 4], '/live?page=3')));
    server.route('/live?page=3', (req, res) => html(res, page(3, [3, 2, 1])));
    const r = await ingest(server.url('/live'), '--follow-pages', '--max-pages', '1');
    expect(r.stdout).toContain('6 posts (6 new, 0 edited, 0 removed)');
    expect(server.hits.get('/live?page=3')).toBeUndefined();
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT part, url FROM snapshot_raw ORDER BY part').all()).toEqual([
      { part: 0, url: server.url('/live') }, { part: 1, url: server.url('/live?page=2') },
    ]);
    expect(d.prepare('SELECT page_links FROM snapshots').get()).toEqual({ page_links: JSON.stringify([server.url('/live?page=2')]) });
    d.close();
    expect((await cli(['reparse', '--db', db])).stdout).toContain('1 snapshot re-parsed (generic@1): 6 posts, 6 versions');
  });
});

describe('--follow-pages when nothing changed', () => {
  it('does not fetch the older pages again when the newest page is the same', async () => {
    const body = (next?: string): Buffer => Buffer.from(`<!doctype html><html><head><link rel="canonical" href="https://example.org/live/same">${next ? `<link rel="next" href="${next}">` : ''}</head>
      <body><main><article id="a1"><time datetime="2025-01-01T09:00:00Z"></time><p>One update of a quiet blog, long enough to count.</p></article>
      <article id="a2"><time datetime="2025-01-01T08:00:00Z"></time><p>Another update of a quiet blog, long enough to count.</p></article>
      <article id="a3"><time datetime="2025-01-01T07:00:00Z"></time><p>The first update of a quiet blog, long enough to count.</p></article></main></body></html>`);
    server.route('/same', (req, res) => html(res, body(server.url('/same?page=2'))));
    server.route('/same?page=2', (req, res) => html(res, body()));
    await ingest(server.url('/same'), '--follow-pages');
    const again = await ingest(server.url('/same'), '--follow-pages');
    expect(again.stdout).toContain('unchanged (same bytes already archived for https://example.org/live/same');
    expect(server.hits.get('/same?page=2')).toBe(1);
    expect(count('snapshots')).toBe(1);
  });
});

describe('--follow-pages with an older page missing', () => {
  it('archives what it got and marks nothing removed that the missing page may still show', async () => {
    const body = (ids: number[], next?: string): Buffer => Buffer.from(`<!doctype html><html><head><link rel="canonical" href="https://example.org/live/partial">${next ? `<link rel="next" href="${next}">` : ''}</head>
      <body><main>${ids.map((id) => `<article id="p${id}"><time datetime="2025-01-01T${String(id).padStart(2, '0')}:00:00Z"></time><p>Update number ${id} of a blog with older pages.</p></article>`).join('')}</main></body></html>`);
    let older = true;
    server.route('/partial', (req, res, hit) => html(res, body(hit === 1 ? [9, 8, 7] : [10, 9, 8, 7], server.url('/partial?page=2'))));
    server.route('/partial?page=2', (req, res) => (older ? html(res, body([6, 5, 4])) : res.writeHead(404).end()));
    await ingest(server.url('/partial'), '--follow-pages');
    older = false;
    const r = await ingest(server.url('/partial'), '--follow-pages');
    expect(r.stdout).toContain('warning: older page');
    const posts = JSON.parse((await cli(['posts', 'https://example.org/live/partial', '--db', db])).stdout) as Array<{ id: string; removedAt: string | null }>;
    expect(posts.filter((p) => p.removedAt !== null)).toEqual([]);
    expect(posts).toHaveLength(7);
  });
});

describe('a saved page served gzipped as a file', () => {
  it('is unpacked and archived like a local .gz', async () => {
    server.route('/saved.html.gz', (req, res) => res.writeHead(200, { 'content-type': 'application/gzip' }).end(gzipSync(PAGE)));
    const r = await ingest(server.url('/saved.html.gz'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('5 posts');
  });
});

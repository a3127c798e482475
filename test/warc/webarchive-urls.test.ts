import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../http/server.js';
import { cli, dbRow, tempDir } from '../helpers.js';
import { HARBOUR, harbourPage } from './invented.js';

/**
 * What an archive's index says is content like any page's: URLs in a TimeMap or a CDX answer go
 * through the URL policy (http and https only), and one that fails it leaves its entry out.
 */
let server: TestServer;
let db: string;
beforeEach(async () => {
  server = await startServer();
  db = join(tempDir(), 'x.db');
});
afterEach(async () => server.close());

const FAST = ['--retry-base', '20', '--timeout', '5'];

/** A replayed capture; one that names no URL of its own is archived under the URL the index gives. */
function servePage(path: string, posts: number[], canonical: string | null = HARBOUR): void {
  server.route(path, (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'memento-datetime': 'Mon, 10 Mar 2025 13:05:00 GMT' }).end(harbourPage(posts, canonical)));
}

/** Every URL stored in the archive, wherever it is kept. */
function storedUrls(): string {
  return JSON.stringify(dbRow(db, `SELECT (SELECT json_group_array(url) FROM pages) AS pages,
    (SELECT json_group_array(json_array(final_url, requested_url, archive_url, provenance)) FROM snapshots) AS snapshots,
    (SELECT json_group_array(json_array(url, provenance)) FROM http_checks) AS checks`));
}

describe('a Memento TimeMap whose links are not web addresses', () => {
  it('leaves out the mementos and TimeMap pages it cannot use, says so, and fetches the rest (no internal error)', async () => {
    const good = `/web/20250310130500/${HARBOUR}`;
    servePage(`/web/20250310130500id_/${HARBOUR}`, [4, 3, 2, 1]);
    server.route('/timemap', (req, res) => res.writeHead(200, { 'content-type': 'application/link-format' }).end([
      `<${HARBOUR}>; rel="original"`,
      '<http://[bad>; rel="memento"; datetime="Mon, 10 Mar 2025 12:05:00 GMT"',
      '<javascript:alert(document.domain)>; rel="memento"; datetime="Mon, 10 Mar 2025 12:35:00 GMT"',
      `<${server.url(good)}>; rel="last memento"; datetime="Mon, 10 Mar 2025 13:05:00 GMT"`,
      '<http://[also-bad>; rel="timemap"; type="application/link-format"',
    ].join(',\n')));
    const r = await cli(['ingest', '--memento', server.url('/timemap'), '--db', db, ...FAST]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${server.url(`/web/20250310130500id_/${HARBOUR}`)}: new snapshot of ${HARBOUR} [live blog; generic@1] captured 2025-03-10T13:05:00.000Z (archive timestamp): 4 posts (4 new, 0 edited, 0 removed)`,
      '1 capture fetched: 1 new, 0 unchanged, 0 failed (1 listed, 0 already archived; 1 left out: TimeMap link not http(s); 2 left out: memento URL not http(s))',
    ]);
    expect(dbRow<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM snapshots').n).toBe(1);
  }, 30_000);

  it('a TimeMap of unusable links only is still a TimeMap: nothing to fetch, said plainly', async () => {
    server.route('/timemap', (req, res) => res.writeHead(200, { 'content-type': 'application/link-format' })
      .end('<http://[bad>; rel="memento"; datetime="Mon, 10 Mar 2025 12:05:00 GMT"'));
    const r = await cli(['ingest', '--memento', server.url('/timemap'), '--db', db, '--json', ...FAST]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ listed: 0, archived: 0, toFetch: 0, leftOut: { 'memento URL not http(s)': 1 }, new: 0, failed: 0 });
  }, 30_000);
});

describe("an index's original URL that is not a web address", () => {
  it('a CDX row whose original is javascript: is left out; the page of the other row is archived under its original', async () => {
    const replay = (ts: string, original: string) => `/web/${ts}id_/${original}`;
    const hostile = 'javascript:alert(document.domain)//';
    // A hostile or broken archive would replay anything at any address.
    servePage(replay('20250310120500', hostile), [3, 2, 1], null);
    servePage(replay('20250310130500', HARBOUR), [4, 3, 2, 1], null);
    server.route('/cdx/search/cdx', (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([
      ['urlkey', 'timestamp', 'original', 'mimetype', 'statuscode', 'digest', 'length'],
      ['example,news)/live/harbour', '20250310120500', hostile, 'text/html', '200', 'AAAA', '900'],
      ['example,news)/live/harbour', '20250310130500', HARBOUR, 'text/html', '200', 'BBBB', '1000'],
    ])));
    const r = await cli(['ingest', '--wayback', HARBOUR, '--cdx-endpoint', server.url('/cdx/search/cdx'), '--db', db, ...FAST]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('1 capture fetched: 1 new, 0 unchanged, 0 failed (1 listed, 0 already archived; 1 left out: original URL not http(s))');
    expect(dbRow<{ urls: string }>(db, 'SELECT json_group_array(url) AS urls FROM pages').urls).toBe(JSON.stringify([HARBOUR]));
    expect(storedUrls()).not.toMatch(/javascript/i);
    expect(server.requests.map((q) => q.url)).not.toContain(replay('20250310120500', hostile));
  }, 30_000);

  it("a TimeMap whose original is javascript: is read as one naming no original: the page's URL is the one its Wayback-style memento URL replays", async () => {
    servePage(`/web/20250310130500id_/${HARBOUR}`, [4, 3, 2, 1], null);
    server.route('/timemap', (req, res) => res.writeHead(200, { 'content-type': 'application/link-format' }).end([
      '<javascript:alert(document.domain)>; rel="original"',
      `<${server.url(`/web/20250310130500/${HARBOUR}`)}>; rel="memento"; datetime="Mon, 10 Mar 2025 13:05:00 GMT"`,
    ].join(',\n')));
    const r = await cli(['ingest', '--memento', server.url('/timemap'), '--db', db, ...FAST]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`new snapshot of ${HARBOUR} [live blog; generic@1]`);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('1 capture fetched: 1 new, 0 unchanged, 0 failed (1 listed, 0 already archived; 1 left out: original URL not http(s))');
    expect(storedUrls()).not.toMatch(/javascript/i);
  }, 30_000);
});

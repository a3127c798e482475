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

function servePage(path: string, posts: number[]): void {
  server.route(path, (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'memento-datetime': 'Mon, 10 Mar 2025 13:05:00 GMT' }).end(harbourPage(posts)));
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

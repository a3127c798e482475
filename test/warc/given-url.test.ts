import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../backends.js';
import { cli, FIXTURES, tempDir } from '../helpers.js';
import { startServer, type TestServer } from '../http/server.js';

// A CNN page whose canonical link names edition.cnn.com; the archivist files it elsewhere with --url.
const PAGE = join(FIXTURES, 'cnn-live/cnn-live_2025-06-01.html');
const PIPED_AS = 'https://example.org/live';
const FETCHED_AS = 'https://example.org/fetched';
const FAST = ['--delay', '0', '--retry-base', '20', '--timeout', '2'];

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
  server.route('/served', (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(PAGE)));
});

afterAll(async () => server.close());

/** What a reader of the archive sees: its pages, and each page's posts with every field. */
async function contents(db: string): Promise<unknown> {
  const pages = await cli(['pages', '--json', '--db', db]);
  expect(pages.code, pages.stderr).toBe(0);
  const urls = (JSON.parse(pages.stdout) as Array<{ url: string }>).map((p) => p.url);
  const posts: Record<string, unknown> = {};
  for (const url of urls) posts[url] = JSON.parse((await cli(['posts', url, '--json', '--db', db])).stdout);
  return { pages: JSON.parse(pages.stdout), posts };
}

describeBackends('a page filed under --url, through export --format warc and back', (backend) => {
  it('is archived under the same URL in the new archive, with the same posts', async () => {
    const db = await backend.location();
    const piped = await cli(['ingest', '-', '--url', PIPED_AS, '--captured-at', '2025-06-01T16:00:00Z', '--db', db], { stdin: readFileSync(PAGE) });
    expect(piped.code, piped.stderr).toBe(0);
    const fetched = await cli(['ingest', server.url('/served'), '--url', FETCHED_AS, '--captured-at', '2025-06-01T17:00:00Z', '--db', db, ...FAST]);
    expect(fetched.code, fetched.stderr).toBe(0);
    const before = await contents(db);
    expect((before as { pages: Array<{ url: string }> }).pages.map((p) => p.url).sort()).toEqual([FETCHED_AS, PIPED_AS]);

    const warc = join(tempDir(), 'given.warc.gz');
    expect(await cli(['export', '--format', 'warc', '--out', warc, '--db', db])).toEqual({ code: 0, stdout: '', stderr: '' });
    // The fetched page keeps the URL it was served at as its target; the URL it was filed under is said beside it.
    const text = gunzipSync(readFileSync(warc)).toString('latin1');
    expect(text).toContain(`WARC-Target-URI: ${server.url('/served')}\r\n`);
    expect(text.match(/^WARC-Livearchive-Page-URL: .*/gm)).toEqual([`WARC-Livearchive-Page-URL: ${PIPED_AS}`, `WARC-Livearchive-Page-URL: ${FETCHED_AS}`]);

    const copy = await backend.location();
    const r = await cli(['ingest', warc, '--db', copy]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`new snapshot of ${PIPED_AS} [`);
    expect(r.stdout).toContain(`new snapshot of ${FETCHED_AS} [`);
    expect(await contents(copy)).toEqual(before);
    // Still filed by the archivist: the same capture given again under its URL is known.
    const again = await cli(['ingest', '-', '--url', PIPED_AS, '--captured-at', '2025-06-02T16:00:00Z', '--db', copy], { stdin: readFileSync(PAGE) });
    expect(again.stdout).toMatch(/^-: unchanged/);
  });

  it('takes only an http(s) URL from the field: anything else in it is ignored', async () => {
    const db = await backend.location();
    expect((await cli(['ingest', '-', '--url', PIPED_AS, '--captured-at', '2025-06-01T16:00:00Z', '--db', db], { stdin: readFileSync(PAGE) })).code).toBe(0);
    const warc = join(tempDir(), 'given.warc');
    expect((await cli(['export', '--format', 'warc', '--out', warc, '--db', db])).code).toBe(0);
    // A WARC header field is outside the record's Content-Length, which still holds.
    const odd = join(tempDir(), 'odd.warc');
    writeFileSync(odd, readFileSync(warc, 'latin1').replace(`WARC-Livearchive-Page-URL: ${PIPED_AS}`, 'WARC-Livearchive-Page-URL: file:///etc/passwd'), 'latin1');
    const r = await cli(['ingest', odd, '--db', await backend.location()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('new snapshot of https://edition.cnn.com/weather/live-news/example-storm-06-01-25/index.html [');
  });
});

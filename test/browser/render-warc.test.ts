import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { WARCParser } from 'warcio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';
import { startServer, type TestServer } from '../http/server.js';
import { servePages, TICKER_EVENTS, URLS } from './pages.js';

const FAST = ['--delay', '0', '--retries', '0'];
const RENDER = ['--render', '--browser', process.env['LIVEARCHIVE_CHROMIUM'] || '/usr/bin/chromium', '--render-settle', '0.5', '--render-timeout', '20'];

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  servePages(server);
});
afterAll(async () => server?.close());

interface Seen { type: string; uri: string | null | undefined; method?: string; status?: number | string; body: string }

async function records(file: string): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const r of new WARCParser(createReadStream(file))) {
    const body = Buffer.from(await r.readFully(true)).toString();
    out.push({
      type: r.warcType, uri: r.warcTargetURI, body,
      ...(r.warcType === 'request' ? { method: r.httpHeaders!.method } : {}),
      ...(r.warcType === 'response' ? { status: r.httpHeaders!.statusCode } : {}),
    });
  }
  return out;
}

async function postTimes(db: string): Promise<string[]> {
  const r = await cli(['posts', URLS.ticker, '--db', db, '--json']);
  return (JSON.parse(r.stdout) as Array<{ publishedAt: string }>).map((p) => p.publishedAt);
}

describe('--render with the web-archive features', () => {
  it('--warc records the exchanges the browser made beside the page fetch: the data its posts came from', async () => {
    const dir = tempDir();
    const warc = join(dir, 'ticker.warc.gz');
    const r = await cli(['ingest', server.url('/ticker'), '--warc', warc, '--db', join(dir, 'x.db'), ...FAST, ...RENDER]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(': 6 posts (6 new');
    const seen = await records(warc);
    expect(seen.map((s) => [s.type, s.uri, s.method ?? s.status ?? null])).toEqual([
      ['warcinfo', null, null],
      ['request', server.url('/robots.txt'), 'GET'],
      ['response', server.url('/robots.txt'), 404],
      // The page, fetched once: the browser is handed that response, not sent for it again.
      ['request', server.url('/ticker'), 'GET'],
      ['response', server.url('/ticker'), 200],
      ['request', server.url('/tik4/api/v2/liveblog/t-8812/events'), 'GET'],
      ['response', server.url('/tik4/api/v2/liveblog/t-8812/events'), 200],
    ]);
    expect(JSON.parse(seen[6]!.body)).toEqual({ events: TICKER_EVENTS });
    // The browser's own request headers, as it sent them.
    const d = await (async () => {
      for await (const rec of new WARCParser(createReadStream(warc))) {
        if (rec.warcType === 'request' && rec.warcTargetURI?.includes('/tik4/')) return rec.httpHeaders!.headers;
      }
      return null;
    })();
    expect(d?.get('user-agent')).toMatch(/^livearchive\//);
    expect(d?.get('referer')).toBe(server.url('/ticker'));
  });

  it('export --format warc writes the server response and the rendered DOM as a conversion of it; the WARC ingests to the same posts', async () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    await cli(['ingest', server.url('/ticker'), '--db', db, ...FAST, ...RENDER]);
    const out = join(dir, 'export.warc.gz');
    expect(await cli(['export', '--format', 'warc', '--out', out, '--db', db])).toEqual({ code: 0, stdout: '', stderr: '' });
    const seen = await records(out);
    expect(seen.map((s) => [s.type, s.uri])).toEqual([['warcinfo', null], ['response', server.url('/ticker')], ['conversion', server.url('/ticker')], ['request', server.url('/ticker')]]);
    expect(seen[1]!.body).toContain('<div class="tik4-loading">Liveticker wird geladen …</div>');
    expect(seen[2]!.body).toContain('data-tik4-event-id="ev-6"');
    const again = join(dir, 'y.db');
    const r = await cli(['ingest', out, '--db', again]);
    expect(r.stdout).toMatch(/\(WARC-Date; rendered by Chromium [\d.]+, settled after [\d.]+ s\): 6 posts \(6 new, 0 edited, 0 removed\)/);
    expect(await postTimes(again)).toEqual(await postTimes(db));
  });
});

import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { WARCParser } from 'warcio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';
import { startServer, type TestServer } from '../http/server.js';
import { servePages, TICKER_EVENTS } from './pages.js';

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

describe('--render with --warc', () => {
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
});

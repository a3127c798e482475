import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Fetcher } from '../../src/acquire/http.js';
import { Renderer } from '../../src/acquire/render.js';
import { WarcRecorder } from '../../src/export/warc-recorder.js';
import { cli, FIXTURES, tempDir } from '../helpers.js';
import { startServer, type TestServer } from '../http/server.js';

// Counts every load of playwright-core in this process: plain ingest must never load it.
const loads = vi.hoisted(() => ({ n: 0 }));
vi.mock('playwright-core', () => {
  loads.n++;
  return { chromium: { launch: () => Promise.reject(new Error('no browser in this test')) } };
});

const PAGE = join(FIXTURES, 'generic/generic-time-elements_2025-03-10.html');
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  server.route('/live', (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head><title>x</title></head><body><p>A page with nothing live in it, long enough.</p></body></html>'));
});
afterAll(async () => server.close());

describe('--render stays out of the way', () => {
  it('plain ingest, of files and URLs, never loads playwright; --render does', async () => {
    const db = join(tempDir(), 'x.db');
    expect((await cli(['ingest', PAGE, server.url('/live'), '--db', db, '--delay', '0'])).code).toBe(0);
    expect((await cli(['watch', server.url('/live'), '--count', '1', '--every', '1s', '--db', db, '--delay', '0'])).code).toBe(0);
    expect(loads.n).toBe(0);
    // Any file will do as the "browser" here: the mocked playwright refuses to start it.
    const r = await cli(['ingest', server.url('/live'), '--render', '--browser', process.execPath, '--db', db, '--delay', '0']);
    expect(loads.n).toBe(1);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${server.url('/live')}: the browser ${process.execPath} did not start (no browser in this test)\n` });
  });

  it('a missing browser is one line saying what to install, exit 1, and nothing else happens', async () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    const r = await cli(['ingest', server.url('/untouched'), '--render', '--browser', join(dir, 'chromium'), '--db', db]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${join(dir, 'chromium')}: no browser there: install Chromium (apt-get install chromium) or give --browser PATH\n` });
    expect(existsSync(db)).toBe(false);
    expect(server.requests.map((req) => req.url)).not.toContain('/untouched');
  });

  it('a block list that cannot be read is one line, before anything is fetched', async () => {
    const dir = tempDir();
    const r = await cli(['ingest', server.url('/untouched'), '--render', '--browser', process.execPath, '--render-block-list', join(dir, 'hosts.txt'), '--db', join(dir, 'x.db')]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${join(dir, 'hosts.txt')}: cannot read the block list (no such file)\n` });
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });

  it.each([['ingest'], ['watch', '--count', '1', '--every', '1s']])('%s closes the browser first, and whatever it opened when opening the next thing fails', async (...command) => {
    const closed: string[] = [];
    // Each close is observed, then does what it does.
    const observe = (proto: { close(): Promise<void> }, name: string) => {
      const close = proto.close;
      return vi.spyOn(proto, 'close').mockImplementation(async function (this: unknown) {
        closed.push(name);
        return close.call(this);
      });
    };
    const spies = [observe(Renderer.prototype, 'browser'), observe(Fetcher.prototype, 'fetcher'), observe(WarcRecorder.prototype, 'warc')];
    try {
      const dir = tempDir();
      const args = [command[0]!, server.url('/live'), ...command.slice(1), '--render', '--browser', process.execPath, '--db', join(dir, 'x.db'), '--delay', '0'];
      expect((await cli([...args, '--warc', join(dir, 'x.warc.gz')])).code).toBe(1);
      expect(closed).toEqual(['browser', 'fetcher', 'warc']);
      closed.length = 0;
      // A folder named as the WARC is refused before anything opens.
      expect(await cli([...args, '--warc', dir])).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${dir}: is a directory\n` });
      expect(closed).toEqual([]);
      // The WARC cannot be opened all the same (a link to a folder that is gone): the browser opened before it is closed.
      const link = join(dir, 'gone.warc');
      symlinkSync(join(dir, 'gone', 'x.warc'), link);
      expect(await cli([...args, '--warc', link])).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${link}: cannot write the WARC (ENOENT: no such file or directory, open '${link}')\n` });
      expect(closed).toEqual(['browser']);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it.each([
    [['ingest', 'http://127.0.0.1:1/x', '--render-expand', '3'], '--render-expand works with --render only'],
    [['watch', 'http://127.0.0.1:1/x', '--browser', '/usr/bin/chromium'], '--browser works with --render only'],
    [['ingest', 'page.html', '--render'], '--render loads URLs in a browser; page.html is not one (saved pages are archived as they are, without --render)'],
    [['inspect', '-', '--render'], '--render loads URLs in a browser; - is not one (saved pages are archived as they are, without --render)'],
    [['ingest', 'http://127.0.0.1:1/x', '--render', '--render-expand', 'lots'], '--render-expand wants a whole number ≥ 0 (got "lots")'],
    [['ingest', 'http://127.0.0.1:1/x', '--render', '--render-timeout', '0'], '--render-timeout wants a number ≥ 0.1 (got "0")'],
    [['ingest', 'http://127.0.0.1:1/x', '--render-block-list', 'hosts.txt'], '--render-block-list works with --render only'],
    [['ingest', '--wayback', 'http://127.0.0.1:1/x', '--render'], '--render loads live pages; --wayback reads captures as the archive stored them'],
    [['ingest', '--memento', 'http://127.0.0.1:1/timemap', '--render', '--render-expand', '2'], '--render loads live pages; --memento reads captures as the archive stored them'],
    [['ingest', '--wayback', 'http://127.0.0.1:1/x', '--render-expand', '2'], '--render-expand works with --render only'],
  ])('%j is a usage error', async (args, message) => {
    const r = await cli(args[0] === 'inspect' ? args : [...args, '--db', join(tempDir(), 'x.db')]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `livearchive: ${message}\n` });
  });
});

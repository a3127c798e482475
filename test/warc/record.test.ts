import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WARCParser } from 'warcio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../http/server.js';
import { cli, dbRow, tempDir } from '../helpers.js';
import { A, B, PAGE } from './producers.js';

const FAST = ['--delay', '0', '--retry-base', '20', '--timeout', '2'];

async function records(file: string): Promise<Array<{ type: string; uri: string | null | undefined; status?: string | number; length: number }>> {
  const out = [];
  for await (const r of new WARCParser(createReadStream(file))) {
    const body = await r.readFully(true);
    out.push({ type: r.warcType, uri: r.warcTargetURI, ...(r.warcType === 'response' ? { status: r.httpHeaders?.statusCode } : {}), length: body.length });
  }
  return out;
}

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => server.close());

describe('--warc: the fetches of ingest and watch, appended to a WARC as they happen', () => {
  it('ingest URL --warc writes request and response of every exchange; the WARC ingests to the same page', async () => {
    let body = readFileSync(A);
    server.route('/live', (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }).end(gzipSync(body)));
    server.route('/old', (req, res) => res.writeHead(301, { location: '/live' }).end());
    const dir = tempDir();
    const warc = join(dir, 'captures.warc.gz');
    const db = join(dir, 'x.db');
    const r = await cli(['ingest', server.url('/old'), '--warc', warc, '--db', db, ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    expect(await records(warc)).toEqual([
      { type: 'warcinfo', uri: null, length: expect.any(Number) },
      { type: 'request', uri: server.url('/robots.txt'), length: 0 },
      { type: 'response', uri: server.url('/robots.txt'), status: 404, length: 0 },
      { type: 'request', uri: server.url('/old'), length: 0 },
      { type: 'response', uri: server.url('/old'), status: 301, length: 0 },
      { type: 'request', uri: server.url('/live'), length: 0 },
      { type: 'response', uri: server.url('/live'), status: 200, length: readFileSync(A).length },
    ]);
    // Appended to, not replaced: a second run adds its exchanges after the first run's.
    body = readFileSync(B);
    await cli(['ingest', server.url('/live'), '--warc', warc, '--db', db, ...FAST]);
    const after = await records(warc);
    expect(after.filter((x) => x.type === 'warcinfo')).toHaveLength(1);
    expect(after.filter((x) => x.type === 'response' && x.uri === server.url('/live'))).toHaveLength(2);

    const fresh = join(tempDir(), 'y.db');
    const again = await cli(['ingest', warc, '--db', fresh]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`new snapshot of ${PAGE}`);
    expect(again.stdout).toContain('19 posts (8 new, 1 edited, 0 removed)');
    expect(again.stdout).toContain(`${warc}: 11 records: 2 captures, 0 revisits, 9 skipped`);
  });

  it('watch --warc appends each round', async () => {
    server.route('/live', (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(readFileSync(A)));
    const dir = tempDir();
    const warc = join(dir, 'watch.warc');
    const r = await cli(['watch', server.url('/live'), '--every', '50ms', '--count', '2', '--warc', warc, '--db', join(dir, 'x.db'), ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(warc).subarray(0, 8).toString()).toBe('WARC/1.1');
    expect((await records(warc)).filter((x) => x.type === 'response' && x.uri === server.url('/live'))).toHaveLength(2);
  });
});

describe('--warc: the WARC written holds the captures archived, at the same times', () => {
  const snapshots = (db: string): number => dbRow<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM snapshots').n;
  const capturedAt = (db: string): string[] => dbRow<{ t: string }>(db, `SELECT group_concat(captured_at, ' ') AS t FROM (SELECT captured_at FROM snapshots ORDER BY captured_at)`).t.split(' ');
  async function responseDates(file: string, url: string): Promise<string[]> {
    const out: string[] = [];
    for await (const r of new WARCParser(createReadStream(file))) {
      if (r.warcType === 'response' && r.warcTargetURI === url) out.push(r.warcDate!);
      await r.readFully(false);
    }
    return out;
  }

  it('ingest URL --warc, then that WARC into the same archive: unchanged', async () => {
    server.route('/old', (req, res) => res.writeHead(301, { location: '/live' }).end());
    server.route('/live', (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(A)));
    const dir = tempDir();
    const warc = join(dir, 'w.warc');
    const db = join(dir, 'h.db');
    const r = await cli(['ingest', server.url('/old'), '--warc', warc, '--db', db, ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    // The capture's time is its response record's WARC-Date, to the millisecond.
    expect(capturedAt(db)).toEqual(await responseDates(warc, server.url('/live')));
    const again = await cli(['ingest', warc, '--db', db]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`${warc}: 7 records: 1 capture, 0 revisits, 6 skipped`);
    expect(again.stdout).toMatch(new RegExp(`^${warc}#\\d+: unchanged \\(same bytes already archived for .* as snapshot 1, captured ${capturedAt(db)[0]}\\)$`, 'm'));
    expect(again.stdout).not.toContain('new snapshot');
    expect(snapshots(db)).toBe(1);
  });

  it('watch --warc, then that WARC into the same archive: unchanged', async () => {
    server.route('/live', (req, res, hit) => res.writeHead(200, { 'content-type': 'text/html' }).end(readFileSync(hit === 1 ? A : B)));
    const dir = tempDir();
    const warc = join(dir, 'watch.warc.gz');
    const db = join(dir, 'w.db');
    const r = await cli(['watch', server.url('/live'), '--every', '50ms', '--count', '2', '--warc', warc, '--db', db, ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    expect(snapshots(db)).toBe(2);
    expect(capturedAt(db)).toEqual(await responseDates(warc, server.url('/live')));
    const again = await cli(['ingest', warc, '--db', db]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('new snapshot');
    expect(again.stdout).toContain('2 sources: 0 new, 2 unchanged, 0 failed');
    expect(snapshots(db)).toBe(2);
  });
});

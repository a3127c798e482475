import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Fetcher } from '../../src/acquire/http.js';
import { listCdxCaptures, replayBaseFor } from '../../src/acquire/webarchive.js';
import { startServer } from '../http/server.js';
import { cli, tempDir } from '../helpers.js';
import { archiveServer, type ArchiveServer, type Held } from './archive-server.js';
import { A, B, PAGE } from './producers.js';

const FAST = ['--retry-base', '20', '--timeout', '5'];
const held: Held[] = [
  { timestamp: '20251125120500', original: PAGE, status: 200, mime: 'text/html', body: readFileSync(A) },
  { timestamp: '20251125130000', original: PAGE, status: 302, mime: 'text/html', body: Buffer.from('') },
  { timestamp: '20251125151000', original: PAGE, status: 200, mime: 'text/html', body: readFileSync(B) },
  // The same bytes again: collapse=digest leaves it out of the CDX answer; a TimeMap lists it.
  { timestamp: '20251125160000', original: PAGE, status: 200, mime: 'text/html', body: readFileSync(B) },
  { timestamp: '20251126090000', original: PAGE, status: 404, mime: 'text/html', body: Buffer.from('gone') },
];

let archive: ArchiveServer;
let db: string;
beforeEach(async () => {
  archive = await archiveServer(held, { maxRows: 1 });
  db = join(tempDir(), 'x.db');
});
afterEach(async () => archive.close());

function rows<T>(sql: string): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all() as T[];
  } finally {
    d.close();
  }
}

const wayback = (...args: string[]) => cli(['ingest', '--wayback', PAGE, '--cdx-endpoint', `${archive.base}/cdx/search/cdx`, '--db', db, ...FAST, ...args]);

describe('ingest --wayback (CDX server API + id_ replay)', () => {
  it('refuses a --from after --to as a usage error, as search refuses a reversed --since/--until, and asks the archive nothing', async () => {
    const r = await wayback('--from', '2025-11-26', '--to', '2025-11-25');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'livearchive: --from 2025-11-26 is not before --to 2025-11-25: no capture can match\n' });
    expect(archive.requests).toEqual([]);
    expect(existsSync(db)).toBe(false);
    // The same day at both ends is that whole day; the same second is that second.
    expect((await wayback('--from', '2025-11-25T12:05:00Z', '--to', '2025-11-25T12:05:00Z', '--dry-run')).code).toBe(0);
  });

  it("lists the page's captures, fetches each original one at a time, a second apart, and archives them in time order", async () => {
    archive.throttleOnce(`/web/20251125120500id_/${PAGE}`, '1');
    const r = await wayback('--from', '2025-11-25', '--to', '2025-11-25');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const replay = (ts: string) => `${archive.base}/web/${ts}id_/${PAGE}`;
    expect(r.stdout.trim().split('\n')).toEqual([
      `${replay('20251125120500')}: new snapshot of ${PAGE} [live blog; cnn-live@2023-01] captured 2025-11-25T12:05:00.000Z (archive timestamp): 11 posts (11 new, 0 edited, 0 removed)`,
      `${replay('20251125151000')}: new snapshot of ${PAGE} [live blog; cnn-live@2023-01] captured 2025-11-25T15:10:00.000Z (archive timestamp): 19 posts (8 new, 1 edited, 0 removed)`,
      '2 captures fetched: 2 new, 0 unchanged, 0 failed (2 listed, 0 already archived)',
    ]);
    // The documented query: exact URL, JSON, status 200, collapsed by digest, the range as timestamps; resumed past the server's row limit.
    const cdx = archive.requests.filter((q) => q.url.startsWith('/cdx/')).map((q) => new URL(q.url, archive.base).searchParams);
    expect(cdx[0]!.get('url')).toBe(PAGE);
    expect([cdx[0]!.get('output'), cdx[0]!.get('filter'), cdx[0]!.get('collapse'), cdx[0]!.get('from'), cdx[0]!.get('to')]).toEqual(['json', 'statuscode:200', 'digest', '20251125000000', '20251125235959']);
    expect(cdx.length).toBe(2);
    expect(cdx[1]!.get('resumeKey')).toMatch(/^com,cnn\)\/world\/live-news\/\S+ 20251125120500$/);
    // One request at a time, at least a second apart (the 429 was retried after its Retry-After).
    const times = archive.requests.filter((q) => q.url !== '/robots.txt').map((q) => q.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(950);
    expect(archive.requests.filter((q) => q.url.includes('20251125120500id_'))).toHaveLength(2);
    const snaps = rows<{ captured_at_source: string; origin: string; archive_url: string; provenance: string; final_url: string }>('SELECT captured_at_source, origin, archive_url, provenance, final_url FROM snapshots ORDER BY captured_at');
    expect(snaps.map((s) => [s.origin, s.captured_at_source, s.archive_url])).toEqual([['archive', 'archive', replay('20251125120500')], ['archive', 'archive', replay('20251125151000')]]);
    expect(JSON.parse(snaps[0]!.provenance)).toEqual({ archive: { url: replay('20251125120500'), timestamp: '20251125120500', original: PAGE, via: 'cdx', index: `${archive.base}/cdx/search/cdx` } });
  }, 30_000);

  it('resumes: a re-run fetches only the captures not yet archived; --dry-run fetches nothing', async () => {
    const first = await wayback('--limit', '1');
    expect(first.stdout).toContain('1 capture fetched: 1 new, 0 unchanged, 0 failed (2 listed, 0 already archived)');
    const dry = await wayback('--dry-run');
    expect(dry.stdout.trim().split('\n')).toEqual([
      `2025-11-25T15:10:00.000Z  ${archive.base}/web/20251125151000id_/${PAGE}`,
      '1 capture to fetch (2 listed, 1 already archived)',
    ]);
    const before = archive.requests.filter((q) => q.url.startsWith('/web/')).length;
    expect(before).toBe(1);
    const second = await wayback();
    expect(second.stdout).toContain('19 posts (8 new, 1 edited, 0 removed)');
    expect(second.stdout).toContain('1 capture fetched: 1 new, 0 unchanged, 0 failed (2 listed, 1 already archived)');
    const third = await wayback();
    expect(third.stdout.trim()).toBe('0 captures fetched: 0 new, 0 unchanged, 0 failed (2 listed, 2 already archived)');
    expect(archive.requests.filter((q) => q.url.startsWith('/web/')).length).toBe(2);
  }, 30_000);

  it('--dry-run on an archive that is not there yet lists the captures and leaves no archive behind', async () => {
    const dry = await wayback('--dry-run');
    expect(dry.stdout).toContain('2 captures to fetch (2 listed, 0 already archived)');
    expect(existsSync(db)).toBe(false);
  }, 30_000);

  it('then diff, history, posts --at and search work on the rebuilt past', async () => {
    await wayback();
    const at = await cli(['posts', PAGE, '--at', '2025-11-25T13:00:00Z', '--db', db, '--json']);
    expect(JSON.parse(at.stdout)).toHaveLength(11);
    const diff = JSON.parse((await cli(['diff', PAGE, '--db', db, '--json'])).stdout) as Array<{ change: string; id: string }>;
    expect(diff.filter((d) => d.change === 'added')).toHaveLength(8);
    const edited = diff.find((d) => d.change === 'edited')!;
    const history = JSON.parse((await cli(['history', edited.id, '--db', db, '--json'])).stdout) as Array<{ firstSeenAt: string }>;
    expect(history.map((h) => h.firstSeenAt)).toEqual(['2025-11-25T12:05:00.000Z', '2025-11-25T15:10:00.000Z']);
    const hits = JSON.parse((await cli(['search', 'Moldova', '--db', db, '--json'])).stdout) as unknown[];
    expect(hits).toHaveLength(1);
  }, 30_000);

  it('says what is wrong with a CDX endpoint whose replay address cannot be told', async () => {
    const r = await cli(['ingest', '--wayback', PAGE, '--cdx-endpoint', `${archive.base}/index`, '--db', db]);
    expect(r).toMatchObject({ code: 2, stderr: `livearchive: cannot tell where ${archive.base}/index replays its captures: give --replay-base\n` });
    expect(await cli(['ingest', 'x.html', '--dry-run', '--db', db])).toMatchObject({ code: 2, stderr: 'livearchive: --dry-run goes with --wayback or --memento\n' });
  });
});

describe('ingest --memento (RFC 7089 TimeMap)', () => {
  it('fetches every memento the TimeMap lists, raw (id_), in time order; the repeated bytes are unchanged', async () => {
    const r = await cli(['ingest', '--memento', `${archive.base}/web/timemap/link/${PAGE}`, '--to', '2025-11-25T16:00:00Z', '--db', db, ...FAST]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('captured 2025-11-25T12:05:00.000Z (archive timestamp): 11 posts (11 new, 0 edited, 0 removed)');
    expect(r.stdout).toContain('19 posts (8 new, 1 edited, 0 removed)');
    expect(r.stdout).toContain(`${archive.base}/web/20251125160000id_/${PAGE}: unchanged (same bytes already archived for ${PAGE} as snapshot 2, captured 2025-11-25T15:10:00.000Z)`);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('3 captures fetched: 2 new, 1 unchanged, 0 failed (3 listed, 0 already archived)');
    expect(archive.requests.some((q) => /\/web\/\d{14}\//.test(q.url))).toBe(false);
    // Resumable too: the unchanged capture counts as fetched.
    const again = await cli(['ingest', '--memento', `${archive.base}/web/timemap/link/${PAGE}`, '--to', '2025-11-25T16:00:00Z', '--db', db, ...FAST]);
    expect(again.stdout.trim()).toBe('0 captures fetched: 0 new, 0 unchanged, 0 failed (3 listed, 3 already archived)');
  }, 30_000);
});

describe('a pywb CDX server (one JSON object per line, /<coll>/cdx, replay at /<coll>/)', () => {
  it('is read the same way: field names mapped, status and digest rules applied to the rows', async () => {
    const pywb = await startServer();
    // pywb's output=json, as its CDXJ server API documents it: urlkey, timestamp, url, mime, status, digest, length, offset, filename.
    const line = (ts: string, status: string, digest: string) => JSON.stringify({ urlkey: 'com,example)/live', timestamp: ts, url: 'https://example.com/live', mime: 'text/html', status, digest, length: '1043', offset: '0', filename: 'crawl.warc.gz' });
    pywb.route('/my-web-archive/cdx', (req, res) => res.writeHead(200, { 'content-type': 'text/x-ndjson' })
      .end([line('20250310100000', '200', 'AAAA'), line('20250310110000', '200', 'AAAA'), line('20250310120000', '404', 'BBBB'), line('20250310130000', '200', 'CCCC')].join('\n')));
    try {
      const endpoint = pywb.url('/my-web-archive/cdx');
      expect(replayBaseFor(endpoint)).toBe(pywb.url('/my-web-archive/'));
      expect(replayBaseFor('https://web.archive.org/cdx/search/cdx')).toBe('https://web.archive.org/web/');
      expect(replayBaseFor('http://localhost:8080/pywb-cdx')).toBe('http://localhost:8080/pywb/');
      const fetcher = new Fetcher({ delayMs: 0 });
      const captures = await listCdxCaptures(fetcher, 'https://example.com/live', { endpoint, replayBase: replayBaseFor(endpoint)! });
      await fetcher.close();
      expect(captures.map((c) => [c.timestamp, c.replayUrl])).toEqual([
        ['20250310100000', pywb.url('/my-web-archive/20250310100000id_/https://example.com/live')],
        ['20250310130000', pywb.url('/my-web-archive/20250310130000id_/https://example.com/live')],
      ]);
    } finally {
      await pywb.close();
    }
  });
});

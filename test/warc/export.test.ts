import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { WARCParser } from 'warcio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../http/server.js';
import { cli, CORPUS, tempDir } from '../helpers.js';
import { A, B } from './producers.js';
import { sha1Base32 } from './archive-server.js';

const FAST = ['--delay', '0', '--retry-base', '20', '--timeout', '2'];

/** The JSON export without what belongs to one ingest rather than to the captures. */
async function exportJson(db: string): Promise<unknown> {
  const r = await cli(['export', '--history', '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { generatedAt?: string; pages: Array<{ snapshots: Array<{ source?: string }>; posts: Array<{ versions: Array<{ sightings: Array<{ snapshotId?: number }> }> }> }> };
  delete doc.generatedAt;
  for (const p of doc.pages) {
    for (const s of p.snapshots) delete s.source;
    for (const post of p.posts) for (const v of post.versions) for (const s of v.sightings) delete s.snapshotId;
  }
  return doc;
}

let server: TestServer;
let db: string;
let multiPage: string;
/** A page that names no URL, saved twice to one file: archived under its file:// URL. */
let notes: string;
/** A page that names no URL, from stdin: archived under the hash of its bytes. */
let piped: Buffer;

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
/** Invented text, no canonical link, no og:url: the page names no URL. */
const notesPage = (when: string): string => `<!doctype html><html><head><title>Harbour notes</title></head><body><article><h1>Harbour notes</h1><p>The ferry left the harbour ${when}; the gulls followed it out past the breakwater.</p></article></body></html>`;

beforeAll(async () => {
  server = await startServer();
  db = join(tempDir(), 'x.db');
  const page = (n: number, ids: number[], next?: string): Buffer => Buffer.from(`<!doctype html><html><head><title>Live</title>
    <link rel="canonical" href="${server.url('/live')}">${next ? `<link rel="next" href="${next}">` : ''}</head><body><main>${ids.map((id) =>
      `<article id="post-${id}"><time datetime="2025-03-10T${String(10 + id).padStart(2, '0')}:00:00Z"></time><h2>Update ${id}</h2><p>Text of update number ${id} on page ${n} of the blog.</p></article>`).join('')}
    </main></body></html>`);
  // Served gzip-encoded, with an ETag: the WARC keeps the headers, less those of the wire encoding.
  server.route('/live', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip', etag: '"v1"' }).end(gzipSync(page(1, [6, 5, 4], '/live?page=2')));
  });
  server.route('/live?page=2', (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page(2, [3, 2, 1])));
  multiPage = server.url('/live');
  expect((await cli(['ingest', A, '--captured-at', '2025-11-25T12:05:00.123Z', '--db', db])).code).toBe(0);
  expect((await cli(['ingest', B, '--captured-at', '2025-11-25T15:10:00Z', '--db', db])).code).toBe(0);
  expect((await cli(['ingest', join(CORPUS, 'guardian/dcr-live-2021-02-19-perseverance.json'), '--captured-at', '2021-02-19T22:00:00Z', '--db', db])).code).toBe(0);
  const fetched = await cli(['ingest', multiPage, '--follow-pages', '--db', db, ...FAST]);
  expect(fetched.stdout).toContain('6 posts (6 new, 0 edited, 0 removed)');
  notes = join(tempDir(), 'private-notes', 'harbour.html');
  mkdirSync(dirname(notes));
  writeFileSync(notes, notesPage('on time'));
  expect((await cli(['ingest', notes, '--captured-at', '2025-06-01T09:00:00Z', '--db', db])).code).toBe(0);
  writeFileSync(notes, notesPage('late'));
  expect((await cli(['ingest', notes, '--captured-at', '2025-06-01T10:00:00Z', '--db', db])).code).toBe(0);
  piped = Buffer.from(notesPage('early'));
  expect((await cli(['ingest', '-', '--captured-at', '2025-06-01T11:00:00Z', '--db', db], { stdin: piped })).code).toBe(0);
});

afterAll(async () => server.close());

describe('export --format warc', () => {
  it('writes WARC/1.1 that warcio reads: warcinfo, a response per page (the request too when fetched), digests that hold', async () => {
    const out = join(tempDir(), 'archive.warc.gz');
    const r = await cli(['export', '--format', 'warc', '--out', out, '--db', db]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const records: Array<{ type: string; uri: string | null | undefined; date: string | null | undefined; status?: string | number; headers?: Record<string, string>; concurrent: string[] }> = [];
    for await (const record of new WARCParser(createReadStream(out))) {
      expect(record.warcHeaders.statusline).toBe('WARC/1.1');
      const payload = Buffer.from(await record.readFully(false));
      if (record.warcType === 'response') {
        expect(record.warcPayloadDigest).toBe(`sha1:${sha1Base32(payload)}`);
        expect(record.warcBlockDigest).toMatch(/^sha1:[A-Z2-7]{32}$/);
      }
      records.push({
        type: record.warcType, uri: record.warcTargetURI, date: record.warcDate, concurrent: record.warcConcurrentTo ?? [],
        ...(record.httpHeaders ? { status: record.httpHeaders.statusCode, headers: Object.fromEntries([...record.httpHeaders.headers].map(([k, v]) => [k.toLowerCase(), v])) } : {}),
      });
    }
    expect(records.map((x) => [x.type, x.uri, x.date])).toEqual([
      ['warcinfo', null, expect.any(String)],
      ['response', expect.stringMatching(/^https:\/\/www\.theguardian\.com\/science\/live\/2021\/feb\/19\/mars-landing-nasa-perseverance/), '2021-02-19T22:00:00.000Z'],
      // Pages that name no URL: resource records under their keys, the file's path hashed.
      ['resource', `urn:livearchive:local:${sha256(pathToFileURL(notes).href)}`, '2025-06-01T09:00:00.000Z'],
      ['resource', `urn:livearchive:local:${sha256(pathToFileURL(notes).href)}`, '2025-06-01T10:00:00.000Z'],
      ['resource', `urn:livearchive:sha256:${sha256(piped)}`, '2025-06-01T11:00:00.000Z'],
      ['response', 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html', '2025-11-25T12:05:00.123Z'],
      ['response', 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html', '2025-11-25T15:10:00.000Z'],
      ['response', multiPage, expect.any(String)],
      ['response', server.url('/live?page=2'), expect.any(String)],
      ['request', multiPage, expect.any(String)],
    ]);
    expect(records[1]!.headers).toEqual({ 'content-type': 'application/json', 'content-length': expect.any(String) });
    expect(records[7]!.headers).toMatchObject({ etag: '"v1"', 'content-type': 'text/html; charset=utf-8' });
    expect(records[7]!.headers!['content-encoding']).toBeUndefined();
    // The older page belongs to the capture of the first; so does the request.
    expect(records[8]!.concurrent).toHaveLength(1);
    expect(records[9]!.concurrent).toEqual(records[8]!.concurrent);
    // Where the local file lay is nowhere in the WARC.
    const text = gunzipSync(readFileSync(out)).toString('latin1');
    expect(text).not.toContain(dirname(notes));
    expect(text).not.toContain('file:');
  });

  it('round trip: the exported WARC ingested into a fresh archive gives the same JSON export (a local file known by its key, not its path)', async () => {
    const out = join(tempDir(), 'archive.warc.gz');
    await cli(['export', '--format', 'warc', '--out', out, '--db', db]);
    const fresh = join(tempDir(), 'y.db');
    const r = await cli(['ingest', out, '--db', fresh]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${out}: 10 records: 7 captures, 0 revisits, 2 skipped`);
    const fileUrl = pathToFileURL(notes).href;
    const key = `urn:livearchive:local:${sha256(fileUrl)}`;
    const before = JSON.stringify(await exportJson(db));
    expect(before).toContain(`"url":"${fileUrl}"`);
    const expected = JSON.parse(before.replaceAll(`"url":"${fileUrl}"`, `"url":"${key}"`)) as { pages: Array<{ url: string }> };
    // Pages come in URL order, and the page's URL is its key now.
    expected.pages.sort((a, b) => (a.url < b.url ? -1 : 1));
    expect(await exportJson(fresh)).toEqual(expected);
    // And again: the key stays the key, so every later generation is the same.
    const again = join(tempDir(), 'again.warc.gz');
    await cli(['export', '--format', 'warc', '--out', again, '--db', fresh]);
    const third = join(tempDir(), 'z.db');
    expect((await cli(['ingest', again, '--db', third])).code).toBe(0);
    expect(await exportJson(third)).toEqual(await exportJson(fresh));
  });

  it('applies the filters (capture time for --since/--until), writes a plain WARC for .warc, and refuses what does not apply', async () => {
    const out = join(tempDir(), 'cnn.warc');
    const r = await cli(['export', '--format', 'warc', '--publisher', 'CNN', '--since', '2025-11-25T13:00:00Z', '--out', out, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 9).toString()).toBe('WARC/1.1\r');
    const fresh = join(tempDir(), 'y.db');
    expect((await cli(['ingest', out, '--db', fresh])).stdout).toContain('19 posts (19 new, 0 edited, 0 removed)');
    expect(await cli(['export', '--format', 'warc', '--history', '--db', db])).toMatchObject({ code: 2, stderr: 'livearchive: --history is about posts; a WARC holds captures\n' });
    expect(await cli(['export', '--format', 'warc', '--db', db], { tty: true })).toMatchObject({ code: 2, stderr: 'livearchive: a WARC is binary: give --out FILE or redirect the output\n' });
  });

  it('says which captures it could not write: those ingested with --no-raw', async () => {
    const other = join(tempDir(), 'z.db');
    await cli(['ingest', A, '--no-raw', '--db', other]);
    const out = join(tempDir(), 'none.warc.gz');
    const r = await cli(['export', '--format', 'warc', '--out', out, '--db', other]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'livearchive: export: 1 capture left out: their bytes were not kept (ingested with --no-raw)\n' });
  });
});

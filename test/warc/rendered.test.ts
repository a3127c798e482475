import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { WARCParser, WARCRecord, WARCSerializer } from 'warcio';
import { describe, expect, it } from 'vitest';
import { cli, dbRow, tempDir } from '../helpers.js';

// A page rendered in a browser (--render) in a WARC, as export --format warc writes it: the
// server's response, then the rendered DOM as a conversion record referring to it, with the render
// record in WARC-JSON-Metadata. Written here with warcio itself, as another tool would.

const PAGE = 'https://www.harbour-gazette.example/live/regatta';
const SHELL = `<!doctype html><html lang="en"><head><meta charset="windows-1252"><title>Regatta live</title><link rel="canonical" href="${PAGE}"></head>
<body><main><h1>Regatta live</h1><div id="widget">Le direct du café se charge</div><script src="/widget.js"></script></main></body></html>`;
const POSTS = [
  ['2025-06-14T16:40:00Z', 'The last boats are in: the harbour crew wins the final race by a length and a half.'],
  ['2025-06-14T15:55:00Z', 'Wind picks up to twenty knots for the final; two crews reef their sails at the start line.'],
  ['2025-06-14T15:10:00Z', 'A capsize in the junior race: all four sailors are out of the water and back on the quay.'],
];
const DOM = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Regatta live</title><link rel="canonical" href="${PAGE}"></head>
<body><main><h1>Regatta live</h1><div id="widget">${POSTS.map(([at, text], i) => `<article id="u${3 - i}"><time datetime="${at}">${at!.slice(11, 16)}</time><p>${text}</p></article>`).join('')}</div>
<script src="/widget.js"></script></main></body></html>`;
const RENDER = {
  rendered: true, browser: 'Chromium 156.0.8078.114', wait: { ended: 'stable', ms: 2480, settleMs: 2000, timeoutMs: 30000 },
  postElements: 3, expanded: 0, frames: [], blocked: { types: 1, ads: 0, robots: 0, navigation: 0 }, warnings: [],
};

async function warc(metadata: unknown, contentType = 'text/html; charset=utf-8'): Promise<string> {
  const date = '2025-06-14T16:45:12Z';
  const id = '<urn:uuid:8a4c1d52-0e6b-4f0e-9a63-5b1f0c2d7e11>';
  const records = [
    WARCRecord.create({
      url: PAGE, date, type: 'response', warcVersion: 'WARC/1.1', statusline: 'HTTP/1.1 200 OK',
      httpHeaders: { 'Content-Type': 'text/html; charset=windows-1252' }, warcHeaders: { 'WARC-Record-ID': id },
    }, [Buffer.from(SHELL, 'latin1')]),
    WARCRecord.create({
      url: PAGE, date, type: 'conversion', warcVersion: 'WARC/1.1',
      warcHeaders: { 'Content-Type': contentType, 'WARC-Refers-To': id, 'WARC-JSON-Metadata': JSON.stringify(metadata) },
    }, [Buffer.from(DOM)]),
    WARCRecord.create({ url: PAGE, date, type: 'request', warcVersion: 'WARC/1.1', statusline: 'GET /live/regatta HTTP/1.1', httpHeaders: { Host: 'www.harbour-gazette.example' }, warcHeaders: { 'WARC-Concurrent-To': id } }, []),
  ];
  const file = join(tempDir(), 'rendered.warc.gz');
  writeFileSync(file, Buffer.concat(await Promise.all(records.map(async (r) => Buffer.from(await WARCSerializer.serialize(r, { gzip: true }))))));
  return file;
}

async function posts(db: string): Promise<string[][]> {
  const r = await cli(['posts', PAGE, '--db', db, '--json']);
  return (JSON.parse(r.stdout) as Array<{ id: string; publishedAt: string }>).map((p) => [p.id, p.publishedAt]);
}

describe('a page rendered in a browser, in a WARC', () => {
  it('is read back as rendered: the DOM is the page, the response kept beside it, the render record its provenance', async () => {
    const file = await warc({ render: RENDER });
    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', file, '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${file}#0: new snapshot of ${PAGE} [live blog; generic@1] captured 2025-06-14T16:45:12.000Z (WARC-Date; rendered by Chromium 156.0.8078.114, settled after 2.5 s): 3 posts (3 new, 0 edited, 0 removed)\n`
      + `${file}: 3 records: 1 capture, 0 revisits, 1 skipped\n`);
    expect(await posts(db)).toEqual(POSTS.map(([at], i) => [`u${3 - i}`, new Date(at!).toISOString()]));
    const s = dbRow<{ render: string; warc: string }>(db, "SELECT provenance ->> '$.render' AS render, provenance ->> '$.warc.recordId' AS warc FROM snapshots");
    expect(JSON.parse(s.render)).toEqual(RENDER);
    expect(s.warc).toBe('<urn:uuid:8a4c1d52-0e6b-4f0e-9a63-5b1f0c2d7e11>');
    // The check is of the response; how the page was rendered after it is the snapshot's.
    expect(Object.keys(JSON.parse(dbRow<{ p: string }>(db, 'SELECT provenance AS p FROM http_checks').p) as object)).toEqual(['warc']);
    const response = dbRow<{ bytes: Buffer; content_type: string }>(db, 'SELECT bytes, content_type FROM snapshot_raw WHERE part = -1');
    expect(gunzipSync(response.bytes).toString('latin1')).toBe(SHELL);
    expect(response.content_type).toBe('text/html; charset=windows-1252');
    expect(gunzipSync(dbRow<{ bytes: Buffer }>(db, 'SELECT bytes FROM snapshot_raw WHERE part = 0').bytes).toString()).toBe(DOM);
    expect((await cli(['reparse', '--db', db])).stdout).toBe(`${PAGE}: 1 snapshot re-parsed (generic@1): 3 posts, 3 versions\n`);
  });

  it('export --format warc writes it the same way, and it comes back whole', async () => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', await warc({ render: RENDER }), '--db', db]);
    const out = join(tempDir(), 'out.warc.gz');
    expect(await cli(['export', '--format', 'warc', '--out', out, '--db', db])).toEqual({ code: 0, stdout: '', stderr: '' });
    const seen: Array<{ type: string; refersTo?: string; contentType?: string | null; metadata?: unknown; body: string }> = [];
    let responseId: string | undefined;
    for await (const record of new WARCParser(createReadStream(out))) {
      const body = Buffer.from(await record.readFully(true)).toString('latin1');
      if (record.warcType === 'response') responseId = record.warcHeader('WARC-Record-ID') ?? undefined;
      seen.push({
        type: record.warcType, body,
        ...(record.warcType === 'conversion' ? { refersTo: record.warcHeader('WARC-Refers-To')!, contentType: record.warcContentType, metadata: JSON.parse(record.warcHeader('WARC-JSON-Metadata')!) } : {}),
      });
    }
    expect(seen.map((s) => s.type)).toEqual(['warcinfo', 'response', 'conversion']);
    expect(seen[1]!.body).toBe(SHELL);
    expect(seen[2]).toEqual({ type: 'conversion', refersTo: responseId, contentType: 'text/html; charset=utf-8', metadata: { render: RENDER }, body: Buffer.from(DOM).toString('latin1') });
    const again = join(tempDir(), 'y.db');
    const r = await cli(['ingest', out, '--db', again]);
    expect(r.stdout).toContain('(WARC-Date; rendered by Chromium 156.0.8078.114, settled after 2.5 s): 3 posts (3 new, 0 edited, 0 removed)');
    expect(await posts(again)).toEqual(await posts(db));
  });

  it.each([
    ['a render record that is not one', { render: { rendered: true, browser: 'Chromium', wait: { ended: 'whenever' } } }, 'text/html'],
    ['no render record', { note: 'a DOM snapshot by another tool' }, 'text/html'],
    ['a conversion that is not HTML', { render: RENDER }, 'text/plain'],
  ])('a conversion with %s is skipped, and the response is the page', async (_, metadata, type) => {
    const file = await warc(metadata, type);
    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', file, '--db', db, '--json']);
    const summary = JSON.parse(r.stdout) as { results: Array<{ status: string; posts?: { total: number }; skipped?: Record<string, number> }> };
    expect(summary.results.map((x) => [x.status, x.posts?.total ?? x.skipped])).toEqual([['new', 0], ['read', { 'conversion record': 1, 'request record': 1 }]]);
    expect(dbRow<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM snapshot_raw WHERE part = -1').n).toBe(0);
    expect(Object.keys(JSON.parse(dbRow<{ p: string }>(db, 'SELECT provenance AS p FROM snapshots').p) as object)).toEqual(['warc']);
  });
});

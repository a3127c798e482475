import { createHash, randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { WARCRecord, WARCSerializer, WARC_1_1 } from 'warcio';
import { RENDER_METADATA, renderMetadata } from '../acquire/render-info.js';
import { PAGE_KEY, PAGE_URL_GIVEN } from '../acquire/warc.js';
import type { Archive } from '../store/archive.js';
import { iterateCaptures, type StoredCapture } from '../store/captures.js';
import type { RawPart } from '../store/raw.js';
import type { RenderInfo } from '../types.js';
import type { PostFilters } from '../store/filters.js';
import { VERSION } from '../version.js';

// SHA-1 in base32, as wget, Heritrix and CDX indexes write digests, so that other tools compare them.
const DIGEST = { algo: 'sha-1', prefix: 'sha1:', base32: true } as const;
/** Headers that describe bytes on the wire: the stored payload is decoded, so they no longer hold. */
const WIRE_HEADERS = new Set(['content-encoding', 'transfer-encoding', 'content-length']);

export function newRecordId(): string {
  return `<urn:uuid:${randomUUID()}>`;
}

export async function serialize(record: WARCRecord, gzip: boolean): Promise<Uint8Array> {
  return WARCSerializer.serialize(record, { gzip, digest: DIGEST });
}

export function warcinfoRecord(filename: string, description: string): WARCRecord {
  return WARCRecord.createWARCInfo({ filename, warcVersion: WARC_1_1 }, {
    software: `livearchive/${VERSION}`,
    format: 'WARC File Format 1.1',
    conformsTo: 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/',
    description,
  });
}

export interface HttpExchangeRecord {
  url: string;
  date: Date;
  status: number;
  statusText?: string;
  /** Response headers as received; those about the wire encoding are replaced to fit the stored body. */
  headers: Record<string, string>;
  /** The body as decoded (Content-Encoding and chunking undone). */
  body: Uint8Array;
  recordId?: string;
  concurrentTo?: string;
  /** Further WARC fields: livearchive's own (PAGE_URL_GIVEN). */
  warcHeaders?: Record<string, string>;
}

export function responseRecord(r: HttpExchangeRecord): WARCRecord {
  const headers: Array<[string, string]> = Object.entries(r.headers).filter(([k]) => !WIRE_HEADERS.has(k.toLowerCase()));
  headers.push(['Content-Length', String(r.body.length)]);
  return WARCRecord.create({
    url: r.url, date: r.date.toISOString(), type: 'response', warcVersion: WARC_1_1,
    statusline: `HTTP/1.1 ${r.status} ${r.statusText ?? STATUS_CODES[r.status] ?? ''}`.trimEnd(),
    httpHeaders: headers,
    warcHeaders: { 'WARC-Record-ID': r.recordId ?? newRecordId(), ...(r.concurrentTo ? { 'WARC-Concurrent-To': r.concurrentTo } : {}), ...r.warcHeaders },
  }, [r.body]);
}

export function requestRecord(r: { url: string; date: Date; method?: string; headers: Record<string, string>; body?: Uint8Array; concurrentTo: string }): WARCRecord {
  const u = new URL(r.url);
  return WARCRecord.create({
    url: r.url, date: r.date.toISOString(), type: 'request', warcVersion: WARC_1_1,
    statusline: `${r.method ?? 'GET'} ${u.pathname}${u.search} HTTP/1.1`,
    httpHeaders: [['Host', u.host], ...Object.entries(r.headers)],
    warcHeaders: { 'WARC-Concurrent-To': r.concurrentTo },
  }, r.body ? [r.body] : []);
}

function sniffType(bytes: Buffer): string {
  const start = bytes.subarray(0, 64).toString('utf8').replace(/^\uFEFF?\s*/, '');
  return start.startsWith('{') ? 'application/json' : 'text/html';
}

/**
 * The WARC-Target-URI of a page that names no URL of its own, which the archive keys by where it
 * was read: stdin's `urn:livearchive:sha256:…` as it is; a local file's file:// URL, which would
 * tell where the file lay on the archivist's disk, as `urn:livearchive:local:<SHA-256 of it>` —
 * the same page under the same name in every export, and nothing of the path but a hash.
 */
function pageKeyUri(pageUrl: string): string {
  return pageUrl.startsWith(PAGE_KEY) ? pageUrl : `${PAGE_KEY}local:${createHash('sha256').update(pageUrl).digest('hex')}`;
}

/** A page that was not fetched and names no URL: a resource record, which our WARC reader ingests back under its key. */
function resourceRecord(r: { key: string; date: Date; page: RawPart; recordId: string }): WARCRecord {
  return WARCRecord.create({
    url: r.key, date: r.date.toISOString(), type: 'resource', warcVersion: WARC_1_1,
    warcHeaders: { 'WARC-Record-ID': r.recordId, 'Content-Type': r.page.contentType ?? sniffType(r.page.bytes) },
  }, [r.page.bytes]);
}

/** A page rendered in a browser: the DOM, a conversion of the server's response, with how it was rendered. */
function conversionRecord(r: { url: string; date: Date; page: RawPart; render: RenderInfo; refersTo: string }): WARCRecord {
  return WARCRecord.create({
    url: r.url, date: r.date.toISOString(), type: 'conversion', warcVersion: WARC_1_1,
    warcHeaders: {
      'Content-Type': r.page.contentType ?? 'text/html; charset=utf-8', 'WARC-Refers-To': r.refersTo, [RENDER_METADATA]: renderMetadata(r.render),
    },
  }, [r.page.bytes]);
}

/**
 * The records of one capture: its page as a response (the original HTTP status and headers when
 * fetched, a synthesized 200 otherwise) — for a page rendered in a browser, the server's response,
 * then the rendered DOM as a conversion of it —, the older pages followed with it as responses
 * concurrent to it, then, for a page livearchive fetched, its request. A page read from a file
 * or stdin that names no URL is a resource record under its key (pageKeyUri). A page whose URL
 * was given with --url says so in the response (PAGE_URL_GIVEN): the page's own canonical link
 * would otherwise win over the record's target when the WARC is ingested again.
 */
async function* captureRecords(c: StoredCapture, gzip: boolean): AsyncIterable<Uint8Array> {
  const date = new Date(c.capturedAt);
  const mainId = newRecordId();
  const [page, ...older] = c.parts;
  const render = c.provenance?.render;
  // What the server sent: the response a rendered page was made from, else the page itself.
  const main = render && c.response ? c.response : page!;
  const url = c.provenance?.archive?.original ?? c.finalUrl ?? c.pageUrl;
  if (!/^https?:/i.test(url)) {
    // Only pages fetched over HTTP have older pages or a rendering: such a page has neither.
    yield serialize(resourceRecord({ key: pageKeyUri(url), date, page: page!, recordId: mainId }), gzip);
    return;
  }
  const headers = c.httpHeaders ?? { 'Content-Type': main.contentType ?? sniffType(main.bytes) };
  const given = c.urlFrom === 'option' ? { warcHeaders: { [PAGE_URL_GIVEN]: c.pageUrl } } : {};
  yield serialize(responseRecord({ url, date, status: c.httpStatus ?? 200, headers, body: main.bytes, recordId: mainId, ...given }), gzip);
  if (main !== page) yield serialize(conversionRecord({ url, date, page: page!, render: render!, refersTo: mainId }), gzip);
  for (const part of older) {
    yield serialize(responseRecord({
      url: part.url ?? url, date, status: 200, headers: { 'Content-Type': part.contentType ?? sniffType(part.bytes) }, body: part.bytes, concurrentTo: mainId,
    }), gzip);
  }
  if (c.origin === 'http') yield serialize(requestRecord({ url: c.requestedUrl ?? url, date, headers: {}, concurrentTo: mainId }), gzip);
}

export interface WarcExportOptions extends PostFilters {
  /** One gzip member per record (.warc.gz), or plain. */
  gzip: boolean;
  filename: string;
}

export interface WarcExportSummary {
  captures: number;
  records: number;
  /** Snapshots ingested with --no-raw: no bytes to write. */
  withoutBytes: number;
}

/** Every stored capture the filters choose, oldest first, as WARC/1.1 records after a warcinfo record. */
export async function* warcExportChunks(archive: Archive, options: WarcExportOptions, summary: WarcExportSummary): AsyncIterable<Uint8Array> {
  yield serialize(warcinfoRecord(options.filename, 'Captures of live-blog pages exported from a livearchive archive'), options.gzip);
  summary.records++;
  for await (const capture of iterateCaptures(archive, options)) {
    if (capture.parts.length === 0) {
      summary.withoutBytes++;
      continue;
    }
    summary.captures++;
    for await (const chunk of captureRecords(capture, options.gzip)) {
      summary.records++;
      yield chunk;
    }
  }
}

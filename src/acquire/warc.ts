import { AsyncIterReader, LimitReader, WARCParser, type WARCRecord } from 'warcio';
import { InputError } from '../errors.js';
import { webUrl } from '../parse/url.js';
import type { Capture, FetchInfo, WarcProvenance } from '../types.js';
import { DEFAULT_MAX_PAGE_BYTES, tooLarge } from './bytes.js';
import { RENDER_METADATA, renderFromMetadata } from './render-info.js';

/**
 * livearchive's keys for pages that name no URL (urn:livearchive:sha256:… for stdin, …:local:…
 * for a local file), as `export --format warc` writes them in a resource record's target.
 */
export const PAGE_KEY = 'urn:livearchive:';

/**
 * livearchive's extension field on a response record whose page URL the archivist gave (`ingest
 * --url`), as `export --format warc` writes it: that URL, which overrides what the page says, as
 * --url did. Without it the page's canonical link would win over the record's target on ingest.
 */
export const PAGE_URL_GIVEN = 'WARC-Livearchive-Page-URL';

/** Payloads that may be a page: HTML, XHTML, and JSON page data (which an adapter must then claim). */
const PAGE_TYPE = /^(?:text\/html|application\/xhtml\+xml)$/i;
const DATA_TYPE = /^(?:application\/json|text\/json|application\/[\w.+-]+\+json)$/i;

/** Where a WARC is being read from, for messages and provenance. */
export interface WarcSource {
  /** As the user named it (a path, "-", "x.wacz!archive/data.warc.gz"): used in messages and snapshot sources. */
  name: string;
  /** Absolute path of the file ("-" for stdin); for a WARC inside a WACZ, the WACZ. */
  file: string;
  /** Inside a WACZ: the WARC's path in the ZIP. */
  entry?: string;
  /** Largest page accepted (--max-page-bytes); a larger page record is skipped. */
  maxPageBytes?: number;
}

/** A revisit record: the crawler saw the same payload again at `date`. */
export interface WarcRevisit {
  source: string;
  targetUrl: string;
  date: Date;
  status: number | null;
  headers: Record<string, string>;
  /** WARC-Refers-To: the record holding the payload, when given. */
  refersTo: string | null;
  refersToUrl: string | null;
  refersToDate: Date | null;
  provenance: { warc: WarcProvenance };
}

export type WarcItem =
  /** A page: its record, and any pages captured with it (WARC-Concurrent-To it, as livearchive writes older pages of a live blog). `optional` says why it is skipped, not failed, when no adapter reads it. */
  | { kind: 'capture'; capture: Capture; parts: Capture[]; optional?: string }
  | { kind: 'revisit'; revisit: WarcRevisit }
  | { kind: 'skipped'; source: string; reason: string };

/** What a WARC held: every record is a capture, a revisit or skipped (with the reason). */
export interface WarcTally {
  records: number;
  captures: number;
  revisits: number;
  skipped: Record<string, number>;
}

function headerObject(headers: Headers | Map<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [k, v] of headers) out[k.toLowerCase()] = out[k.toLowerCase()] ? `${out[k.toLowerCase()]}, ${v}` : v;
  return out;
}

function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function warcDate(value: string | null | undefined): Date | null {
  // WARC-Date is W3C-ISO8601 in UTC (WARC/1.1 allows fractions of a second).
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z$/.test(value.trim())) return null;
  const t = Date.parse(value.trim());
  return Number.isNaN(t) ? null : new Date(t);
}

/** Why a record is not a capture, or null when it may be one. */
function skipReason(record: WARCRecord): string | null {
  const type = record.warcType;
  if (type !== 'response' && type !== 'resource' && type !== 'revisit') return `${type ?? 'untyped'} record`;
  if (type === 'response' || type === 'revisit') {
    const status = Number(record.httpHeaders?.statusCode);
    if (type === 'response' && !record.httpHeaders) return 'response without HTTP headers';
    if (record.httpHeaders && (status < 200 || status >= 300)) return status >= 300 && status < 400 ? 'redirect' : `HTTP ${status >= 500 ? '5xx' : status >= 400 ? '4xx' : 'status'} response`;
  }
  const target = record.warcTargetURI ?? '';
  if (!/^https?:\/\//i.test(target) && !(type === 'resource' && target.startsWith(PAGE_KEY))) return 'not a web page (no http(s) target)';
  return null;
}

/**
 * Reads a record's content through to its end, keeping nothing. Not warcio's skipFully, which
 * loops forever (never yielding to the event loop) when the input ends before the record does:
 * here the end of the input ends the reading, and readWarc then finds the record truncated.
 */
async function skipContent(record: WARCRecord): Promise<void> {
  for await (const chunk of record.reader) void chunk;
}

/** What one record is: a capture (read), a revisit, or skipped (its payload read through) with the reason. */
async function readRecord(record: WARCRecord, offset: number, where: WarcSource): Promise<WarcItem> {
  const source = `${where.name}#${offset}`;
  const skip = (reason: string): WarcItem => ({ kind: 'skipped', source, reason });
  const consume = (): Promise<void> => skipContent(record);
  const reason = skipReason(record);
  const date = warcDate(record.warcDate);
  const recordId = record.warcHeader('WARC-Record-ID') ?? null;
  const provenance: { warc: WarcProvenance } = { warc: { file: where.file, ...(where.entry ? { entry: where.entry } : {}), offset, recordId } };
  const headers = headerObject(record.httpHeaders?.headers);
  const type = record.warcType === 'resource' ? mediaType(record.warcContentType) : mediaType(headers['content-type']);
  if (reason) return consume().then(() => skip(reason));
  if (!date) return consume().then(() => skip('no valid WARC-Date'));
  const targetUrl = record.warcTargetURI!;
  const status = record.httpHeaders ? Number(record.httpHeaders.statusCode) : null;

  if (record.warcType === 'revisit') {
    await consume();
    if (type && !PAGE_TYPE.test(type) && !DATA_TYPE.test(type)) return skip('not a page');
    const refersTo = record.warcHeader('WARC-Refers-To')?.trim() ?? null;
    return {
      kind: 'revisit',
      revisit: {
        source, targetUrl, date, status, headers, refersTo,
        refersToUrl: record.warcRefersToTargetURI?.replace(/^<(.*)>$/, '$1') ?? null,
        refersToDate: warcDate(record.warcRefersToDate),
        provenance: { warc: { ...provenance.warc, ...(refersTo ? { refersTo } : {}) } },
      },
    };
  }
  const data = DATA_TYPE.test(type);
  // An absent type is left to the parser's sniffing, as for HTTP.
  if (type && !PAGE_TYPE.test(type) && !data) return consume().then(() => skip('not a page'));
  const max = where.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  // A record far past the limit is not read into memory at all (its payload may be compressed: twice the limit).
  if (record.warcContentLength > max * 2) return consume().then(() => skip(tooLarge(max)));
  // Raw first, so the record is read to its end whatever its encodings; then decoded from that.
  await record.readFully(false);
  let bytes: Buffer;
  try {
    bytes = Buffer.from(await record.readFully(true));
  } catch (err) {
    return skip(`payload that cannot be decoded (${(err as Error).message})`);
  }
  if (bytes.length > max) return skip(tooLarge(max));
  const contentType = record.warcType === 'resource' ? record.warcContentType ?? undefined : headers['content-type'];
  const fetch: FetchInfo | undefined = status === null ? undefined : { requestedUrl: targetUrl, finalUrl: targetUrl, status, headers };
  // A key is no URL the page was served at: the page is parsed as naming none, and archived under the key.
  const target = targetUrl.startsWith(PAGE_KEY) ? { pageKey: targetUrl } : { targetUrl };
  // A WARC field is content: anything but an http(s) URL in it is ignored.
  const given = record.warcType === 'response' ? webUrl(record.warcHeader(PAGE_URL_GIVEN)) : null;
  const capture: Capture = {
    source, origin: 'warc', bytes, capturedAt: date, capturedAtSource: 'warc', ...target, ...(given ? { url: given } : {}),
    ...(contentType ? { contentType } : {}), ...(fetch ? { fetch } : {}), provenance,
  };
  return { kind: 'capture', capture, parts: [], ...(data || !type ? { optional: data ? 'not page data' : 'not a page' } : {}) };
}

/**
 * A conversion record made from the page just read (WARC-Refers-To its response), as `export
 * --format warc` writes a page rendered in a browser: HTML with its render record becomes the
 * page, the response kept beside it; any other conversion is skipped.
 */
async function renderedPage(record: WARCRecord, page: Capture, offset: number, where: WarcSource): Promise<WarcItem> {
  const skip = async (reason: string): Promise<WarcItem> => {
    await skipContent(record);
    return { kind: 'skipped', source: `${where.name}#${offset}`, reason };
  };
  const render = renderFromMetadata(record.warcHeader(RENDER_METADATA));
  const contentType = record.warcContentType ?? '';
  if (!render || !PAGE_TYPE.test(mediaType(contentType))) return skip('conversion record');
  const max = where.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  if (record.warcContentLength > max) return skip(tooLarge(max));
  const bytes = Buffer.from(await record.readFully(false));
  const response = { bytes: page.bytes, ...(page.contentType ? { contentType: page.contentType } : {}) };
  return { kind: 'capture', parts: [], capture: { ...page, bytes, contentType, provenance: { ...page.provenance, render }, response } };
}

class WarcDamage extends InputError {}

const TRUNCATED = 'truncated record (the file ends before its Content-Length)';

/** What follows a record is neither the next record, blank lines, nor the end of the input. */
class StrayData extends Error {}

/** The input ends inside the line that starts a record. */
class CutShort extends Error {}

/** What pako's inflator holds between pushes (not in its typings): the output it has not handed on yet. */
interface InflateStream {
  total_in: number;
  next_out: number;
  output: Uint8Array;
}

/**
 * warcio's reader, which knows when the input ends inside a gzip member. warcio takes the end of
 * the input for the end of the WARC wherever it falls, and pako hands on what it inflated only
 * when its 64 KiB output buffer fills or the member ends (its trailer, CRC32 and length, read): a
 * member cut short would vanish with the records in it. Here the end of the input inside a member
 * is noted, and what was inflated before the cut is handed on, so that a record cut in it is found
 * truncated and every whole record before the cut is read.
 */
class WarcInput extends AsyncIterReader {
  /** Where the gzip member that the input ends inside starts, or null. */
  cutMember: number | null = null;

  override async _next(): Promise<Uint8Array | null> {
    const chunk = await super._next();
    if (chunk || this.cutMember !== null || !this.compressed || !this.inflator || this.inflator.ended) return chunk;
    const strm = (this.inflator as unknown as { strm: InflateStream }).strm;
    // An inflator that took no input is no member begun (an empty input, or one that ended between members).
    if (strm.total_in === 0) return chunk;
    this.cutMember = this._rawOffset;
    return strm.next_out > 0 ? strm.output.slice(0, strm.next_out) : null;
  }
}

const decoder = new TextDecoder('latin1');
const RECORD_START = /^WARC\/1\.[01]\r?\n$/;
const RECORD_STARTS = ['WARC/1.0\r\n', 'WARC/1.1\r\n'];
const BLANK = /^\r?\n$/;
const LINE = 64;

/**
 * warcio's parser, strict about what lies between records. warcio skips one stray line after a
 * record with a console.warn of its own ("Content-Length Too Small"), which bypasses the caller's
 * output and lets the file pass as whole; here it is damage. readWarc reads each record to its end
 * and past its two CRLFs, so the reader stands where the next record must start: blank lines are
 * allowed, as warcio allows them, and then a WARC/1.x line or the end of the input.
 */
class StrictWarcParser extends WARCParser {
  override async readToNextRecord(): Promise<Uint8Array | null> {
    // Before the first record warcio reads nothing, and the header parser takes the first line.
    if (!this._record) return super.readToNextRecord();
    const reader = this._reader;
    // A gzip member's offset is where its compressed bytes start (warcio's own reckoning).
    if (reader.compressed) this._offset = reader.getRawOffset();
    // Lines read at most LINE bytes at a time: megabytes of junk without a newline are not held in memory.
    let line = await reader.readlineRaw(LINE);
    while (line && BLANK.test(decoder.decode(line))) line = await reader.readlineRaw(LINE);
    if (!line) return new Uint8Array();
    if (!reader.compressed) this._offset = reader.getRawOffset() - line.length;
    const text = decoder.decode(line);
    if (RECORD_START.test(text)) return line;
    // A line short of its newline is the end of the input: a record's first line cut short is no stray data.
    if (line.length < LINE && !text.endsWith('\n') && RECORD_STARTS.some((start) => start.startsWith(text))) throw new CutShort();
    throw new StrayData();
  }
}

/**
 * Records of a WARC (plain, one gzip member per record, or one member for all), streamed one at
 * a time through warcio: memory holds one record, never the file. Each page record becomes a
 * capture timed by its WARC-Date; revisits are handed on for the caller to resolve; the rest is
 * counted as skipped. Damage (a truncated file, a record whose Content-Length does not end at the
 * record's end, a corrupt gzip member) stops the reading with an InputError naming the offset:
 * every whole record before it is yielded first, the capture held back to see whether the next
 * record joins it included.
 */
export async function* readWarc(stream: AsyncIterable<Uint8Array>, where: WarcSource, tally: WarcTally = emptyTally()): AsyncGenerator<WarcItem, WarcTally> {
  const input = new WarcInput(stream);
  const parser = new StrictWarcParser(input);
  let gzip: boolean | null = null;
  let pending: Extract<WarcItem, { kind: 'capture' }> | null = null;
  let pendingId: string | null = null;
  // A member cut short may hold records read whole before the cut: they are not before its offset.
  const before = (it: string): string => (tally.records === 1 ? ` (the 1 record before ${it} was read)` : tally.records > 1 ? ` (the ${tally.records} records before ${it} were read)` : '');
  const damaged = (offset: number, what: string, it = 'it'): WarcDamage => new WarcDamage(where.name, `${what} at offset ${offset}${before(it)}`);
  // warcio falls back to reading raw bytes when a gzip member does not inflate: that is damage here.
  const checkGzip = (offset: number): void => {
    if (gzip && parser._reader.compressed === null) throw damaged(offset, 'corrupt gzip member');
  };
  // warcio knows the offset of a gzip member; in a plain WARC a record starts where the one before ended.
  let plainOffset = 0;

  try {
    for (;;) {
      let record: WARCRecord | null;
      // Where the next record starts: warcio's own count is lost once a damaged member drops it to raw reading.
      const start = gzip ? parser._reader.getRawOffset() : plainOffset;
      try {
        record = await parser.parse();
      } catch (err) {
        if (err instanceof StrayData) throw damaged(start, 'stray data where a record should start (the record before it may have too small a Content-Length, or the data is damaged)');
        if (err instanceof CutShort) throw damaged(input.cutMember ?? start, TRUNCATED);
        throw damaged(start, `unreadable record (${(err as Error).message})`);
      }
      if (!record) {
        // The end of the input, unless a gzip member failed to inflate and ended the reading early, or the input ended inside one.
        checkGzip(start);
        if (input.cutMember !== null) throw damaged(input.cutMember, 'gzip member cut short (the file ends before the member does)', 'the cut');
        break;
      }
      if (gzip === null) gzip = parser._reader.compressed !== null;
      checkGzip(start);
      const offset = parser.offset;
      const statusline = record.warcHeaders.statusline.trim();
      // The first record's first line, read by warcio: cut short, it is no other data.
      if (tally.records === 0 && statusline.length < 8 && RECORD_STARTS.some((line) => line.startsWith(statusline))) throw damaged(offset, TRUNCATED);
      if (!/^WARC\/1\.[01]$/.test(statusline)) {
        throw damaged(offset, tally.records === 0 ? 'not a WARC record' : 'no WARC record (the record before it has a wrong Content-Length, or the data is damaged)');
      }
      const converts: boolean = record.warcType === 'conversion' && pending !== null && pendingId !== null && record.warcHeader('WARC-Refers-To')?.trim() === pendingId;
      const item: WarcItem = converts ? await renderedPage(record, pending!.capture, offset, where) : await readRecord(record, offset, where);
      // The record must end where its Content-Length says, followed by its two CRLFs.
      const limit = record._reader instanceof LimitReader ? record._reader.limit : 0;
      const tail = limit > 0 ? new Uint8Array() : await parser._reader.readSize(4);
      checkGzip(offset);
      if (limit > 0 || tail.length < 4) throw damaged(offset, TRUNCATED);
      if (tail[0] !== 13 || tail[1] !== 10 || tail[2] !== 13 || tail[3] !== 10) throw damaged(offset, 'record whose Content-Length does not match its content');
      // Counted once the record is known whole.
      tally.records++;
      if (item.kind === 'capture') tally.captures++;
      else if (item.kind === 'revisit') tally.revisits++;
      else tally.skipped[item.reason] = (tally.skipped[item.reason] ?? 0) + 1;
      plainOffset = parser._reader.getRawOffset();

      if (converts && item.kind === 'capture') {
        pending!.capture = item.capture;
        tally.captures--;
        continue;
      }
      const concurrent = (record.warcConcurrentTo ?? []).map((s) => s.trim());
      if (item.kind === 'capture' && pending && pendingId && record.warcType === 'response' && concurrent.includes(pendingId)) {
        pending.parts.push(item.capture);
        tally.captures--;
        continue;
      }
      if (pending) {
        yield pending;
        pending = null;
      }
      if (item.kind === 'capture') {
        pending = item;
        pendingId = record.warcHeader('WARC-Record-ID') ?? null;
        continue;
      }
      yield item;
    }
  } catch (err) {
    // A capture is held until the next record shows whether it joins it; damage there does not make it any less whole.
    if (pending) yield pending;
    throw err;
  }
  if (pending) yield pending;
  return tally;
}

export function emptyTally(): WarcTally {
  return { records: 0, captures: 0, revisits: 0, skipped: {} };
}


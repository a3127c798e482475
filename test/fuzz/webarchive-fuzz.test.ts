import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WARCRecord, WARCSerializer } from 'warcio';
import type { Fetcher } from '../../src/acquire/http.js';
import { readWarc, type WarcItem } from '../../src/acquire/warc.js';
import { listCdxCaptures, listTimeMapCaptures, type ArchivedCapture } from '../../src/acquire/webarchive.js';
import { LiveArchiveError } from '../../src/errors.js';
import { HARBOUR, harbourPage, htmlResponse } from '../warc/invented.js';
import { rng } from './mutators.js';

/**
 * Seeded mutations of web-archive input, which is content like any page: WARC files (plain and
 * gzipped), CDX answers and Memento TimeMaps. Every read ends in records or in a refusal of the
 * input (E_INPUT for a WARC, E_FETCH for an index), never an internal error, never a word on the
 * console behind livearchive's back, and no URL of another scheme comes out of an index.
 */

type Mutator = (bytes: Buffer, rnd: () => number) => Buffer;
const at = (bytes: Buffer, rnd: () => number): number => Math.floor(rnd() * (bytes.length + 1));
const junk = (rnd: () => number, n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
/** Pieces of the formats themselves: mutations that get past the first check. */
const TOKENS = ['\r\n', '\r\n\r\n', 'WARC/1.1\r\n', 'Content-Length: 99999999\r\n', 'Content-Length: -1\r\n', 'WARC-Type: revisit\r\n', '"', '[', ']', '{', '}', ',', '<', '>', ';', '=', 'rel="memento"', 'javascript:', 'http://[', 'file:///etc/passwd', '\u0000', '\uFEFF', '20250310120500', '99999999999999'];

const MUTATORS: Record<string, Mutator> = {
  truncate: (b, rnd) => b.subarray(0, at(b, rnd)),
  flip: (b, rnd) => {
    const out = Buffer.from(b);
    for (let i = 0; i < 1 + Math.floor(rnd() * 8); i++) {
      const p = Math.floor(rnd() * out.length);
      out[p] = out[p]! ^ (1 << Math.floor(rnd() * 8));
    }
    return out;
  },
  insert: (b, rnd) => {
    const p = at(b, rnd);
    return Buffer.concat([b.subarray(0, p), junk(rnd, 1 + Math.floor(rnd() * 40)), b.subarray(p)]);
  },
  token: (b, rnd) => {
    const p = at(b, rnd);
    return Buffer.concat([b.subarray(0, p), Buffer.from(TOKENS[Math.floor(rnd() * TOKENS.length)]!), b.subarray(p)]);
  },
  delete: (b, rnd) => {
    const p = at(b, rnd);
    return Buffer.concat([b.subarray(0, p), b.subarray(p + 1 + Math.floor(rnd() * 60))]);
  },
  duplicate: (b, rnd) => {
    const p = at(b, rnd);
    const q = Math.min(b.length, p + Math.floor(rnd() * 400));
    return Buffer.concat([b.subarray(0, q), b.subarray(p, q), b.subarray(q)]);
  },
  digits: (b, rnd) => Buffer.from(b.toString('latin1').replace(/\d+/g, (d) => (rnd() < 0.1 ? String(Math.floor(rnd() * 10 ** d.length * 2)) : d)), 'latin1'),
};

function mutate(bytes: Buffer, seed: number): { name: string; bytes: Buffer } {
  const rnd = rng(seed).next;
  const names = Object.keys(MUTATORS);
  let out = bytes;
  const used: string[] = [];
  for (let i = 0; i < 1 + Math.floor(rnd() * 3); i++) {
    const name = names[Math.floor(rnd() * names.length)]!;
    used.push(name);
    out = MUTATORS[name]!(out, rnd);
  }
  return { name: used.join('+'), bytes: out };
}

const warned = vi.spyOn(console, 'warn');
const logged = vi.spyOn(console, 'log');
afterAll(() => {
  warned.mockRestore();
  logged.mockRestore();
});

let plain: Buffer;
let gzipped: Buffer;
beforeAll(async () => {
  const other = async (opts: Parameters<typeof WARCRecord.create>[0], body: string): Promise<Buffer> =>
    Buffer.from(await WARCSerializer.serialize(WARCRecord.create({ warcVersion: 'WARC/1.1', ...opts }, [new TextEncoder().encode(body)]), {}));
  const records = [
    await htmlResponse(HARBOUR, '2025-03-10T12:05:00Z', harbourPage([3, 2, 1])),
    await other({ url: HARBOUR, date: '2025-03-10T12:05:00Z', type: 'request', httpHeaders: { Host: 'news.example' }, statusline: 'GET /live/harbour HTTP/1.1' }, ''),
    await other({ url: 'urn:livearchive:local:00ff', date: '2025-03-10T12:30:00Z', type: 'resource', warcHeaders: { 'Content-Type': 'text/html' } }, harbourPage([3, 2, 1], null)),
    await htmlResponse(HARBOUR, '2025-03-10T13:05:00Z', harbourPage([4, 3, 2, 1])),
  ];
  plain = Buffer.concat(records);
  gzipped = Buffer.concat(records.map((r) => gzipSync(r)));
});

async function readAll(bytes: Buffer): Promise<{ items: WarcItem[]; error: unknown }> {
  const items: WarcItem[] = [];
  try {
    // In chunks, as a stream gives them: a record may end anywhere in one.
    async function* chunks(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 700) yield bytes.subarray(i, i + 700);
    }
    for await (const item of readWarc(chunks(), { name: 'fuzz.warc', file: '/fuzz.warc' })) items.push(item);
    return { items, error: null };
  } catch (error) {
    return { items, error };
  }
}

const isCode = (err: unknown, code: string): boolean => err instanceof LiveArchiveError && err.code === code;
const WEB = /^https?:\/\/[^\s]+$/;

describe('fuzzing the WARC reader', () => {
  it('reads the unmutated WARCs whole (the control)', async () => {
    for (const bytes of [plain, gzipped]) {
      const { items, error } = await readAll(bytes);
      expect(error).toBeNull();
      expect(items.filter((i) => i.kind === 'capture')).toHaveLength(3);
    }
  });

  it('2000 mutated WARCs: records or an input error, nothing on the console', async () => {
    const problems: string[] = [];
    for (let seed = 1; seed <= 2000; seed++) {
      const base = seed % 2 ? plain : gzipped;
      const { name, bytes } = mutate(base, seed);
      const { items, error } = await readAll(bytes);
      if (error !== null && !isCode(error, 'E_INPUT')) problems.push(`seed ${seed} (${name}): ${(error as Error).stack}`);
      for (const item of items) {
        if (item.kind !== 'capture') continue;
        for (const c of [item.capture, ...item.parts]) {
          if (c.targetUrl !== undefined && !/^https?:\/\//i.test(c.targetUrl)) problems.push(`seed ${seed} (${name}): target ${c.targetUrl}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(warned).not.toHaveBeenCalled();
    expect(logged).not.toHaveBeenCalled();
  }, 120_000);
});

/** A stand-in for the HTTP client: the index answers with these bytes, at once; any further page (resumption, TimeMap page) is empty. */
function answering(body: Buffer): Fetcher {
  let asked = 0;
  const fetcher = {
    stricter: () => fetcher,
    fetchResource: async (url: string) => ({ body: asked++ === 0 ? body : Buffer.alloc(0), contentType: null, finalUrl: url }),
  };
  return fetcher as unknown as Fetcher;
}

function checkListed(captures: ArchivedCapture[]): string[] {
  return captures.flatMap((c) => [c.original, c.replayUrl].filter((u) => !WEB.test(u) || !URL.canParse(u)).map((u) => `unsafe URL ${u}`));
}

const CDX = JSON.stringify([
  ['urlkey', 'timestamp', 'original', 'mimetype', 'statuscode', 'digest', 'length'],
  ['example,news)/live/harbour', '20250310120500', HARBOUR, 'text/html', '200', 'AAAA', '900'],
  ['example,news)/live/harbour', '20250310130500', 'javascript:alert(document.domain)//', 'text/html', '200', 'BBBB', '900'],
  ['example,news)/live/harbour', '20250310140500', `${HARBOUR}?page=2`, 'text/html', '200', 'CCCC', '900'],
  [],
  ['example,news)/live/harbour 20250310140500'],
]);
const PYWB = [HARBOUR, 'file:///etc/passwd', `${HARBOUR}#top`].map((url, i) => JSON.stringify({ urlkey: 'example,news)/live/harbour', timestamp: `2025031012${i}500`, url, mime: 'text/html', status: '200', digest: `D${i}` })).join('\n');
const TIMEMAP = [
  `<${HARBOUR}>; rel="original"`,
  '<https://archive.example/timemap/link/2>; rel="timemap"; type="application/link-format"',
  `<https://archive.example/web/20250310120500/${HARBOUR}>; rel="first memento"; datetime="Mon, 10 Mar 2025 12:05:00 GMT"`,
  '<http://[bad>; rel="memento"; datetime="Mon, 10 Mar 2025 12:35:00 GMT"',
  `<../../web/20250310130500/${HARBOUR}>; rel="last memento"; datetime="Mon, 10 Mar 2025 13:05:00 GMT"`,
].join(',\n');

describe('fuzzing the web-archive indexes', () => {
  it('the unmutated answers list http(s) captures only (the control)', async () => {
    const cdx = await listCdxCaptures(answering(Buffer.from(CDX)), HARBOUR, { endpoint: 'https://archive.example/cdx/search/cdx', replayBase: 'https://archive.example/web/' });
    expect(cdx.map((c) => c.original)).toEqual([HARBOUR, `${HARBOUR}?page=2`]);
    const pywb = await listCdxCaptures(answering(Buffer.from(PYWB)), HARBOUR, { endpoint: 'https://archive.example/coll/cdx', replayBase: 'https://archive.example/coll/' });
    expect(pywb.map((c) => c.original)).toEqual([HARBOUR, `${HARBOUR}#top`]);
    const tm = await listTimeMapCaptures(answering(Buffer.from(TIMEMAP)), 'https://archive.example/timemap/link/1');
    expect(tm.map((c) => c.replayUrl)).toEqual([`https://archive.example/web/20250310120500id_/${HARBOUR}`, `https://archive.example/web/20250310130500id_/${HARBOUR}`]);
  });

  it.each([['CDX JSON', CDX, 'cdx'], ['pywb CDXJ', PYWB, 'cdx'], ['TimeMap', TIMEMAP, 'timemap']] as const)('2000 mutated %s answers: captures with web URLs or a fetch error', async (_name, answer, kind) => {
    const problems: string[] = [];
    for (let seed = 1; seed <= 2000; seed++) {
      const { name, bytes } = mutate(Buffer.from(answer), seed);
      try {
        const captures = kind === 'cdx'
          ? await listCdxCaptures(answering(bytes), HARBOUR, { endpoint: 'https://archive.example/cdx/search/cdx', replayBase: 'https://archive.example/web/' })
          : await listTimeMapCaptures(answering(bytes), 'https://archive.example/timemap/link/1');
        problems.push(...checkListed(captures).map((p) => `seed ${seed} (${name}): ${p}`));
      } catch (err) {
        if (!isCode(err, 'E_FETCH')) problems.push(`seed ${seed} (${name}): ${(err as Error).stack}`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

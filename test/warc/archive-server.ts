import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A capture the test archive holds. */
export interface Held {
  timestamp: string;
  original: string;
  status: number;
  mime: string;
  body: Buffer;
}

export interface ArchiveServer {
  base: string;
  /** Every request, with the time it arrived (by the clock given, else the system's). */
  requests: Array<{ url: string; at: number }>;
  /** The most requests it was answering at one time. */
  maxInFlight: number;
  /** Answer the next request for this path 429 with this Retry-After, once. */
  throttleOnce(path: string, retryAfter: string): void;
  close(): Promise<void>;
}

const CDX_FIELDS = ['urlkey', 'timestamp', 'original', 'mimetype', 'statuscode', 'digest', 'length'];

/** SURT form of a URL, as CDX urlkeys are written: "com,cnn)/world/…". */
function surt(url: string): string {
  const u = new URL(url);
  return `${u.hostname.replace(/^www\./, '').split('.').reverse().join(',')})${u.pathname}${u.search}`.toLowerCase();
}

/** The payload digest CDX servers list and WARCs carry: SHA-1 in base32. */
export function sha1Base32(body: Buffer): string {
  const bytes = createHash('sha1').update(body).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function httpDate(ts: string): string {
  return new Date(Date.UTC(+ts.slice(0, 4), +ts.slice(4, 6) - 1, +ts.slice(6, 8), +ts.slice(8, 10), +ts.slice(10, 12), +ts.slice(12, 14))).toUTCString();
}

/** A bound given as 1–14 digits, padded to the lower or upper end (CDX from= / to=). */
function pad(ts: string, upper: boolean): string {
  return (ts + (upper ? '99991231235959' : '00000101000000').slice(ts.length)).slice(0, 14);
}

/**
 * A small web archive over HTTP, after the documented formats: the Wayback CDX server API
 * (/cdx/search/cdx, output=json: an array of arrays whose first row names the fields, values as
 * text; from/to, filter=[!]field:regex, collapse=field, showResumeKey/resumeKey, and a maximum of
 * rows per answer like the real server's), the id_ replay path (/web/<timestamp>id_/<url>, a
 * redirect to the nearest capture otherwise, Memento-Datetime and X-Archive-Orig-* headers), and
 * RFC 7089 link-format TimeMaps (/web/timemap/link/<url>).
 */
export async function archiveServer(held: Held[], options: { maxRows?: number; now?: () => number } = {}): Promise<ArchiveServer> {
  const requests: ArchiveServer['requests'] = [];
  const now = options.now ?? Date.now;
  let inFlight = 0;
  const throttled = new Map<string, string>();
  const sorted = [...held].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  let base = '';
  const api: ArchiveServer = {
    base,
    requests,
    maxInFlight: 0,
    throttleOnce: (path, retryAfter) => throttled.set(path, retryAfter),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };

  function cdx(req: IncomingMessage): { status: number; type: string; body: string } {
    const q = new URL(req.url!, base).searchParams;
    const url = q.get('url') ?? '';
    let rows = sorted.filter((h) => surt(h.original) === surt(url.includes('://') ? url : `http://${url}`));
    if (q.get('from')) rows = rows.filter((h) => h.timestamp >= pad(q.get('from')!, false));
    if (q.get('to')) rows = rows.filter((h) => h.timestamp <= pad(q.get('to')!, true));
    let table = rows.map((h) => [surt(h.original), h.timestamp, h.original, h.mime, String(h.status), sha1Base32(h.body), String(h.body.length)]);
    for (const f of q.getAll('filter')) {
      const m = /^(!?)(\w+):(.*)$/.exec(f);
      if (!m) return { status: 400, type: 'text/plain', body: `bad filter ${f}` };
      const i = CDX_FIELDS.indexOf(m[2]!);
      const re = new RegExp(`^(?:${m[3]})$`);
      table = table.filter((r) => re.test(r[i]!) !== (m[1] === '!'));
    }
    for (const c of q.getAll('collapse')) {
      const i = CDX_FIELDS.indexOf(c.split(':')[0]!);
      table = table.filter((r, k) => k === 0 || r[i] !== table[k - 1]![i]);
    }
    const start = q.get('resumeKey') ? table.findIndex((r) => `${r[0]} ${r[1]}` === q.get('resumeKey')) + 1 : 0;
    const max = options.maxRows ?? Infinity;
    const page = table.slice(start, start + max);
    const more = start + max < table.length && q.get('showResumeKey') === 'true';
    const out: string[][] = table.length === 0 ? [] : [CDX_FIELDS, ...page, ...(more ? [[], [`${page.at(-1)![0]} ${page.at(-1)![1]}`]] : [])];
    return { status: 200, type: 'application/json', body: JSON.stringify(out) };
  }

  function timemap(original: string): string {
    const mementos = sorted.filter((h) => h.original === original && h.status === 200);
    const links = [
      `<${original}>; rel="original"`,
      `<${base}/web/timemap/link/${original}>; rel="self"; type="application/link-format"; from="${httpDate(mementos[0]!.timestamp)}"; until="${httpDate(mementos.at(-1)!.timestamp)}"`,
      `<${base}/web/${original}>; rel="timegate"`,
      ...mementos.map((h, i) => `<${base}/web/${h.timestamp}/${original}>; rel="${i === 0 ? 'first memento' : i === mementos.length - 1 ? 'last memento' : 'memento'}"; datetime="${httpDate(h.timestamp)}"`),
    ];
    return `${links.join(',\n')}\n`;
  }

  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url!, at: now() });
    inFlight++;
    api.maxInFlight = Math.max(api.maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    const path = req.url!.split('?')[0]!;
    const throttle = throttled.get(path);
    if (throttle !== undefined) {
      throttled.delete(path);
      res.writeHead(429, { 'retry-after': throttle }).end();
      return;
    }
    if (path === '/cdx/search/cdx') {
      const r = cdx(req);
      res.writeHead(r.status, { 'content-type': r.type }).end(r.body);
      return;
    }
    const tm = /^\/web\/timemap\/link\/(.+)$/.exec(req.url!);
    if (tm) {
      res.writeHead(200, { 'content-type': 'application/link-format' }).end(timemap(tm[1]!));
      return;
    }
    const replay = /^\/web\/(\d{14})(id_)?\/(.+)$/.exec(req.url!);
    if (replay) {
      const [, ts, id, original] = replay;
      const candidates = sorted.filter((h) => h.original === original);
      const exact = candidates.find((h) => h.timestamp === ts);
      if (!exact) {
        const nearest = candidates.sort((a, b) => Math.abs(+a.timestamp - +ts!) - Math.abs(+b.timestamp - +ts!))[0];
        if (!nearest) res.writeHead(404).end();
        else res.writeHead(302, { location: `/web/${nearest.timestamp}${id ?? ''}/${original}` }).end();
        return;
      }
      res.writeHead(exact.status, {
        'content-type': exact.mime, 'memento-datetime': httpDate(exact.timestamp),
        link: `<${original}>; rel="original", <${base}/web/timemap/link/${original}>; rel="timemap"; type="application/link-format"`,
        'x-archive-orig-content-type': exact.mime,
      }).end(id ? exact.body : Buffer.concat([Buffer.from('<!-- archive banner -->'), exact.body]));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(api, { base });
  return api;
}

import robotsParserModule from 'robots-parser';
import type { Agent, Response } from 'undici';
import { LiveArchiveError } from '../errors.js';
import { DEFAULT_MAX_PAGE_BYTES, maybeGunzip, tooLarge } from './bytes.js';
import { HostGate, SYSTEM_CLOCK, type Clock } from './pace.js';
import type { Capture, FetchInfo } from '../types.js';
import { DEFAULT_USER_AGENT } from '../version.js';

interface Robots {
  isAllowed(url: string, ua?: string): boolean | undefined;
}
/** Why a host's robots.txt could not be had. */
interface Unreachable {
  unreachable: string;
  /** The host itself could not be reached (not found, refused): neither can the page. */
  host: boolean;
}

// robots-parser is CommonJS whose typings do not describe its default export under NodeNext.
const robotsParser = robotsParserModule as unknown as (url: string, robotstxt: string) => Robots;
export { DEFAULT_USER_AGENT };
export type { Clock };

export interface HttpOptions {
  /** Connect, headers and body (between chunks) timeout, ms. */
  timeoutMs?: number;
  /** Largest decompressed body accepted. */
  maxBytes?: number;
  retries?: number;
  /** Minimum pause between two requests to one host, ms. */
  delayMs?: number;
  /** Requests to one host at the same time. */
  perHost?: number;
  userAgent?: string;
  ignoreRobots?: boolean;
  /** First retry waits about this long (doubling each time, with jitter), ms. */
  retryBaseMs?: number;
  /** Longest Retry-After honoured, ms; a server asking for more fails the source. */
  maxRetryAfterMs?: number;
  /** Told of every HTTP exchange as it completes (pages, redirects, robots.txt): to write a WARC as wget --warc-file does. */
  onExchange?: (exchange: HttpExchange) => void;
  /** What the pauses between requests and before retries are measured and waited by (tests give their own). */
  clock?: Clock;
}

/** One request and its response, the body as decoded (empty for a redirect, whose body is not read). */
export interface HttpExchange {
  url: string;
  /** GET for livearchive's own requests; a browser's (`--render`) may POST, with a body. */
  method: string;
  requestBody?: Buffer;
  requestHeaders: Record<string, string>;
  date: Date;
  status: number;
  statusText: string;
  responseHeaders: Record<string, string>;
  body: Buffer;
}

/** Validators of the last capture of a URL: sent back as If-None-Match / If-Modified-Since. */
export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

export type FetchResult =
  | { notModified: false; capture: Capture }
  | { notModified: true; fetch: FetchInfo; capturedAt: Date };

export class FetchError extends LiveArchiveError {
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  constructor(subject: string, message: string, options: { retryable?: boolean; retryAfterMs?: number | null; cause?: unknown } = {}) {
    super('E_FETCH', message, { subject, cause: options.cause });
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

const MAX_REDIRECTS = 5;
/** HTML, XHTML, JSON page data, a gzipped saved page; an absent type is left to the parser's sniffing. */
const HTML_TYPES = /^(?:text\/html|application\/xhtml\+xml|application\/json|application\/(?:x-)?gzip)?$/i;
/** Response headers kept with a snapshot as its provenance. */
const KEPT_HEADERS = ['content-type', 'content-length', 'content-encoding', 'etag', 'last-modified', 'date', 'age', 'cache-control', 'server', 'x-cache', 'memento-datetime'];

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
function retryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

/** An error of the connection or the protocol (worth retrying), as opposed to a bug. */
function isNetworkError(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code ?? '';
  return /^(?:E[A-Z]+|UND_ERR_\w+)$/.test(code) || (err instanceof TypeError && err.message === 'fetch failed');
}

/** The host cannot be reached at all (no such name, nothing listening): its pages cannot either. */
function isHostUnreachable(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code ?? '';
  return code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNREFUSED';
}

/** A port the Fetch standard blocks (9, 25, 6667 …): no attempt can ever connect. */
function isBadPort(err: unknown): boolean {
  return /^bad port$/i.test((err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message ?? '');
}

/** What went wrong on the wire, said plainly. */
function networkMessage(err: unknown): string {
  if (isBadPort(err)) return 'port blocked as unsafe by the HTTP client (the Fetch standard\'s "bad ports")';
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code ?? '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connection timed out';
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return 'no response headers before the timeout';
  if (code === 'UND_ERR_BODY_TIMEOUT') return 'the body stalled past the timeout';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return cause?.message ?? (err as Error).message;
}

/**
 * The HTTP side of acquire: polite, bounded, retrying fetches of live pages. One instance per
 * run: it remembers each host's robots.txt and paces requests to each host.
 */
export class Fetcher {
  /**
   * The connections (undici costs ~80 ms to load: it is loaded, and its agent made, at the first
   * request only) and each origin's robots.txt; shared with the stricter clients made from this one.
   */
  private shared: { client?: Promise<{ agent: Agent; fetch: typeof import('undici').fetch }>; robots: Map<string, Promise<Robots | null | Unreachable>> } = { robots: new Map() };
  private readonly gate: HostGate;
  private readonly stricters = new Map<string, Fetcher>();
  readonly options: Required<Omit<HttpOptions, 'onExchange' | 'clock'>>;
  private readonly onExchange: HttpOptions['onExchange'];
  private readonly clock: Clock;

  constructor(options: HttpOptions = {}) {
    this.options = {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_PAGE_BYTES,
      retries: options.retries ?? 3,
      delayMs: options.delayMs ?? 1000,
      perHost: options.perHost ?? 2,
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      ignoreRobots: options.ignoreRobots ?? false,
      retryBaseMs: options.retryBaseMs ?? 1000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
    };
    this.onExchange = options.onExchange;
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.gate = new HostGate(this.options.perHost, this.options.delayMs, this.clock);
  }

  /**
   * This client held to limits at least as strict as these (no more requests at a time to a
   * host, none closer together), sharing the connections, robots.txt and recording: this client
   * itself when it is strict enough already. Every caller asking for the same limits gets the same
   * client, so their requests are paced together; requests made through this client directly are
   * paced apart from them.
   */
  stricter(limits: { perHost: number; delayMs: number }): Fetcher {
    if (this.options.perHost <= limits.perHost && this.options.delayMs >= limits.delayMs) return this;
    const key = `${limits.perHost}/${limits.delayMs}`;
    let strict = this.stricters.get(key);
    if (!strict) {
      strict = new Fetcher({
        ...this.options, perHost: Math.min(this.options.perHost, limits.perHost), delayMs: Math.max(this.options.delayMs, limits.delayMs),
        clock: this.clock, ...(this.onExchange ? { onExchange: this.onExchange } : {}),
      });
      strict.shared = this.shared;
      this.stricters.set(key, strict);
    }
    return strict;
  }

  private http(): Promise<{ agent: Agent; fetch: typeof import('undici').fetch }> {
    this.shared.client ??= import('undici').then(({ Agent, fetch }) => {
      const t = this.options.timeoutMs;
      return { agent: new Agent({ connect: { timeout: t }, headersTimeout: t, bodyTimeout: t }), fetch };
    });
    return this.shared.client;
  }

  /** Closes the connections, those of the stricter clients made from this one too. */
  async close(): Promise<void> {
    if (this.shared.client) await (await this.shared.client).agent.close();
  }

  /** Fetch a page, conditionally when validators are given, retrying what is worth retrying. */
  async fetchPage(url: string, validators: Validators = {}): Promise<FetchResult> {
    return this.retrying(url, () => this.once(url, validators));
  }

  /**
   * Fetch a document that is not a page (a CDX index, a Memento TimeMap), as politely and with
   * the same retries; a 2xx of any type.
   */
  async fetchResource(url: string, accept: string): Promise<{ body: Buffer; contentType: string | null; finalUrl: string }> {
    return this.retrying(url, async () => {
      const { status, body, res, finalUrl } = await this.get(url, { accept });
      if (status === 429 || status >= 500) {
        throw new FetchError(url, `HTTP ${status} ${res.statusText}`.trim(), { retryable: true, retryAfterMs: this.retryAfterMs(url, res) });
      }
      if (status < 200 || status >= 300) throw new FetchError(url, `HTTP ${status} ${res.statusText}`.trim());
      return { body, contentType: res.headers.get('content-type'), finalUrl };
    });
  }

  private async retrying<T>(url: string, attempt: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        const refused = this.options.ignoreRobots ? null : await this.robotsRefusal(url);
        if (refused) throw new FetchError(url, refused.message, { retryable: refused.retryable });
        return await attempt();
      } catch (err) {
        if (!(err instanceof FetchError) && !isNetworkError(err)) throw err;
        const e = err instanceof FetchError ? err : new FetchError(url, networkMessage(err), { retryable: !isBadPort(err), cause: err });
        if (!e.retryable || n >= this.options.retries) {
          throw n > 0 ? new FetchError(url, `${e.message} (after ${n + 1} attempts)`, { cause: e }) : e;
        }
        const backoff = this.options.retryBaseMs * 2 ** n;
        await this.clock.sleep(e.retryAfterMs ?? backoff + Math.random() * backoff);
      }
    }
  }

  /**
   * Whether robots.txt lets this client fetch the URL (always, with ignoreRobots), by the rules
   * page fetches keep: for a browser's requests too.
   */
  async mayFetch(url: string): Promise<boolean> {
    return this.options.ignoreRobots || (await this.robotsRefusal(url)) === null;
  }

  /**
   * Waits for a turn at the URL's host under the limits page fetches keep (perHost at a time,
   * delayMs apart), for requests made elsewhere (a browser's); the returned function ends the turn.
   */
  async turn(url: string): Promise<() => void> {
    const host = new URL(url).host;
    await this.gate.enter(host);
    let over = false;
    return () => {
      if (over) return;
      over = true;
      this.gate.leave(host);
    };
  }

  /** Whether exchanges are being recorded (`--warc`): a browser need not read its responses' bodies otherwise. */
  get recording(): boolean {
    return this.onExchange !== undefined;
  }

  /** Records an exchange made elsewhere (a browser's) with this client's own: they belong to the same run. */
  record(exchange: HttpExchange): void {
    this.onExchange?.(exchange);
  }

  /** Why robots.txt keeps a URL from being fetched: it disallows it, or cannot be had at all (worth another try). */
  private async robotsRefusal(url: string): Promise<{ message: string; retryable: boolean } | null> {
    const origin = new URL(url).origin;
    let robots = this.shared.robots.get(origin);
    if (!robots) {
      robots = this.loadRobots(origin);
      this.shared.robots.set(origin, robots);
    }
    const r = await robots;
    if (r !== null && 'unreachable' in r) {
      // Not remembered: the next attempt asks again.
      this.shared.robots.delete(origin);
      // The page is no nearer than its robots.txt: say what is wrong, not what RFC 9309 makes of it.
      if (r.host) return { message: r.unreachable, retryable: true };
      return { message: `robots.txt could not be fetched (${r.unreachable}), which RFC 9309 counts as disallowing everything (use --ignore-robots to override)`, retryable: true };
    }
    if (r !== null && r.isAllowed(url, this.options.userAgent) === false) {
      return { message: 'disallowed by robots.txt (use --ignore-robots to override)', retryable: false };
    }
    return null;
  }

  /**
   * robots.txt per RFC 9309 (2.3.1): a 4xx means there is none, and everything is allowed; a
   * server error (5xx) or a network error means it is unreachable, and nothing is allowed.
   */
  private async loadRobots(origin: string): Promise<Robots | null | Unreachable> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const { status, body } = await this.get(robotsUrl, {}, false);
      if (status >= 200 && status < 300) return robotsParser(robotsUrl, body.toString('utf8'));
      if (status >= 400 && status < 500) return null;
      return { unreachable: `HTTP ${status}`, host: false };
    } catch (err) {
      // A port the client itself refuses fails the page request the same way, and says so.
      if (isBadPort(err)) return null;
      return { unreachable: isNetworkError(err) ? networkMessage(err) : (err as Error).message, host: isHostUnreachable(err) };
    }
  }

  /** The final response, and `date`: when it began to arrive, which is the capture's time and its WARC record's WARC-Date alike. */
  private async get(url: string, headers: Record<string, string>, checkRobots = true): Promise<{ status: number; body: Buffer; res: Response; finalUrl: string; ms: number; date: Date }> {
    const started = Date.now();
    let current = url;
    for (let hop = 0; ; hop++) {
      // A redirect may lead to another host, whose robots.txt applies to the target.
      const refused = hop > 0 && checkRobots && !this.options.ignoreRobots ? await this.robotsRefusal(current) : null;
      if (refused) throw new FetchError(url, `redirected to ${current}: ${refused.message}`, { retryable: refused.retryable });
      const host = new URL(current).host;
      const { agent, fetch } = await this.http();
      await this.gate.enter(host);
      let res: Response;
      try {
        const requestHeaders = { 'user-agent': this.options.userAgent, 'accept-encoding': 'gzip, deflate, br', ...headers };
        res = await fetch(current, { dispatcher: agent, redirect: 'manual', headers: requestHeaders });
        const date = new Date();
        const exchange = (body: Buffer): void => this.onExchange?.({
          url: current, method: 'GET', requestHeaders, date, status: res.status, statusText: res.statusText, responseHeaders: Object.fromEntries(res.headers), body,
        });
        if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
          await res.body?.cancel();
          exchange(Buffer.alloc(0));
          if (hop >= MAX_REDIRECTS) throw new FetchError(url, `more than ${MAX_REDIRECTS} redirects (last to ${current})`);
          current = new URL(res.headers.get('location')!, current).href;
          continue;
        }
        const body = await this.readBody(url, res);
        exchange(body);
        return { status: res.status, body, res, finalUrl: current, ms: Date.now() - started, date };
      } finally {
        this.gate.leave(host);
      }
    }
  }

  /** The decompressed body, refused as soon as it passes maxBytes (a compression bomb stops early). */
  private async readBody(url: string, res: Response): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    if (!res.body) return Buffer.alloc(0);
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      if (size > this.options.maxBytes) {
        await res.body.cancel().catch(() => undefined);
        throw new FetchError(url, `${tooLarge(this.options.maxBytes)}, decompressed`);
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  private async once(url: string, validators: Validators): Promise<FetchResult> {
    const headers: Record<string, string> = {};
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    // The time of the response record written with --warc, to the millisecond: that WARC ingested back is the same capture.
    const { status, body, res, finalUrl, ms, date: capturedAt } = await this.get(url, headers);
    const kept: Record<string, string> = {};
    for (const h of KEPT_HEADERS) {
      const v = res.headers.get(h);
      if (v !== null) kept[h] = v;
    }
    const info: FetchInfo = { requestedUrl: url, finalUrl, status, headers: kept, durationMs: ms };
    if (status === 304) return { notModified: true, fetch: info, capturedAt };
    if (status === 429 || status >= 500) {
      throw new FetchError(url, `HTTP ${status} ${res.statusText}`.trim(), { retryable: true, retryAfterMs: this.retryAfterMs(url, res) });
    }
    if (status < 200 || status >= 300) throw new FetchError(url, `HTTP ${status} ${res.statusText}`.trim());
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!HTML_TYPES.test(type)) throw new FetchError(url, `not an HTML page (content type ${type})`);
    return {
      notModified: false,
      capture: {
        // A saved page served as a .gz file (not Content-Encoding) is unpacked like a local one.
        source: url, origin: 'http', bytes: maybeGunzip(body, url, this.options.maxBytes), capturedAt, capturedAtSource: 'http',
        ...(res.headers.get('content-type') ? { contentType: res.headers.get('content-type')! } : {}),
        fetch: info,
      },
    };
  }

  private retryAfterMs(url: string, res: Response): number | null {
    const ms = retryAfter(res.headers.get('retry-after'), this.clock.now());
    if (ms !== null && ms > this.options.maxRetryAfterMs) {
      throw new FetchError(url, `HTTP ${res.status}: the server asks to retry after ${Math.round(ms / 1000)} s, more than the ${Math.round(this.options.maxRetryAfterMs / 1000)} s livearchive waits`);
    }
    return ms;
  }
}

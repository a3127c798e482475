import { stat } from 'node:fs/promises';
import type { Browser, BrowserContext, Page, Request, Route } from 'playwright-core';
import { LiveArchiveError } from '../errors.js';
import type { Capture, RenderInfo } from '../types.js';
import { FetchError, type Fetcher } from './http.js';
import { BUILTIN_BLOCK_LIST, isBlocked, readBlockList } from './render-block.js';
import { expandOnce } from './render-expand.js';
import { recordExchanges } from './render-exchanges.js';
import { snapshotDocument } from './render-page.js';
import { Activity, inlineFrames, settle, withTimeout } from './render-wait.js';

/** Where Debian, Ubuntu and Google put their browsers: the first that exists is used. */
export const DEFAULT_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome'];
/** A fresh headless browser that makes no requests of its own (updates, sync, field trials). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // performance.memory as it is, not rounded and hours old: the memory cap reads it.
  '--enable-precise-memory-info'];
/** Script heap per page process: past it the page's scripts fail; near it the page is captured as it then is. */
export const HEAP_MB = 512;
export const MAX_ELEMENTS = 500_000;
/** Past --render-timeout, how long loading, serializing and closing a page may take before it is given up. */
const HARD_GRACE_MS = 15_000;
/** Past the capture, how long the bodies of the browser's last exchanges may take to be read for --warc. */
const RECORD_GRACE_MS = 5_000;
/** Not fetched at all: nothing of a post's text or time is in them (their URLs stay in the DOM). */
const SKIPPED_TYPES = new Set(['image', 'media', 'font']);
/** Requests that fetch content: paced per host like plain fetches. Scripts and styles load as in any browser. */
const PACED_TYPES = new Set(['document', 'xhr', 'fetch']);

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** What the routing of one page's requests has done so far. */
interface RouteState {
  /** The page's own document has been served (from the response fetched before). */
  served: boolean;
  /** Requests answered here, not over the network: the page's document, and its tries to leave. */
  answered: Set<Request>;
  blocked: RenderInfo['blocked'];
  /** Where the page first tried to go instead (a consent wall, a redirect to its own host). */
  leftFor?: string;
  hold: (request: Request, release: () => void) => void;
  /** The capture is taken (or failed): turns given now must be returned at once. */
  over: boolean;
}

export interface RenderOptions {
  /** The browser binary; default the first of DEFAULT_BROWSERS that exists. */
  browser?: string;
  /** Loading, waiting and expanding one page take at most this long. */
  timeoutMs?: number;
  /** The post list counts as stable after this long without new posts or loading requests. */
  settleMs?: number;
  /** Click "Load more" (or scroll for more) at most this many times. */
  expand?: number;
  /** Refuse requests to the hosts of the built-in block list (true) or of this list file. */
  blockAds?: boolean | string;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The browser to run, or a one-line error saying what to install. */
async function findBrowser(path: string | undefined): Promise<string> {
  if (path !== undefined) {
    if (await isFile(path)) return path;
    throw new LiveArchiveError('E_INPUT', 'no browser there: install Chromium (apt-get install chromium) or give --browser PATH', { subject: path });
  }
  for (const candidate of DEFAULT_BROWSERS) if (await isFile(candidate)) return candidate;
  throw new LiveArchiveError('E_INPUT', `Chromium not found (looked for ${DEFAULT_BROWSERS.join(', ')}): install it (apt-get install chromium) or give --browser PATH`, { subject: '--render' });
}

/**
 * Loads live pages in headless Chromium and captures the DOM they render. One per run: the
 * browser is started once (again if it dies) and each page gets a fresh context of its own.
 * Playwright is loaded here, and only once a renderer is launched: nothing else needs it.
 */
export class Renderer {
  private browser: Promise<Browser> | null = null;
  private dead = false;

  private constructor(
    private readonly path: string,
    private readonly blockList: Set<string>,
    private readonly options: Required<Omit<RenderOptions, 'browser' | 'blockAds'>>,
  ) {}

  /**
   * A renderer for a run: the browser binary and the block list are checked now (a missing
   * browser is one clear error before anything else happens); the browser starts with the first page.
   */
  static async open(options: RenderOptions = {}): Promise<Renderer> {
    const path = await findBrowser(options.browser);
    const blockList = options.blockAds ? await readBlockList(options.blockAds === true ? BUILTIN_BLOCK_LIST : options.blockAds) : new Set<string>();
    return new Renderer(path, blockList, { timeoutMs: options.timeoutMs ?? 30_000, settleMs: options.settleMs ?? 2_000, expand: options.expand ?? 0 });
  }

  async close(): Promise<void> {
    const browser = await this.browser?.catch(() => null);
    await browser?.close().catch(() => undefined);
  }

  /** The browser, started (again, if it died or could not start) when a page needs it; pages at the same time share one. */
  private running(url: string): Promise<Browser> {
    if (!this.browser || this.dead) {
      this.dead = false;
      this.browser = import('playwright-core').then(({ chromium }) => chromium.launch({
        executablePath: this.path, headless: true, args: [...CHROMIUM_ARGS, `--js-flags=--max-old-space-size=${HEAP_MB}`],
        // The caller stops between pages on a signal; Playwright's own handlers would kill the browser mid-page.
        handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, timeout: 60_000,
      }));
      this.browser.then((b) => b.on('disconnected', () => { this.dead = true; }), () => { this.dead = true; });
    }
    return this.browser.catch((err: Error) => {
      throw new FetchError(url, `the browser ${this.path} did not start (${err.message.split('\n')[0]})`, { cause: err });
    });
  }

  /**
   * The page at `url` as the browser renders it. The page itself is fetched by `fetcher` (robots.txt,
   * per-host pacing, retries, size cap: like every other fetch) and kept as the server's response; the
   * browser's own requests obey the same robots.txt and pacing. Never longer than the timeout
   * plus a grace for serializing; a page that outlasts that, or crashes its tab, fails.
   */
  async render(url: string, fetcher: Fetcher): Promise<Capture> {
    const started = Date.now();
    // Not conditional: the server's shell is often the same while the posts in it change.
    const fetched = await fetcher.fetchPage(url);
    if (fetched.notModified) throw new FetchError(url, 'HTTP 304 to an unconditional request');
    const response = fetched.capture;
    // Page data (JSON) and saved pages served as .gz files are archived as they are: no browser shows them.
    if (!/html/i.test(response.contentType ?? 'text/html')) return response;
    const browser = await this.running(url);
    const context = await browser.newContext({
      acceptDownloads: false, serviceWorkers: 'block', userAgent: fetcher.options.userAgent, viewport: { width: 1280, height: 2000 },
    });
    const hardMs = this.options.timeoutMs + HARD_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FetchError(url, `the browser was still busy with the page ${seconds(hardMs)} s after it started (--render-timeout + ${HARD_GRACE_MS / 1000} s); not archived`)), hardMs);
    });
    try {
      return await Promise.race([this.capture(context, response, fetcher, started, `Chromium ${browser.version()}`), cap]);
    } finally {
      clearTimeout(timer);
      // A tab whose scripts never yield may not close: then the browser goes, and the next page starts another.
      await withTimeout(context.close(), 10_000).catch(() => browser.close().catch(() => undefined));
    }
  }

  private async capture(context: BrowserContext, response: Capture, fetcher: Fetcher, started: number, name: string): Promise<Capture> {
    const url = response.source;
    const page = await context.newPage();
    let crashed = false;
    page.on('crash', () => { crashed = true; });
    const turns = this.pace(page);
    const state: RouteState = { served: false, answered: new Set(), blocked: { types: 0, ads: 0, robots: 0, navigation: 0 }, hold: turns.hold, over: false };
    const { blocked } = state;
    // With --warc, the browser's exchanges are recorded beside the page's own fetch.
    const recorded = fetcher.recording ? recordExchanges(page, fetcher, state.answered) : undefined;
    await page.route('**/*', (route, request) => this.route(route, request, state, response, fetcher));
    const activity = new Activity(page);
    const deadline = started + this.options.timeoutMs;
    try {
      const failed = await page.goto(response.fetch?.finalUrl ?? url, { waitUntil: 'domcontentloaded', timeout: Math.max(1, deadline - Date.now()) })
        .then(() => null, (err: Error) => err);
      if (failed && !/Timeout/i.test(failed.name + failed.message)) throw new FetchError(url, `the browser could not load the page (${failed.message.split('\n')[0]})`, { cause: failed });
      const limits = { settleMs: this.options.settleMs, deadline, maxHeap: HEAP_MB * 1024 * 1024 * 0.8, maxNodes: MAX_ELEMENTS };
      let wait = await settle(page, activity, limits);
      if (wait.busy) throw new FetchError(url, `the page's scripts kept the browser busy until --render-timeout (${seconds(this.options.timeoutMs)} s); not archived`);
      let expanded = 0;
      while (wait.ended === 'stable' && expanded < this.options.expand) {
        const before = wait.posts;
        if ((await expandOnce(page, deadline - Date.now())) === 'nothing') break;
        wait = await settle(page, activity, limits);
        // A click or scroll that brought no more posts: the list is complete.
        if (wait.posts <= before) break;
        expanded++;
      }
      const grace = Math.max(1, deadline + HARD_GRACE_MS / 2 - Date.now());
      const frames = await inlineFrames(page, grace);
      const html = await withTimeout(page.evaluate(snapshotDocument, 'page' as const), grace);
      const bytes = Buffer.from(html, 'utf8');
      if (bytes.length > fetcher.options.maxBytes) throw new FetchError(url, `rendered page larger than ${Math.round(fetcher.options.maxBytes / 1024 / 1024)} MiB (--max-page-bytes)`);
      const warnings = [
        ...(wait.ended === 'timeout' ? [`the page did not settle within --render-timeout ${seconds(this.options.timeoutMs)} s (its posts or requests kept changing); archived what it showed then`] : []),
        ...(wait.ended === 'memory' ? [`the page neared the memory cap (${HEAP_MB} MB of script heap or ${MAX_ELEMENTS} elements); archived what it showed then`] : []),
        // A page that starts to leave while still loading may stop loading: its capture can be short.
        ...(state.leftFor ? [`the page tried to go to ${state.leftFor} and was kept where it was; it may have stopped loading then`] : []),
        ...(blocked.robots > 0 ? [`${blocked.robots} of the page's requests not made: robots.txt disallows them, or could not be fetched (--ignore-robots to allow)`] : []),
      ];
      const render: RenderInfo = {
        rendered: true, browser: name,
        wait: { ended: wait.ended, ms: Date.now() - started, settleMs: this.options.settleMs, timeoutMs: this.options.timeoutMs },
        postElements: wait.posts, expanded, frames, blocked, warnings,
      };
      return {
        source: url, origin: 'http', bytes, capturedAt: new Date(), capturedAtSource: 'http', contentType: 'text/html; charset=utf-8',
        ...(response.fetch ? { fetch: response.fetch } : {}), provenance: { render },
        response: { bytes: response.bytes, ...(response.contentType ? { contentType: response.contentType } : {}) },
      };
    } catch (err) {
      if (crashed) throw new FetchError(url, `the page crashed its browser tab (its scripts may use at most ${HEAP_MB} MB); not archived`, { cause: err });
      if (err instanceof LiveArchiveError) throw err;
      throw new FetchError(url, `the browser failed on the page (${(err as Error).message.split('\n')[0]})`, { cause: err });
    } finally {
      state.over = true;
      turns.releaseAll();
      await recorded?.(RECORD_GRACE_MS);
    }
  }

  /** Turns at a host held by the page's requests, given back when each request ends. */
  private pace(page: Page): { hold: (r: Request, release: () => void) => void; releaseAll: () => void } {
    const held = new Map<Request, () => void>();
    const release = (r: Request): void => {
      held.get(r)?.();
      held.delete(r);
    };
    page.on('requestfinished', release);
    page.on('requestfailed', release);
    page.on('response', (res) => {
      if (res.status() >= 300 && res.status() < 400) release(res.request());
    });
    return { hold: (r, done) => held.set(r, done), releaseAll: () => { for (const done of held.values()) done(); held.clear(); } };
  }

  /**
   * Every request of the page: the page's own document comes from the response already
   * fetched; the page cannot navigate itself away (a 204 keeps it where it is); images, media,
   * fonts and listed hosts are not fetched; robots.txt and per-host pacing apply as to any fetch.
   */
  private async route(route: Route, request: Request, state: RouteState, response: Capture, fetcher: Fetcher): Promise<void> {
    const { blocked } = state;
    try {
      const target = request.url();
      if (request.isNavigationRequest() && request.frame().parentFrame() === null) {
        state.answered.add(request);
        if (!state.served) {
          state.served = true;
          return await route.fulfill({ status: 200, contentType: response.contentType ?? 'text/html', body: response.bytes });
        }
        blocked.navigation++;
        state.leftFor ??= target;
        return await route.fulfill({ status: 204 });
      }
      if (SKIPPED_TYPES.has(request.resourceType())) {
        blocked.types++;
        return await route.abort('blockedbyclient');
      }
      if (!/^https?:/i.test(target)) return await route.continue();
      if (this.blockList.size > 0 && isBlocked(target, this.blockList)) {
        blocked.ads++;
        return await route.abort('blockedbyclient');
      }
      if (!(await fetcher.mayFetch(target))) {
        blocked.robots++;
        return await route.abort('blockedbyclient');
      }
      if (PACED_TYPES.has(request.resourceType())) {
        const release = await fetcher.turn(target);
        // The capture ended while this request waited for its turn: the turn goes straight back.
        if (state.over) return release();
        state.hold(request, release);
      }
      return await route.continue();
    } catch {
      // The page closed while its request waited: nothing is left to answer.
    }
  }
}


import { setTimeout as sleep } from 'node:timers/promises';
import type { Frame, Page, Request } from 'playwright-core';
import type { RenderWaitEnd } from '../types.js';
import { pageStats, snapshotDocument, type PageStats } from './render-page.js';

/** Requests whose coming and going means the page is still loading posts. Beacons, sockets and images do not count. */
const LOADING_TYPES = new Set(['document', 'script', 'xhr', 'fetch']);
const POLL_MS = 200;
const LAST_ASK_MS = 1000;

/** A request still unanswered after this long is taken for a live connection (long polling), not loading. */
const LONG_REQUEST_MS = 5_000;

/** When the page last started or finished a request that may bring posts, or is waiting for one now. */
export class Activity {
  private last = Date.now();
  private readonly open = new Map<Request, number>();

  constructor(page: Page) {
    page.on('request', (r) => {
      if (!LOADING_TYPES.has(r.resourceType())) return;
      this.last = Date.now();
      this.open.set(r, this.last);
    });
    const done = (r: Request): void => {
      if (this.open.delete(r)) this.last = Date.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
  }

  /** The last moment the page was loading: now, while a request that may bring posts is under way. */
  lastAt(now: number): number {
    for (const started of this.open.values()) if (now - started < LONG_REQUEST_MS) return now;
    return this.last;
  }
}

export interface WaitLimits {
  /** The post list must stay the same (and the network quiet) this long. */
  settleMs: number;
  /** The wait gives up at this time (epoch ms). */
  deadline: number;
  /** Script heap (bytes) and element counts past which the page is captured at once. */
  maxHeap: number;
  maxNodes: number;
}

/** Stats summed over the page and its frames; a frame that cannot answer (gone, busy) adds nothing. `answered`: the page itself did. */
export async function statsOf(page: Page, timeoutMs: number): Promise<PageStats & { answered: boolean }> {
  const frames = page.frames();
  const each = await Promise.all(frames.map((f) => withTimeout(f.evaluate(pageStats), timeoutMs).catch(() => null)));
  const sum = each.reduce<PageStats>((acc, s) => (s ? { posts: acc.posts + s.posts, nodes: acc.nodes + s.nodes, heap: acc.heap + s.heap } : acc), { posts: 0, nodes: 0, heap: 0 });
  return { ...sum, answered: each[frames.indexOf(page.mainFrame())] !== null };
}

/**
 * Waits until the page has settled: no new post elements and no loading request for
 * `settleMs`. A page that keeps changing ends at the deadline, one near the memory cap at once.
 * `busy`: the page's scripts did not let it answer at all (it cannot be captured).
 */
export async function settle(page: Page, activity: Activity, limits: WaitLimits): Promise<{ ended: RenderWaitEnd; posts: number; busy: boolean }> {
  let posts = -1;
  let changed = Date.now();
  for (;;) {
    // Asked once more past the deadline, briefly: a page that loaded slowly is still captured.
    const stats = await statsOf(page, Math.max(LAST_ASK_MS, limits.deadline - Date.now()));
    if (stats.heap > limits.maxHeap || stats.nodes > limits.maxNodes) return { ended: 'memory', posts: stats.posts, busy: false };
    if (stats.posts !== posts) {
      posts = stats.posts;
      changed = Date.now();
    }
    const now = Date.now();
    const quiet = now - Math.max(changed, activity.lastAt(now));
    if (quiet >= limits.settleMs && stats.answered) return { ended: 'stable', posts, busy: false };
    if (Date.now() >= limits.deadline) return { ended: 'timeout', posts, busy: !stats.answered };
    await sleep(Math.min(POLL_MS, Math.max(0, limits.deadline - Date.now())));
  }
}

function depth(frame: Frame): number {
  let n = 0;
  for (let f = frame.parentFrame(); f; f = f.parentFrame()) n++;
  return n;
}

/**
 * Puts the documents of the frames that hold posts where the frames sat: deepest frames first,
 * so a widget inside a widget ends up inside both. A same-origin frame counts with one post
 * element, another site's (ads, a single embedded social post) only with a list of them.
 * Returns the URLs of the frames inlined.
 */
export async function inlineFrames(page: Page, timeoutMs: number): Promise<string[]> {
  const origin = new URL(page.url()).origin;
  const frames = page.frames().filter((f) => f !== page.mainFrame()).sort((a, b) => depth(b) - depth(a));
  const inlined: string[] = [];
  for (const frame of frames) {
    if (frame.isDetached() || !/^https?:/.test(frame.url())) continue;
    const stats = await withTimeout(frame.evaluate(pageStats), timeoutMs).catch(() => null);
    const sameOrigin = new URL(frame.url()).origin === origin;
    if (!stats || stats.posts < (sameOrigin ? 1 : 2)) continue;
    const html = await withTimeout(frame.evaluate(snapshotDocument, 'frame' as const), timeoutMs).catch(() => null);
    const element = html === null ? null : await withTimeout(frame.frameElement(), timeoutMs).catch(() => null);
    if (!element) continue;
    const placed = await withTimeout(element.evaluate((iframe, arg) => {
      const box = document.createElement('div');
      box.setAttribute('data-livearchive-frame', arg.url);
      box.innerHTML = arg.html;
      (iframe as Element).replaceWith(box);
    }, { url: frame.url(), html: html! }), timeoutMs).then(() => true, () => false);
    if (placed) inlined.push(frame.url());
  }
  return inlined.reverse();
}

/** A promise that rejects when a frame's script keeps the page busy past `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms)} ms`)), ms);
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

import { timeIn, type PageContext } from './context.js';
import { updatePost, type StructuredUpdate } from './structured.js';
import type { Post, PostProvenance, TimeSource } from '../types.js';

/**
 * A page post and the structured data's account of it, made one post: the page gives what it
 * shows (text, media, people), the structured data the exact times and what the page lacks.
 *
 * Which update is which post: the update located in the page's markup (known), else the same
 * headline or the same opening words (content is the best witness: ids disagree on real pages,
 * numbered differently in the markup and in the JSON-LD), else the same id when the contents do
 * not contradict it. Updates no post matched are posts of their own, marked as such.
 */

/** Ids compared without the prefixes publishers put on DOM anchors ("block-…"). */
export function idKey(id: string): string {
  return id.replace(/^(?:block|post|entry|update|live|item|lbp?|lb-post)[-_]?/i, '').toLowerCase();
}

/** How far a page's coarse time ("16:22", "12 min ago") may be from the exact structured one. */
const SAME_TIME_MS = 2 * 3_600_000;
/** Within this, two sources state the same moment (one may have seconds, the other not). */
const AGREE_MS = 60_000;

export function normalText(text: string): string {
  return text.toLowerCase().normalize('NFKC').replace(/[\s\u00a0]+/g, ' ').replace(/[“”„«»"'‘’]/g, '').trim();
}

const OPENING = 60;
/** Openings shorter than this say too little to match on. */
const MIN_OPENING = 30;

/** What a post or an update is compared by, normalised once. */
interface Keys {
  headline: string | null;
  /** The first OPENING characters of the normalised body text. */
  opening: string;
}

function keysOf(headline: string | null, body: string | null): Keys {
  const h = headline ? normalText(headline) : '';
  return { headline: h === '' ? null : h, opening: body ? openingOf(body) : '' };
}

/**
 * The normalised opening without normalising a whole long body: normalising is local to each
 * character and space run, so a long enough normalised head starts as the whole would.
 */
function openingOf(text: string): string {
  const HEAD = 400;
  const head = normalText(text.slice(0, HEAD));
  return (head.length > OPENING || text.length <= HEAD ? head : normalText(text)).slice(0, OPENING);
}

function sameOpening(x: Keys, y: Keys): boolean {
  const n = Math.min(OPENING, x.opening.length, y.opening.length);
  return n >= MIN_OPENING && x.opening.slice(0, n) === y.opening.slice(0, n);
}

function sameHeadline(x: Keys, y: Keys): boolean {
  return x.headline !== null && x.headline === y.headline;
}

/** Whether the update's content says it is this post (true), is not (false), or cannot tell (null). */
function contentVerdict(p: Keys, u: Keys): boolean | null {
  if (p.headline && u.headline) return sameHeadline(p, u) || sameOpening(p, u);
  if (p.opening && u.opening) return sameOpening(p, u);
  return null;
}

/** Resolved without warnings: this is a comparison, the real reading warns once. */
function resolve(ctx: PageContext, raw: string): string | null {
  return timeIn({ ...ctx, time: { ...ctx.time, warnings: [] } }, raw);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The update each page post is, where one is. Updates are looked up by headline, by opening
 * and by id rather than compared with every post: a page can hold thousands of both.
 */
function match(ctx: PageContext, posts: Post[], updates: StructuredUpdate[], located: Map<Post, StructuredUpdate>): Map<Post, StructuredUpdate> {
  const out = new Map<Post, StructuredUpdate>();
  const used = new Set<StructuredUpdate>();
  const take = (p: Post, u: StructuredUpdate): void => {
    out.set(p, u);
    used.add(u);
  };
  for (const [p, u] of located) take(p, u);

  const order = new Map(updates.map((u, i) => [u, i]));
  const uKeys = new Map(updates.map((u) => [u, keysOf(u.headline, u.bodyText)]));
  const byHeadline = new Map<string, StructuredUpdate[]>();
  const byOpening = new Map<string, StructuredUpdate[]>();
  const byId = new Map<string, StructuredUpdate[]>();
  for (const u of updates) {
    const k = uKeys.get(u)!;
    if (k.headline) push(byHeadline, k.headline, u);
    if (k.opening.length >= MIN_OPENING) push(byOpening, k.opening.slice(0, MIN_OPENING), u);
    if (u.id) push(byId, idKey(u.id), u);
  }
  const published = new Map<StructuredUpdate, string | null>();
  const closeInTime = (p: Post, u: StructuredUpdate): boolean => {
    if (!published.has(u)) published.set(u, u.published ? resolve(ctx, u.published) : null);
    const ld = published.get(u)!;
    return !p.publishedAt || !ld || Math.abs(Date.parse(p.publishedAt) - Date.parse(ld)) <= SAME_TIME_MS;
  };

  const pKeys = new Map(posts.map((p) => [p, keysOf(p.headline, p.bodyText)]));
  for (const p of posts) {
    if (out.has(p)) continue;
    const k = pKeys.get(p)!;
    // The same headline, or, where either has none, the same opening; the first such update.
    const byText = [...(k.headline ? byHeadline.get(k.headline) ?? [] : []), ...(byOpening.get(k.opening.slice(0, MIN_OPENING)) ?? [])]
      .sort((a, b) => order.get(a)! - order.get(b)!);
    const u = byText.find((x) => {
      if (used.has(x)) return false;
      const xk = uKeys.get(x)!;
      return (sameHeadline(k, xk) || (!k.headline || !xk.headline ? sameOpening(k, xk) : false)) && closeInTime(p, x);
    });
    if (u) take(p, u);
  }
  for (const p of posts) {
    if (out.has(p)) continue;
    const u = (byId.get(idKey(p.id)) ?? []).find((x) => !used.has(x) && contentVerdict(pKeys.get(p)!, uKeys.get(x)!) !== false);
    if (u) take(p, u);
  }
  return out;
}

/**
 * The publication time, from the page's sources and the structured data's. A page time to the
 * minute (a clock, "12 min ago") gives way to the exact structured time of the same moment.
 * Sources that disagree by more, by a whole zone offset as a mislabelled "…Z" does: the two that
 * agree win, with a note; when only two disagree, the page's own stays, with a note.
 */
function publicationTime(page: TimeSource[], ld: TimeSource | null, notes: string[]): TimeSource | null {
  const all = ld ? [...page, ld] : page;
  if (all.length === 0) return null;
  const [first] = all;
  if (!ld || page.length === 0) return first!;
  const t = (s: TimeSource): number => Date.parse(s.at);
  const agreeing = (s: TimeSource): TimeSource[] => all.filter((o) => o !== s && Math.abs(t(o) - t(s)) < AGREE_MS);
  const primary = page[0]!;
  const gap = Math.abs(t(primary) - t(ld));
  if (gap < AGREE_MS) return t(primary) % 60_000 === 0 && t(ld) % 60_000 !== 0 ? ld : primary;
  // Two against one: the pair wins.
  const pair = all.find((s) => agreeing(s).length > 0);
  if (pair && all.length >= 3) {
    const odd = all.filter((s) => s !== pair && !agreeing(pair).includes(s));
    for (const o of odd) notes.push(`${o.from} time ${o.at} disagrees with ${[pair, ...agreeing(pair)].map((s) => s.from).join(' and ')} (${pair.at}); took theirs`);
    // Of the agreeing ones, the one with seconds.
    return [pair, ...agreeing(pair)].find((s) => t(s) % 60_000 !== 0) ?? pair;
  }
  const coarse = t(primary) % 60_000 === 0 && t(ld) % 60_000 !== 0;
  // "1 hour ago" is that coarse, too.
  if (coarse && gap <= SAME_TIME_MS) return ld;
  notes.push(`${primary.from} time ${primary.at} disagrees with ${ld.from} (${ld.at}); kept the page's`);
  return primary;
}

function merged(ctx: PageContext, dom: Post, u: StructuredUpdate): Post {
  const prov: PostProvenance = dom.provenance ?? { id: 'dom-id', times: dom.publishedAt ? [{ from: 'attr', at: dom.publishedAt }] : [], notes: [] };
  const notes = [...prov.notes];
  const ldAt = u.published ? timeIn(ctx, u.published) : null;
  const ld: TimeSource | null = ldAt ? { from: u.source, at: ldAt } : null;
  const taken = publicationTime(prov.times, ld, notes);
  const ldUpdated = u.modified ? timeIn(ctx, u.modified) : null;
  // An update time the page shows to the minute gives way to the structured one of that minute.
  const updatedAt = dom.updatedAt && ldUpdated && Math.abs(Date.parse(dom.updatedAt) - Date.parse(ldUpdated)) <= SAME_TIME_MS
    && Date.parse(dom.updatedAt) % 60_000 === 0 ? ldUpdated : dom.updatedAt ?? ldUpdated;
  const fromUpdate = prov.id === 'content' && u.id !== null;
  // The update as a post, rendered only when the page post lacks what it holds.
  let own: Post | undefined;
  const asPost = (): Post => (own ??= updatePost(ctx, u));
  return {
    ...dom,
    id: fromUpdate ? u.id! : dom.id,
    url: dom.url ?? (u.url || u.id ? asPost().url : null),
    headline: dom.headline ?? u.headline,
    bodyText: dom.bodyText || (u.bodyText ?? ''),
    bodyHtml: dom.bodyHtml || (u.bodyText ? asPost().bodyHtml : ''),
    publishedAt: taken?.at ?? null,
    updatedAt,
    contributors: dom.contributors.length ? dom.contributors : u.authors.map((name) => ({ name, role: 'author' as const })),
    media: dom.media.length ? dom.media : u.image ? asPost().media : [],
    provenance: {
      id: fromUpdate ? u.source : prov.id,
      times: taken ? [taken, ...[...prov.times, ...(ld ? [ld] : [])].filter((s) => s !== taken)] : prov.times,
      notes,
    },
  };
}

/**
 * The page's posts, each joined with its update, then the updates the page does not show, as
 * posts of their own (origin structured-data), after them. `located` holds the pairs already
 * known from where the updates sit in the markup.
 */
export function reconcile(ctx: PageContext, domPosts: Post[], updates: StructuredUpdate[], located: Map<Post, StructuredUpdate> = new Map()): Post[] {
  const pairs = match(ctx, domPosts, updates, located);
  const posts = domPosts.map((p) => {
    const u = pairs.get(p);
    return u ? merged(ctx, p, u) : p;
  });
  for (const p of posts) for (const n of p.provenance?.notes ?? []) ctx.warnings.push(`post ${p.id}: ${n}`);
  const used = new Set(pairs.values());
  const domKeys = new Set(posts.map((p) => idKey(p.id)));
  const onlyLd = updates.filter((u) => !used.has(u) && !(u.id && domKeys.has(idKey(u.id)))).map((u) => updatePost(ctx, u));
  return [...posts, ...onlyLd];
}

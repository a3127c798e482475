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

function sameHeadline(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && normalText(a) !== '' && normalText(a) === normalText(b);
}

function sameOpening(a: string, b: string | null): boolean {
  if (!b) return false;
  const x = normalText(a);
  const y = normalText(b);
  const n = Math.min(OPENING, x.length, y.length);
  return n >= 30 && x.slice(0, n) === y.slice(0, n);
}

/** Whether the update's content says it is this post (true), is not (false), or cannot tell (null). */
function contentVerdict(dom: Post, u: StructuredUpdate): boolean | null {
  if (dom.headline && u.headline) return sameHeadline(dom.headline, u.headline) || sameOpening(dom.bodyText, u.bodyText);
  if (dom.bodyText && u.bodyText) return sameOpening(dom.bodyText, u.bodyText);
  return null;
}

function closeInTime(ctx: PageContext, dom: Post, u: StructuredUpdate): boolean {
  const ld = u.published ? resolve(ctx, u.published) : null;
  return !dom.publishedAt || !ld || Math.abs(Date.parse(dom.publishedAt) - Date.parse(ld)) <= SAME_TIME_MS;
}

/** Resolved without warnings: this is a comparison, the real reading warns once. */
function resolve(ctx: PageContext, raw: string): string | null {
  return timeIn({ ...ctx, time: { ...ctx.time, warnings: [] } }, raw);
}

/** The update each page post is, where one is. */
function match(ctx: PageContext, posts: Post[], updates: StructuredUpdate[], located: Map<Post, StructuredUpdate>): Map<Post, StructuredUpdate> {
  const out = new Map<Post, StructuredUpdate>();
  const used = new Set<StructuredUpdate>();
  const take = (p: Post, u: StructuredUpdate): void => {
    out.set(p, u);
    used.add(u);
  };
  for (const [p, u] of located) take(p, u);
  const free = (): StructuredUpdate[] => updates.filter((u) => !used.has(u));
  for (const p of posts) {
    if (out.has(p)) continue;
    const u = free().find((x) => (sameHeadline(p.headline, x.headline) || (!p.headline || !x.headline ? sameOpening(p.bodyText, x.bodyText) : false)) && closeInTime(ctx, p, x));
    if (u) take(p, u);
  }
  const byKey = new Map<string, StructuredUpdate[]>();
  for (const u of updates) if (u.id) byKey.set(idKey(u.id), [...(byKey.get(idKey(u.id)) ?? []), u]);
  for (const p of posts) {
    if (out.has(p)) continue;
    const u = (byKey.get(idKey(p.id)) ?? []).find((x) => !used.has(x) && contentVerdict(p, x) !== false);
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

import { timeIn, type PageContext } from './context.js';
import { loadFragment } from './document.js';
import { findLd, ldImageUrl, ldNames, ldString, type LdNode } from './jsonld.js';
import { makeMedia } from './media.js';
import { finishPost } from './post.js';
import type { Post } from '../types.js';
import { webUrl } from './url.js';

/** The id a liveBlogUpdate refers to: its @id or the fragment of its url. */
function updateId(u: LdNode): string | null {
  for (const v of [u['@id'], u['url']]) {
    const s = ldString(v);
    if (!s) continue;
    const hash = s.lastIndexOf('#');
    if (hash >= 0 && hash < s.length - 1) return s.slice(hash + 1);
    if (!/^https?:/.test(s)) return s;
  }
  return null;
}

/**
 * Values that are the same in every update are page values copied into each one (the
 * Guardian copies the page headline, time and authors; most publishers the page author):
 * they say nothing about the post and are not used.
 */
function copiedFields(updates: LdNode[]): Set<string> {
  const copied = new Set<string>();
  if (updates.length < 2) return copied;
  for (const field of ['headline', 'datePublished', 'dateModified', 'author', 'image', 'articleBody']) {
    const values = new Set(updates.map((u) => JSON.stringify(u[field] ?? null)));
    if (values.size === 1) copied.add(field);
  }
  return copied;
}

/** Posts from a LiveBlogPosting's liveBlogUpdate list, in the order given. */
export function structuredPosts(ctx: PageContext): Post[] {
  const live = findLd(ctx.jsonld, ['LiveBlogPosting']);
  const raw = live?.['liveBlogUpdate'];
  const updates = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((u): u is LdNode => !!u && typeof u === 'object');
  const copied = copiedFields(updates);
  const use = (u: LdNode, f: string): unknown => (copied.has(f) ? undefined : u[f]);
  return updates.map((u) => {
    const id = updateId(u);
    const image = ldImageUrl(use(u, 'image'));
    const published = ldString(use(u, 'datePublished'));
    const modified = ldString(use(u, 'dateModified'));
    const url = ldString(u['url']);
    const body = ldString(use(u, 'articleBody'));
    return finishPost({
      id,
      url: webUrl(url, ctx.url) ?? (id ? `#${id}` : null),
      headline: ldString(use(u, 'headline')),
      // Some publishers put the post's HTML in articleBody: it is rendered like a page body.
      ...(body && /<\/?[a-z][a-z0-9-]*(?:\s[^>]*)?\/?>/i.test(body)
        ? { bodyNodes: loadFragment(body).root().contents().toArray() }
        : { bodyText: body }),
      publishedAt: published ? timeIn(ctx, published) : null,
      updatedAt: modified ? timeIn(ctx, modified) : null,
      contributors: ldNames(use(u, 'author')).map((name) => ({ name, role: 'author' })),
      media: image ? [makeMedia({ kind: 'image', url: image }, ctx.url)] : [],
      origin: 'structured-data',
    }, ctx.url);
  });
}

/** Ids compared without the prefixes publishers put on DOM anchors ("block-…"). */
function idKey(id: string): string {
  return id.replace(/^(?:block|post|entry|update|live)[-_]/i, '').toLowerCase();
}

/** How far a page's coarse time ("16:22", "12 min ago") may be from the exact structured one. */
const SAME_TIME_MS = 2 * 3_600_000;

/**
 * A page time to the minute (clock text, relative text) gives way to the structured data's
 * exact time for the same moment; a page time with seconds is the page's own and stays.
 */
function preciseTime(dom: string | null, ld: string | null): string | null {
  if (!dom || !ld) return dom ?? ld;
  const d = Date.parse(dom);
  const l = Date.parse(ld);
  return d % 60_000 === 0 && l % 60_000 !== 0 && Math.abs(d - l) <= SAME_TIME_MS ? ld : dom;
}

function normal(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The structured-data post that is this page post when their ids differ (updates listed
 * without @id or url): the same headline, or the same opening words when either has none, at
 * the same time when both say one.
 */
function sameContent(dom: Post, ldPosts: Post[], used: Set<Post>): Post | undefined {
  const headline = dom.headline ? normal(dom.headline) : null;
  const body = normal(dom.bodyText);
  const alike = (ld: Post): boolean => headline !== null && ld.headline
    ? headline === normal(ld.headline)
    : body.length >= 60 && body.slice(0, 60) === normal(ld.bodyText).slice(0, 60);
  return ldPosts.find((ld) => !used.has(ld) && alike(ld)
    && (!dom.publishedAt || !ld.publishedAt || Math.abs(Date.parse(dom.publishedAt) - Date.parse(ld.publishedAt)) <= SAME_TIME_MS));
}

/**
 * Reconcile DOM posts with structured-data posts by id: what the page shows wins, the
 * structured data fills gaps (and sharpens coarse times), and posts only found there are
 * kept, marked as such.
 */
export function reconcile(domPosts: Post[], ldPosts: Post[]): Post[] {
  const byKey = new Map(ldPosts.map((p) => [idKey(p.id), p]));
  const used = new Set<Post>();
  const merged = domPosts.map((dom) => {
    const ld = byKey.get(idKey(dom.id)) ?? sameContent(dom, ldPosts, used);
    if (!ld) return dom;
    used.add(ld);
    return {
      ...dom,
      url: dom.url ?? ld.url,
      headline: dom.headline ?? ld.headline,
      bodyText: dom.bodyText || ld.bodyText,
      bodyHtml: dom.bodyHtml || ld.bodyHtml,
      publishedAt: preciseTime(dom.publishedAt, ld.publishedAt),
      updatedAt: preciseTime(dom.updatedAt, ld.updatedAt),
      contributors: dom.contributors.length ? dom.contributors : ld.contributors,
      media: dom.media.length ? dom.media : ld.media,
    };
  });
  const domKeys = new Set(domPosts.map((p) => idKey(p.id)));
  const onlyLd = ldPosts.filter((p) => !used.has(p) && !domKeys.has(idKey(p.id)));
  return [...merged, ...onlyLd];
}

import type { Element } from 'domhandler';
import { timeIn, type PageContext } from './context.js';
import { fragmentNodes } from './document.js';
import { findLd, ldImageUrl, ldNames, ldString, ldTypes, type LdNode } from './jsonld.js';
import { makeMedia } from './media.js';
import { finishPost } from './post.js';
import { markupToPlainText } from './text.js';
import type { Post } from '../types.js';
import { webUrl } from './url.js';

export type StructuredSource = 'jsonld' | 'microdata' | 'rdfa';

/**
 * One update of a live blog as its structured data states it, whichever syntax wrote it:
 * JSON-LD's liveBlogUpdate list, or microdata / RDFa items in the markup (then `element` is the
 * update's own element on the page). Values copied from the page into every update are dropped.
 */
export interface StructuredUpdate {
  source: StructuredSource;
  /** The fragment of its url or @id, or an @id that is not a URL. */
  id: string | null;
  url: string | null;
  headline: string | null;
  /** As written; resolved in the page's time context. */
  published: string | null;
  modified: string | null;
  /** articleBody as plain text (publishers put HTML in it too). */
  bodyText: string | null;
  /** articleBody as given, when it holds markup. */
  bodyHtml: string | null;
  authors: string[];
  image: string | null;
  element: Element | null;
}

/** The id an update refers to: the fragment of its url or @id, or an @id that is not a URL. */
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

const POSTING_TYPES = ['BlogPosting', 'NewsArticle', 'Article', 'LiveBlogUpdate', 'SocialMediaPosting', 'Comment'];

function asNodes(raw: unknown): LdNode[] {
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((u): u is LdNode => !!u && typeof u === 'object' && !Array.isArray(u));
}

/**
 * The live blog's updates from its structured data: JSON-LD first, then microdata, then RDFa
 * (a page writes one of them; the first that lists updates is taken). In markup, updates are
 * the liveBlogUpdate items of the LiveBlogPosting, else, when there is no such item, two or
 * more BlogPosting items of the page.
 */
export function structuredUpdates(ctx: PageContext): StructuredUpdate[] {
  let read = known.get(ctx);
  if (!read) {
    read = readUpdates(ctx);
    known.set(ctx, read);
  }
  return read;
}

/** Read once per page: the generic reader looks for them in the markup, reconciling joins them. */
const known = new WeakMap<PageContext, StructuredUpdate[]>();

function readUpdates(ctx: PageContext): StructuredUpdate[] {
  const live = findLd(ctx.jsonld, ['LiveBlogPosting']);
  const fromLd = asNodes(live?.['liveBlogUpdate']);
  if (fromLd.length > 0) return toUpdates(fromLd, 'jsonld', new Map(), live);
  for (const source of ['microdata', 'rdfa'] as const) {
    const items = ctx.markup.filter((m) => m.source === source);
    const elementOf = new Map(items.map((m) => [m.node, m.element]));
    const blog = items.find((m) => ldTypes(m.node).includes('LiveBlogPosting'));
    let nodes = asNodes(blog?.node['liveBlogUpdate']);
    if (nodes.length === 0 && !blog) {
      nodes = items.filter((m) => ldTypes(m.node).some((t) => POSTING_TYPES.includes(t))).map((m) => m.node);
      if (nodes.length < 2) nodes = [];
    }
    if (nodes.length > 0) return toUpdates(nodes, source, elementOf, blog?.node);
  }
  return [];
}

function toUpdates(nodes: LdNode[], source: StructuredSource, elementOf: Map<LdNode, Element>, blog: LdNode | undefined): StructuredUpdate[] {
  const copied = copiedFields(nodes);
  // A value the live blog itself has (its headline given to an untitled update) is the page's too.
  const use = (u: LdNode, f: string): unknown => (copied.has(f) || (blog && f === 'headline' && u[f] === blog[f]) ? undefined : u[f]);
  return nodes.map((u) => {
    const body = ldString(use(u, 'articleBody'));
    const html = body && /<\/?[a-z][a-z0-9-]*(?:\s[^>]*)?\/?>/i.test(body) ? body : null;
    return {
      source,
      id: updateId(u),
      url: ldString(u['url']),
      headline: ldString(use(u, 'headline')),
      published: ldString(use(u, 'datePublished')) ?? ldString(use(u, 'dateCreated')),
      modified: ldString(use(u, 'dateModified')),
      bodyText: html ? markupToPlainText(html) : body,
      bodyHtml: html,
      authors: ldNames(use(u, 'author')),
      image: ldImageUrl(use(u, 'image')),
      element: elementOf.get(u) ?? null,
    };
  });
}

/**
 * An update as a post of its own, for updates the page does not show (older ones listed only in
 * the structured data). Its body is rendered only here, for the few that need it.
 */
export function updatePost(ctx: PageContext, u: StructuredUpdate): Post {
  const publishedAt = u.published ? timeIn(ctx, u.published) : null;
  return finishPost({
    id: u.id,
    idFrom: u.source,
    url: webUrl(u.url, ctx.url) ?? (u.id ? `#${u.id}` : null),
    headline: u.headline,
    ...(u.bodyHtml ? { bodyNodes: fragmentNodes(u.bodyHtml) } : { bodyText: u.bodyText }),
    publishedAt,
    times: publishedAt ? [{ from: u.source, at: publishedAt }] : [],
    updatedAt: u.modified ? timeIn(ctx, u.modified) : null,
    contributors: u.authors.map((name) => ({ name, role: 'author' })),
    media: u.image ? [makeMedia({ kind: 'image', url: u.image }, ctx.url)] : [],
    origin: 'structured-data',
  }, ctx.url);
}

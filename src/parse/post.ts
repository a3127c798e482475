import { createHash } from 'node:crypto';
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { contributorsFromLine, uniqueContributors } from './people.js';
import { uniqueMedia } from './media.js';
import { HIDDEN } from './dom.js';
import { renderBody, textOrNull } from './text.js';
import { webUrl } from './url.js';
import type { Contributor, IdSource, Media, Post, PostOrigin, TimeSource } from '../types.js';

export interface PostDraft {
  id?: string | null;
  /** Where the id came from when not the post's element (default: dom-id; none given: content). */
  idFrom?: IdSource;
  /** The post's permalink as the page writes it: made absolute (http or https only) here. */
  url?: string | null;
  headline?: string | null;
  /** Body as DOM nodes (rendered and sanitized here) … */
  bodyNodes?: Iterable<AnyNode>;
  /** … or as plain text (structured data). */
  bodyText?: string | null;
  publishedAt?: string | null;
  /** What gave publishedAt (default: an attribute), and other readings of it, for reconciling. */
  times?: TimeSource[];
  updatedAt?: string | null;
  displayTime?: string | null;
  contributors?: Contributor[];
  media?: Media[];
  origin?: PostOrigin;
  pinned?: boolean;
  keyEvent?: boolean;
}

/** A stable id for a post whose page gives none: the same post hashes the same in every capture. */
export function stablePostId(parts: Array<string | null | undefined>): string {
  const h = createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex');
  return `la_${h.slice(0, 20)}`;
}

function escapeParagraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`)
    .join('');
}

/**
 * Turn an adapter's draft into a Post: sanitized body HTML and text, contributors from a
 * closing credit line ("… contributed to this post."), a stable id when the page has none.
 */
export function finishPost(draft: PostDraft, baseUrl: string | null): Post {
  let bodyHtml = '';
  let bodyText = '';
  if (draft.bodyNodes) {
    const r = renderBody(draft.bodyNodes, baseUrl);
    bodyHtml = r.html;
    bodyText = r.text;
  } else if (draft.bodyText) {
    bodyText = draft.bodyText.trim();
    bodyHtml = escapeParagraphs(bodyText);
  }
  const paragraphs = bodyText.split('\n\n');
  const credits = paragraphs.slice(-2).flatMap(contributorsFromLine);
  const headline = textOrNull(draft.headline);
  // Not the time: a time read from "1 hour ago" or a bare clock moves between captures.
  const given = textOrNull(draft.id);
  const id = given ?? stablePostId([headline, bodyText.slice(0, 120)]);
  const times = draft.times ?? (draft.publishedAt ? [{ from: draft.origin === 'structured-data' ? 'jsonld' as const : 'attr' as const, at: draft.publishedAt }] : []);
  return {
    id,
    url: webUrl(draft.url, baseUrl),
    headline,
    bodyHtml,
    bodyText,
    publishedAt: draft.publishedAt ?? null,
    updatedAt: draft.updatedAt ?? null,
    displayTime: textOrNull(draft.displayTime),
    contributors: uniqueContributors([...(draft.contributors ?? []), ...credits]),
    media: uniqueMedia(draft.media ?? []),
    origin: draft.origin ?? 'page',
    pinned: draft.pinned ?? false,
    keyEvent: draft.keyEvent ?? false,
    provenance: { id: given ? draft.idFrom ?? 'dom-id' : 'content', times, notes: [] },
  };
}

/** The children of a post's body with the given non-body parts (share bars, ads, media) cut out. */
export function bodyNodesOf($: CheerioAPI, body: Cheerio<Element>, exclude: string): AnyNode[] {
  const copy = body.clone();
  copy.find(exclude ? `${exclude}, ${HIDDEN}` : HIDDEN).remove();
  return copy.contents().toArray();
}

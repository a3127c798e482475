import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { timeIn, type PageContext } from '../context.js';
import { mediaOfElement } from '../media-dom.js';
import { embedKind, imageSource, makeMedia } from '../media.js';
import { looksLikeName } from '../people.js';
import { bodyNodesOf, finishPost } from '../post.js';
import { cleanText, textOrNull } from '../text.js';
import type { Media, Post } from '../../types.js';
import type { Adapter } from './types.js';

// Reach plc "live-event" template (Mirror, Express, Manchester Evening News, CorkBeo …), 2019 on.
const ENTRY = 'div.live-event-entry';
const NOT_ENTRY = '.live-event-lead-entry, .live-event-key-events';
const CONTENT = '.entry-content';
const IMAGE = '.image-container';
const EMBED_PLACEHOLDER = '.liveEventEmbeddedContent[data-embedded-content-path]';
const KEY_EVENT_MARK = /^key event$/i;
/** A bare social-media URL left as text: the template's embed before its script runs. */
const SOCIAL_URL = /^https?:\/\/(?:www\.)?(?:facebook\.com|twitter\.com|x\.com|instagram\.com|tiktok\.com|youtube\.com|youtu\.be)\/\S+$/i;

function entryMedia($: CheerioAPI, content: Cheerio<Element>, base: string | null): Media[] {
  const out: Media[] = [];
  content.find(`${IMAGE}, ${EMBED_PLACEHOLDER}, blockquote, figure, iframe`).each((_, node) => {
    const el = $(node);
    if (el.parents(`${IMAGE}, ${EMBED_PLACEHOLDER}, blockquote, figure`).length) return;
    if (el.is(IMAGE)) {
      const img = el.find('amp-img, img').first().get(0);
      out.push(makeMedia({ kind: 'image', url: img ? imageSource(img.attribs) : null, alt: img?.attribs['alt'], credit: el.find('.credit').text(), caption: el.find('figcaption').clone().find('.credit').remove().end().text() }, base));
    } else if (el.is(EMBED_PLACEHOLDER)) {
      out.push(makeMedia({ kind: 'embed', url: el.attr('data-embedded-content-path') }, base));
    } else {
      const m = mediaOfElement($, el, base);
      if (m) out.push(m);
    }
  });
  // Text nodes that are just a social URL are embeds waiting for their script.
  for (const node of content.contents().toArray()) {
    const text = node.type === 'text' ? cleanText((node as unknown as { data: string }).data) : node.type === 'tag' && (node as Element).name === 'p' ? cleanText($(node).text()) : '';
    if (SOCIAL_URL.test(text)) out.push(makeMedia({ kind: embedKind(text), url: text }, base));
  }
  return out;
}

function withoutBareUrls($: CheerioAPI, nodes: AnyNode[]): AnyNode[] {
  return nodes.filter((n) => {
    const text = n.type === 'text' ? cleanText((n as unknown as { data: string }).data) : n.type === 'tag' && (n as Element).name === 'p' ? cleanText($(n).text()) : '';
    return !SOCIAL_URL.test(text);
  });
}

function entryPost(ctx: PageContext, el: Cheerio<Element>): Post {
  const { $ } = ctx;
  const content = el.find(CONTENT).first();
  const mark = cleanText(el.find('.entry-info mark').first().text());
  const keyEvent = el.attr('data-type') === 'key-event' || KEY_EVENT_MARK.test(mark);
  const id = el.attr('id') ?? null;
  return finishPost({
    id,
    url: id && ctx.url ? `${ctx.url}#${id}` : null,
    headline: content.find('h3').first().text(),
    bodyNodes: withoutBareUrls($, bodyNodesOf($, content, `h3, ${IMAGE}, ${EMBED_PLACEHOLDER}, blockquote.twitter-tweet, blockquote.instagram-media, figure, figcaption, iframe, script`)),
    publishedAt: timeIn(ctx, el.attr('data-post-time')),
    updatedAt: timeIn(ctx, el.attr('data-last-modified-time')),
    displayTime: textOrNull(el.find('.entry-info time').first().text()),
    contributors: !KEY_EVENT_MARK.test(mark) && looksLikeName(mark) ? [{ name: mark, role: 'author' }] : [],
    media: entryMedia($, content, ctx.url),
    keyEvent,
  }, ctx.url);
}

export const reachLiveEvent: Adapter = {
  id: 'reach-live',
  version: '2019-01',
  validFrom: '2019-01-01',
  matches(ctx) {
    return ctx.$(ENTRY).length > 0;
  },
  extract(ctx) {
    const { $ } = ctx;
    const posts = $(ENTRY).filter((_, el) => $(el).closest(NOT_ENTRY).length === 0).toArray().map((el) => entryPost(ctx, $(el)));
    return { kind: 'liveblog', posts, structuredData: 'merge' };
  },
};

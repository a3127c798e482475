import type { Cheerio, CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { onHost, timeIn, type PageContext } from '../context.js';
import { extractMedia } from '../media-dom.js';
import { imageSource, makeMedia } from '../media.js';
import { looksLikeName } from '../people.js';
import { bodyNodesOf, finishPost } from '../post.js';
import { cleanText, markupToPlainText, textOrNull } from '../text.js';
import type { Media, Post } from '../../types.js';
import type { Adapter } from './types.js';

// Guardian live blogs as rendered by dotcom-rendering (DCR), 2021 onwards. Class names are
// hashed per release, so only ids, data attributes and element structure are relied on.
const BLOCK = 'article[id^="block-"]';
const PINNED_AREA = '#pinned-post, [data-gu-marker="pinned-post"]';
const FIGURE = 'figure[data-spacefinder-type]';
const ISLAND = 'gu-island[props]';
const OLDER_PAGES = 'a[href*="page=with:block-"]';

/** What the page's embedded data (gu-island props) says about a block. */
interface IslandBlock {
  keyEvent: boolean;
  pinned: boolean;
  lastUpdated: number | null;
  contributors: string[];
}

function islandBlocks($: CheerioAPI): Map<string, IslandBlock> {
  const blocks = new Map<string, IslandBlock>();
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object') {
      const b = o as Record<string, unknown>;
      if (typeof b['id'] === 'string' && 'blockFirstPublished' in b) {
        const attrs = (b['attributes'] ?? {}) as Record<string, unknown>;
        const people = Array.isArray(b['contributors']) ? b['contributors'] as Array<Record<string, unknown>> : [];
        blocks.set(`block-${b['id']}`, {
          keyEvent: attrs['keyEvent'] === true,
          pinned: attrs['pinned'] === true,
          lastUpdated: typeof b['blockLastUpdated'] === 'number' ? b['blockLastUpdated'] : null,
          contributors: people.map((p) => (typeof p['name'] === 'string' ? p['name'] : '')).filter(Boolean),
        });
      }
      Object.values(b).forEach(walk);
    }
  };
  $(ISLAND).each((_, el) => {
    const props = el.attribs['props'] ?? '';
    if (!props.includes('blockFirstPublished')) return;
    try {
      walk(JSON.parse(props));
    } catch {
      // An island whose props are not JSON says nothing about blocks.
    }
  });
  return blocks;
}

function islandProps(fig: Cheerio<Element>): Record<string, unknown> | null {
  const raw = fig.find(ISLAND).attr('props');
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** A figure by its DCR element type: images with caption and credit, YouTube, tweets. */
function figureMedia($: CheerioAPI, fig: Cheerio<Element>, base: string | null): Media[] {
  const type = (fig.attr('data-spacefinder-type') ?? '').split('.').pop() ?? '';
  if (type === 'ImageBlockElement') {
    const img = fig.find('img').first();
    const caption = fig.find('figcaption').first();
    const captionText = textOrNull(caption.find('span').last().text());
    const credit = textOrNull(caption.clone().children().remove().end().text());
    return [makeMedia({ kind: 'image', url: img.get(0) ? imageSource(img.get(0)!.attribs) : null, alt: img.attr('alt'), caption: captionText, credit }, base)];
  }
  const props = islandProps(fig);
  if (type === 'YoutubeBlockElement' && props) {
    const el = (props['element'] ?? props) as Record<string, unknown>;
    const posters = (Array.isArray(el['posterImage']) ? el['posterImage'] : []) as Array<{ url: string; width: number }>;
    const poster = posters.reduce<{ url: string; width: number } | null>((a, b) => (!a || b.width > a.width ? b : a), null);
    const id = typeof el['assetId'] === 'string' ? el['assetId'] : null;
    return [makeMedia({
      kind: 'video',
      url: id ? `https://www.youtube.com/watch?v=${id}` : null,
      caption: typeof el['mediaTitle'] === 'string' ? el['mediaTitle'] : null,
      duration: typeof el['duration'] === 'number' ? el['duration'] : null,
      thumbnail: poster?.url ?? null,
    }, base)];
  }
  if (type === 'TweetBlockElement' && props) {
    const el = (props['element'] ?? {}) as Record<string, unknown>;
    return [makeMedia({ kind: 'embed', url: typeof el['url'] === 'string' ? el['url'] : null, caption: markupToPlainText(typeof el['html'] === 'string' ? el['html'] : null) }, base)];
  }
  return extractMedia($, fig, base);
}

function blockPost(ctx: PageContext, el: Cheerio<Element>, island: IslandBlock | undefined): Post {
  const { $ } = ctx;
  const header = el.children('header').first();
  const time = header.find('time[datetime]').first();
  const permalink = header.find('a[href*="#block-"]').attr('href');
  // The byline sits in the header outside the permalink: an avatar and the name in a span.
  const bylines = header.find('span').filter((_, s) => $(s).closest('a').length === 0).toArray()
    .map((s) => cleanText($(s).text())).filter(looksLikeName);
  const authors = [...new Set([...bylines, ...(island?.contributors ?? [])])];
  return finishPost({
    id: el.attr('id'),
    url: permalink && ctx.url ? new URL(permalink, ctx.url).href : null,
    headline: el.find('h2').first().text(),
    bodyNodes: bodyNodesOf($, el, `header, footer, ${FIGURE}, figure, gu-island`),
    publishedAt: timeIn(ctx, time.attr('datetime')),
    updatedAt: island?.lastUpdated ? timeIn(ctx, island.lastUpdated) : null,
    displayTime: textOrNull(header.find('a span').first().text()) ?? textOrNull(time.text()),
    contributors: authors.map((name) => ({ name, role: 'author' })),
    media: el.find(FIGURE).toArray().flatMap((f) => figureMedia($, $(f), ctx.url)),
    keyEvent: island?.keyEvent ?? false,
    pinned: island?.pinned ?? false,
  }, ctx.url);
}

export const guardianLive: Adapter = {
  id: 'guardian-live',
  version: '2021-01',
  validFrom: '2021-01-01',
  timeZone: 'Europe/London',
  matches(ctx) {
    return onHost(ctx, 'theguardian.com') && ctx.$(BLOCK).length > 0;
  },
  extract(ctx) {
    const { $ } = ctx;
    const island = islandBlocks($);
    // The pinned copy carries no id; the stream copy is flagged through the page data, or by
    // its permalink when the page data is missing.
    const pinnedIds = new Set($(PINNED_AREA).find('a[href*="#block-"]').toArray().map((a) => (a.attribs['href'] ?? '').split('#').pop()!));
    const posts = $(BLOCK).filter((_, el) => $(el).closest(PINNED_AREA).length === 0).toArray().map((el) => {
      const post = blockPost(ctx, $(el), island.get(el.attribs['id'] ?? ''));
      if (pinnedIds.has(post.id)) post.pinned = true;
      return post;
    });
    const keyEventIds = new Set($('#key-events-carousel a[href*="#block-"]').toArray().map((a) => (a.attribs['href'] ?? '').split('#').pop()!));
    for (const p of posts) if (keyEventIds.has(p.id)) p.keyEvent = true;
    const olderPages = $(OLDER_PAGES).filter((_, a) => $(a).closest(`${BLOCK}, #key-events-carousel`).length === 0 && !(a.attribs['href'] ?? '').includes('#'))
      .toArray().map((a) => new URL(a.attribs['href']!, ctx.url ?? undefined).href);
    return {
      kind: 'liveblog',
      posts,
      keyPoints: $('[data-gu-name="standfirst"] li').toArray().map((li) => cleanText($(li).text())).filter(Boolean),
      structuredData: 'merge',
      pageLinks: [...new Set(olderPages)],
    };
  },
};

import type { Cheerio, CheerioAPI } from 'cheerio';
import { fragmentNodes } from '../document.js';
import type { Element } from 'domhandler';
import { onHost, timeIn, type PageContext } from '../context.js';
import { extractMedia } from '../media-dom.js';
import { imageSource, makeMedia } from '../media.js';
import { looksLikeName } from '../people.js';
import { bodyNodesOf, finishPost } from '../post.js';
import { cleanText, markupToPlainText, textOrNull } from '../text.js';
import type { Media, Post } from '../../types.js';
import type { Adapter } from './types.js';
import { webUrl } from '../url.js';

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

type DcrElement = Record<string, unknown>;

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** The widest of a list of {url, width} renditions. */
function widest(list: unknown): string | null {
  const items = (Array.isArray(list) ? list : []) as Array<{ url?: string; src?: string; width?: number }>;
  const best = items.reduce<{ url?: string; src?: string; width?: number } | null>((a, b) => (!a || (b.width ?? 0) > (a.width ?? 0) ? b : a), null);
  return best?.url ?? best?.src ?? null;
}

/** A media reference from a DCR page element (the page data's model of images, YouTube, tweets). */
function dcrMedia(el: DcrElement, base: string | null): Media | null {
  const type = (str(el['_type']) ?? '').split('.').pop();
  if (type === 'ImageBlockElement') {
    const data = (el['data'] ?? {}) as DcrElement;
    const media = (el['media'] ?? {}) as DcrElement;
    const sources = el['imageSources'];
    const src = widest(media['allImages']) ?? (Array.isArray(sources) ? widest((sources as DcrElement[]).flatMap((s) => (Array.isArray(s['srcSet']) ? s['srcSet'] as unknown[] : [])).map((x) => x)) : null);
    return makeMedia({ kind: 'image', url: src, alt: str(data['alt']), caption: markupToPlainText(str(data['caption'])), credit: el['displayCredit'] === false ? null : str(data['credit']) }, base);
  }
  if (type === 'YoutubeBlockElement') {
    const id = str(el['assetId']);
    return makeMedia({ kind: 'video', url: id ? `https://www.youtube.com/watch?v=${id}` : null, caption: str(el['mediaTitle']), duration: typeof el['duration'] === 'number' ? el['duration'] : null, thumbnail: widest(el['posterImage']) }, base);
  }
  if (type === 'TweetBlockElement' || type === 'InstagramBlockElement' || type === 'EmbedBlockElement') {
    return makeMedia({ kind: 'embed', url: str(el['url']), caption: markupToPlainText(str(el['html'])) }, base);
  }
  return null;
}

function islandElement(fig: Cheerio<Element>): DcrElement | null {
  const raw = fig.find(ISLAND).attr('props');
  if (!raw) return null;
  try {
    const props = JSON.parse(raw) as DcrElement;
    return (props['element'] ?? props) as DcrElement;
  } catch {
    return null;
  }
}

/** A rendered figure: images from the markup, YouTube and tweets from their island's props. */
function figureMedia($: CheerioAPI, fig: Cheerio<Element>, base: string | null): Media[] {
  const type = (fig.attr('data-spacefinder-type') ?? '').split('.').pop() ?? '';
  if (type === 'ImageBlockElement') {
    const img = fig.find('img').first();
    const caption = fig.find('figcaption').first();
    const captionText = textOrNull(caption.find('span').last().text());
    const credit = textOrNull(caption.clone().children().remove().end().text());
    return [makeMedia({ kind: 'image', url: img.get(0) ? imageSource(img.get(0)!.attribs) : null, alt: img.attr('alt'), caption: captionText, credit }, base)];
  }
  const element = islandElement(fig);
  const m = element ? dcrMedia({ _type: type, ...element }, base) : null;
  return m ? [m] : extractMedia($, fig, base);
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
    url: permalink,
    headline: el.find('h2').first().text(),
    bodyNodes: bodyNodesOf($, el, `header, footer, ${FIGURE}, figure, gu-island`),
    publishedAt: timeIn(ctx, time.attr('datetime')),
    // "Updated at 12.36 BST" in the block's footer; the pinned block's island says it too.
    updatedAt: timeIn(ctx, el.children('footer').find('time[datetime]').first().attr('datetime') ?? island?.lastUpdated),
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
  // The markup identifies the layout even when the page URL does not (an archived copy, a
  // page saved without its canonical link).
  matches(ctx) {
    return ctx.$(BLOCK).length > 0 && (onHost(ctx, 'theguardian.com') || ctx.$('gu-island, [data-gu-name]').length > 0);
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
      .toArray().map((a) => webUrl(a.attribs['href'], ctx.url)).filter((u): u is string => u !== null);
    return {
      kind: 'liveblog',
      posts,
      keyPoints: $('[data-gu-name="standfirst"] li').toArray().map((li) => cleanText($(li).text())).filter(Boolean),
      structuredData: 'merge',
      pageLinks: [...new Set(olderPages)],
    };
  },
};

/** One block of the page data: the same post model DCR renders. */
function dataPost(ctx: PageContext, b: DcrElement, pinnedId: string | null): Post {
  const elements = (Array.isArray(b['elements']) ? b['elements'] : []) as DcrElement[];
  const html = elements.map((e) => str(e['html']) && /TextBlockElement|BlockquoteBlockElement/.test(str(e['_type']) ?? '') ? str(e['html']) : '').join('');
  const attrs = (b['attributes'] ?? {}) as DcrElement;
  const id = `block-${str(b['id']) ?? ''}`;
  const people = (Array.isArray(b['contributors']) ? b['contributors'] : []) as DcrElement[];
  return finishPost({
    id,
    url: ctx.url ? `${ctx.url}?page=with:${id}#${id}` : null,
    headline: str(b['title']),
    bodyNodes: fragmentNodes(html),
    publishedAt: timeIn(ctx, b['blockFirstPublished'] as number | undefined),
    updatedAt: timeIn(ctx, b['blockLastUpdated'] as number | undefined),
    displayTime: str(b['blockFirstPublishedDisplay']),
    contributors: people.map((p) => str(p['name'])).filter((n): n is string => !!n).map((name) => ({ name, role: 'author' })),
    media: elements.map((e) => dcrMedia(e, ctx.url)).filter((m): m is Media => m !== null),
    keyEvent: attrs['keyEvent'] === true,
    pinned: attrs['pinned'] === true || str(b['id']) === pinnedId,
  }, ctx.url);
}

/** Coverage times from the page data's own JSON-LD (linkedData). */
function coverage(linked: unknown): { coverageStart?: string | null; coverageEnd?: string | null } {
  const live = (Array.isArray(linked) ? linked : []).find((x) => (x as DcrElement)?.['@type'] === 'LiveBlogPosting') as DcrElement | undefined;
  return live ? { coverageStart: str(live['coverageStartTime']), coverageEnd: str(live['coverageEndTime']) } : {};
}

/**
 * The same live blog as page data: the JSON that DCR renders from (the page URL with
 * ".json?dcr"), which archivists save because it holds every field of every block.
 */
export const guardianLiveData: Adapter = {
  id: 'guardian-live-data',
  version: '2021-01',
  validFrom: '2021-01-01',
  timeZone: 'Europe/London',
  matches(ctx) {
    const d = ctx.data as DcrElement | null;
    return !!d && Array.isArray(d['blocks']) && typeof d['webURL'] === 'string' && d['webURL'].includes('theguardian.com');
  },
  extract(ctx) {
    const d = ctx.data as DcrElement;
    const pinned = (d['pinnedPost'] ?? null) as DcrElement | null;
    const blocks = (d['blocks'] as DcrElement[]).map((b) => dataPost(ctx, b, str(pinned?.['id'])));
    // The pinned post usually lives on an older page; the page data carries it whole.
    if (pinned && !blocks.some((p) => p.id === `block-${str(pinned['id'])}`)) blocks.unshift(dataPost(ctx, pinned, str(pinned['id'])));
    const pagination = (d['pagination'] ?? {}) as DcrElement;
    const pageLinks = [pagination['older'], pagination['oldest']].map(str).filter((x): x is string => !!x).map((h) => webUrl(h, str(d['webURL']))).filter((u): u is string => u !== null);
    return {
      kind: 'liveblog',
      posts: blocks,
      structuredData: 'merge',
      pageLinks: [...new Set(pageLinks)],
      page: {
        url: str(d['webURL']),
        title: str(d['webTitle']) ?? str(d['headline']),
        headline: str(d['headline']),
        publisher: 'the Guardian',
        authors: [str(d['byline'])].filter((x): x is string => !!x),
        language: str(d['lang']) ?? 'en',
        ...coverage(d['linkedData']),
      },
    };
  },
};

import type { Cheerio, CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { onHost, timeIn, type PageContext } from '../context.js';
import { extractMedia } from '../media-dom.js';
import { imageSource, makeMedia } from '../media.js';
import { authorsFromByline } from '../people.js';
import { bodyNodesOf, finishPost } from '../post.js';
import { cleanText, textOrNull } from '../text.js';
import type { Media, Post } from '../../types.js';
import type { Adapter } from './types.js';

// CNN "Live updates" (live-story) layout, as on cnn.com since 2023.
const POST = 'article[data-post-id], article.live-story-post, article.liveStoryPost, [data-component-name="live-story-post"]';
const POSTS_CONTAINER = '.live-story__items-container';
const HEADLINE = '.live-story-post__headline, header h2, h2';
const TIMESTAMP = '.live-story-post__timestamp, time';
const BODY = '.live-story-post__content, .live-story-post__body';
const BYLINE = '.byline__names, .byline__name, [data-component-name="byline"], .live-story-post__byline';
const IMAGE = '[data-component-name="image"], .image';
const VIDEO = '[data-component-name="video-resource"], .video-resource';
const GALLERY = '[data-component-name="gallery-inline"], .gallery-inline';
const NOT_BODY = `${IMAGE}, ${VIDEO}, ${GALLERY}, [class*="social-share"], [class*="ad-slot"], .ad-feedback, [data-component-name="ad"], ${BYLINE}`;
const KEY_POINTS = '.live-story__summary li, .list_live-story__item';
const PINNED = '[class*="pinned"], [data-pinned="true"]';

function attr(el: Cheerio<Element>, name: string): string | null {
  return textOrNull(el.attr(name));
}

function imageMedia($: CheerioAPI, el: Cheerio<Element>, base: string | null): Media {
  const img = el.find('img').first();
  return makeMedia({
    kind: 'image',
    url: attr(el, 'data-url') ?? (img.get(0) ? imageSource(img.get(0)!.attribs) : null),
    name: attr(el, 'data-name'),
    alt: img.attr('alt'),
    caption: el.find('.image__caption, [itemprop="caption"]').first().text(),
    credit: el.find('.image__credit').first().text(),
  }, base);
}

function videoMedia($: CheerioAPI, el: Cheerio<Element>, base: string | null): Media {
  const thumb = el.find(IMAGE).first();
  const source = attr(el, 'data-source') ?? textOrNull(el.find('.video-resource__source').text().replace(/^Source:\s*/i, ''));
  return makeMedia({
    kind: 'video',
    url: attr(el, 'data-video-url'),
    name: attr(thumb, 'data-name'),
    thumbnail: attr(thumb, 'data-url') ?? attr(el, 'data-poster-image-override'),
    caption: attr(el, 'data-headline') ?? el.find('.video-resource__headline').text(),
    description: attr(el, 'data-description'),
    duration: attr(el, 'data-duration') ?? textOrNull(el.find('.video-resource__duration').text()),
    credit: source,
    alt: thumb.find('img').attr('alt'),
  }, base);
}

/** CNN components in document order; images inside a video are its thumbnail, not separate media. */
function postMedia($: CheerioAPI, post: Cheerio<Element>, base: string | null): Media[] {
  const out: Media[] = [];
  post.find(`${VIDEO}, ${IMAGE}`).each((_, node) => {
    const el = $(node);
    if (el.is(VIDEO)) out.push(videoMedia($, el, base));
    else if (el.parents(VIDEO).length === 0) out.push(imageMedia($, el, base));
  });
  if (out.length === 0) return extractMedia($, post, base);
  return out;
}

function extractPost(ctx: PageContext, el: Cheerio<Element>, pinned: boolean): Post {
  const { $ } = ctx;
  const id = attr(el, 'data-post-id') ?? attr(el, 'id');
  const body = el.find(BODY).first();
  const time = el.find(TIMESTAMP).first();
  const updated = attr(el, 'data-last-updated') ?? attr(time, 'datetime');
  const display = textOrNull(time.text());
  return finishPost({
    id,
    url: id ? `#${id}` : null,
    headline: el.find(HEADLINE).first().text(),
    bodyNodes: bodyNodesOf($, body.length ? body : el, NOT_BODY + (body.length ? '' : ', header')),
    // data-last-updated is the post's last edit; first publication comes from JSON-LD if listed.
    updatedAt: updated ? timeIn(ctx, updated) : display ? timeIn(ctx, display) : null,
    displayTime: display,
    contributors: el.find(BYLINE).toArray().flatMap((b) => authorsFromByline($(b).text())),
    media: postMedia($, body.length ? body : el, ctx.url),
    pinned,
  }, ctx.url);
}

export const cnnLiveStory: Adapter = {
  id: 'cnn-live',
  version: '2023-01',
  validFrom: '2023-01-01',
  timeZone: 'America/New_York',
  matches(ctx) {
    const { $ } = ctx;
    return $('body[data-page-type="live-story"]').length > 0
      || $('article.live-story-post, article.liveStoryPost').length > 0
      || (onHost(ctx, 'cnn.com') && $(POST).length > 0);
  },
  extract(ctx) {
    const { $ } = ctx;
    // Nothing outside the posts container (and a pinned area) is a post when there is one.
    const inContainer = $(POSTS_CONTAINER).length > 0;
    // Stream posts in page order first; a pinned copy only flags its post (or, pinned
    // without a stream copy, leads the list).
    const stream: Post[] = [];
    const pinnedOnly: Post[] = [];
    const byId = new Map<string, Post>();
    $(POST).each((_, node) => {
      const el = $(node);
      if (el.parents(POST).length) return;
      if (inContainer && el.closest(`${POSTS_CONTAINER}, ${PINNED}`).length === 0) return;
      const pinned = el.is(PINNED) || el.parents(PINNED).length > 0;
      const post = extractPost(ctx, el, pinned);
      (pinned ? pinnedOnly : stream).push(post);
    });
    for (const p of stream) if (!byId.has(p.id)) byId.set(p.id, p);
    const leading: Post[] = [];
    for (const p of pinnedOnly) {
      const inStream = byId.get(p.id);
      if (inStream) inStream.pinned = true;
      else if (!leading.some((x) => x.id === p.id)) leading.push(p);
    }
    const posts = [...leading, ...byId.values()];
    return {
      kind: 'liveblog',
      posts,
      keyPoints: $(KEY_POINTS).toArray().map((li) => cleanText($(li).text())).filter(Boolean),
      headline: textOrNull($('h1.headline_live-story__text, h1').first().text()),
      structuredData: 'merge',
    };
  },
};

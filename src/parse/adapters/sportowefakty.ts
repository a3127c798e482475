import type { Cheerio } from 'cheerio';
import type { Element } from 'domhandler';
import { onHost, timeIn, type PageContext } from '../context.js';
import { findLd, ldString } from '../jsonld.js';
import { extractMedia } from '../media-dom.js';
import { bodyNodesOf, finishPost } from '../post.js';
import { cleanText, textOrNull } from '../text.js';
import type { Post } from '../../types.js';
import type { Adapter } from './types.js';

// WP SportoweFakty live commentary ("relacja na żywo"), 2020 layout: div.coventry entries with
// clock-only times; heat results as "composite" entries; lazy images in data-lsrc.
const ENTRY = '.coveragelist div.coventry, div.coventry[id]';
const CLOCK = 'aside.coventry__aside time';
const BODY = '.coventry__body';
const TITLE = '.coventry__title';

/** The event's date: clock times are read on it, whenever the page was saved. */
function eventDate(ctx: PageContext): string | null {
  const start = ldString(findLd(ctx.jsonld, ['SportsEvent', 'Event'])?.['startDate']);
  // Its own date, as written; only a real timestamp ("…T24:00" is not one) gives it.
  return start && /^\d{4}-\d{2}-\d{2}/.test(start) && timeIn(ctx, start) !== null ? start.slice(0, 10) : null;
}

function entryPost(ctx: PageContext, el: Cheerio<Element>, day: string | null): Post {
  const { $ } = ctx;
  const clock = textOrNull(el.find(CLOCK).first().text());
  const body = el.find(BODY).first();
  return finishPost({
    id: el.attr('id'),
    url: el.attr('id') && ctx.url ? `${ctx.url}#${el.attr('id')}` : null,
    headline: el.find(TITLE).first().text(),
    bodyNodes: bodyNodesOf($, body, 'script, .emotions'),
    publishedAt: clock ? timeIn(ctx, day ? `${day} ${clock}` : clock) : null,
    // A heat's .coventry__time is its race time ("65.06 sek."), not a time of day.
    displayTime: clock,
    media: extractMedia($, body, ctx.url),
    keyEvent: el.hasClass('coventry--highlight'),
  }, ctx.url);
}

export const sportowefaktyLive: Adapter = {
  id: 'sportowefakty-live',
  version: '2020-01',
  validFrom: '2020-01-01',
  timeZone: 'Europe/Warsaw',
  matches(ctx) {
    return ctx.$('.coveragelist div.coventry').length > 0 || (onHost(ctx, 'sportowefakty.wp.pl') && ctx.$(ENTRY).length > 0);
  },
  extract(ctx) {
    const { $ } = ctx;
    const day = eventDate(ctx);
    const posts = $(ENTRY).toArray().map((el) => entryPost(ctx, $(el), day));
    return { kind: 'liveblog', posts, structuredData: 'ignore' };
  },
};

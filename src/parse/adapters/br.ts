import { onHost } from '../context.js';
import { tickerHeadingCount, tickerPosts } from '../ticker.js';
import type { Adapter } from './types.js';

// BR24 "News-Ticker" pages: entries are "HH.MM Uhr: headline" headings in the article's rich
// text, newest first, each day's heading after its entries; no post elements, no ids.
export const brTicker: Adapter = {
  id: 'br-ticker',
  version: '2023-01',
  validFrom: '2023-01-01',
  timeZone: 'Europe/Berlin',
  matches(ctx) {
    const isBr = onHost(ctx, 'br.de', 'br24.de') || /^BR24\b|Bayerischer Rundfunk/i.test(ctx.meta.get('og:site_name') ?? '');
    return isBr && tickerHeadingCount(ctx) >= 2;
  },
  extract(ctx) {
    return { kind: 'liveblog', posts: tickerPosts(ctx, 2), structuredData: 'ignore' };
  },
};

import { timeIn, type PageContext } from './context.js';
import { findLd, ldImageUrl, ldNames, ldString } from './jsonld.js';
import { extractMedia } from './media-dom.js';
import { makeMedia } from './media.js';
import { authorsFromByline } from './people.js';
import { bodyNodesOf, finishPost } from './post.js';
import { cleanText, textOrNull } from './text.js';
import type { Contributor, Post } from '../types.js';

const ARTICLE_TYPES = ['NewsArticle', 'ReportageNewsArticle', 'AnalysisNewsArticle', 'OpinionNewsArticle', 'BackgroundNewsArticle', 'Article', 'BlogPosting', 'Report'];
const BODY_CANDIDATES = '[itemprop="articleBody"], [data-gu-name="body"], [class*="article-body"], [class*="article__body"], [class*="ArticleBody"], [class*="story-body"], [class*="RichText"], [data-component="text-block"], article, main';
const NOT_BODY = 'figure, aside, nav, header, footer, form, button, [class*="share"], [class*="social"], [class*="related"], [class*="newsletter"], [class*="promo"], [class*="advert"], [class*="ad-slot"], [class*="byline"], [class*="recommend"], [data-component="links-block"], [data-testid*="promo"]';

/**
 * An ordinary article as one post: headline, body, authors, published and updated time,
 * lead image and in-body media. Null when the page shows no sign of being an article.
 */
export function articleFromPage(ctx: PageContext): Post | null {
  const { $ } = ctx;
  const ld = findLd(ctx.jsonld, ARTICLE_TYPES);
  const isArticle = ld !== undefined || ctx.meta.get('og:type') === 'article' || $('article').length > 0;
  if (!isArticle) return null;

  // The container holding the most paragraph text is the article body.
  let best = $('body');
  let bestLength = 0;
  $(BODY_CANDIDATES).each((_, el) => {
    const paragraphs = $(el).find('p').filter((__, p) => $(p).closest(NOT_BODY).length === 0);
    const length = paragraphs.toArray().reduce((n, p) => n + cleanText($(p).text()).length, 0);
    if (length > bestLength) {
      best = $(el);
      bestLength = length;
    }
  });
  const ldBody = ldString(ld?.['articleBody']);
  if (bestLength === 0 && !ldBody) return null;

  const authors: Contributor[] = ldNames(ld?.['author']).map((name) => ({ name, role: 'author' }));
  if (authors.length === 0) authors.push(...$('[rel="author"], [class*="byline"] [class*="name"], [itemprop="author"]').toArray().flatMap((b) => authorsFromByline($(b).text())));
  const leadUrl = ldImageUrl(ld?.['image']) ?? ctx.meta.get('og:image') ?? null;
  const lead = leadUrl ? [makeMedia({ kind: 'image', url: leadUrl, caption: ctx.meta.get('og:image:alt') }, ctx.url)] : [];
  const inBody = bestLength > 0 ? extractMedia($, best, ctx.url) : [];
  const published = ldString(ld?.['datePublished']) ?? ctx.meta.get('article:published_time') ?? $('time[datetime]').first().attr('datetime');
  const modified = ldString(ld?.['dateModified']) ?? ctx.meta.get('article:modified_time');

  return finishPost({
    id: 'article',
    url: ctx.url,
    headline: textOrNull($('h1').first().text()) ?? ldString(ld?.['headline']),
    ...(bestLength > 0 ? { bodyNodes: bodyNodesOf($, best, `${NOT_BODY}, h1`) } : { bodyText: ldBody }),
    publishedAt: published ? timeIn(ctx, published) : null,
    updatedAt: modified ? timeIn(ctx, modified) : null,
    contributors: authors,
    media: [...lead, ...inBody],
  }, ctx.url);
}

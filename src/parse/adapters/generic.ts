import type { PageContext } from '../context.js';
import type { Post } from '../../types.js';
import type { Adapter } from './types.js';
import { articleFromPage } from '../article.js';
import { findLd } from '../jsonld.js';
import { tickerPosts } from '../ticker.js';
import { percentDecoded, webUrl } from '../url.js';
import { blockPost, idOf, innerId, KEY_EVENT_LINKS, markedPinned } from '../generic/block.js';
import { dayBefore, headedSection, kindOf, pickBlocks } from '../generic/candidates.js';
import { locateUpdates } from '../generic/locate.js';
import { structuredUpdates, type StructuredUpdate } from '../structured.js';
import { normalText } from '../reconcile.js';

/**
 * The fallback for pages no publisher adapter claims. A live blog is a list of sibling
 * blocks that each carry a time: the reader finds every time signal (a datetime or
 * time-named data attribute, or a short clock/relative-time text), groups the blocks that
 * hold them by their common parent, and takes the group with the most substantive blocks
 * (src/parse/generic/: candidates, signals, block).
 */

/**
 * Posts from the blocks the structured data leads to, or else the timed blocks, each once: a
 * pinned copy merges into its stream copy. A pinned element outside the blocks flags the stream
 * post with its id, or leads the page when the stream does not show it. Returns, beside the
 * posts, the update each located one is.
 */
function genericLivePosts(ctx: PageContext, minBlocks: number, updates: StructuredUpdate[]): { posts: Post[]; located: Map<Post, StructuredUpdate> } {
  const { $ } = ctx;
  const timed = pickBlocks($, minBlocks, ctx.url);
  const found = locateUpdates($, updates, ctx.url);
  // The structured data knows where the posts are, unless the page's timed posts far outnumber what it found.
  const guided = found !== null && found.blocks.length * 2 >= timed.blocks.length;
  const blocks = guided ? found.blocks : timed.blocks;
  const kinds = guided ? new Set(found.blocks.map(kindOf)) : timed.kinds;
  const located = new Map<Post, StructuredUpdate>();
  if (blocks.length === 0) return { posts: [], located };
  let day: string | null = null;
  const built = blocks.map((b) => {
    day = dayBefore($, b, blocks) ?? day;
    const post = blockPost(ctx, /^(?:h[2-4]|p)$/.test(b.name) ? headedSection($, b, blocks) : $(b), day);
    const update = guided ? found.updateOf.get(b) : undefined;
    if (update) located.set(post, update);
    const pinClass = markedPinned(b);
    if (pinClass) post.pinned = true;
    return { post, pinClass, ownId: (idOf(b) ?? innerId($, $(b))) !== null, content: `${post.headline}\u0000${post.publishedAt}\u0000${post.bodyText.slice(0, 200)}` };
  });
  // A pinned copy in the stream is one post with its stream copy, kept at the stream's place:
  // matched by id, or by content when the copy has no id of its own.
  const byContent = new Map<string, typeof built[number]>();
  for (const y of built) if (y.ownId && !byContent.has(y.content)) byContent.set(y.content, y);
  const seen = new Map<string, Post>();
  for (const x of built) {
    const twin = x.pinClass
      ? built.find((y) => y !== x && !y.pinClass && (y.post.id === x.post.id || y.content === x.content))
      : x.ownId ? undefined : byContent.get(x.content);
    if (twin && twin !== x) {
      twin.post.pinned ||= x.post.pinned;
      continue;
    }
    if (!seen.has(x.post.id)) seen.set(x.post.id, x.post);
  }
  const pinnedOnly: Post[] = [];
  for (const a of $(KEY_EVENT_LINKS).toArray()) {
    const post = seen.get(percentDecoded(a.attribs['href']!.slice(1)));
    if (post) post.keyEvent = true;
  }
  const inBlocks = new Set(blocks);
  const posts = [...seen.values()];
  for (const pin of $('[data-pinned="true"], [class]').toArray().filter(markedPinned)) {
    const id = idOf(pin) ?? innerId($, $(pin));
    // A pinned copy without an id of its own is its stream post's by content.
    const post = id ? seen.get(id) : samePost(blockPost(ctx, $(pin)), posts);
    if (post) post.pinned = true;
    // A pinned post shown only in its own area, built like the stream's posts, leads the page.
    else if (id && kinds.has(kindOf(pin)) && !inBlocks.has(pin) && !pinnedOnly.some((p) => p.id === id)) {
      pinnedOnly.push({ ...blockPost(ctx, $(pin)), pinned: true });
    }
  }
  return { posts: [...pinnedOnly, ...seen.values()], located };
}

/** The post that a copy without an id repeats: the same headline and opening words. */
function samePost(copy: Post, posts: Post[]): Post | undefined {
  const opening = (p: Post): string => normalText(p.bodyText).slice(0, 60);
  return posts.find((p) => normalText(p.headline ?? '') === normalText(copy.headline ?? '') && opening(p) === opening(copy) && opening(p) !== '');
}

/** rel="next" links: the usual way a paginated live blog points to its older posts. */
function nextPages(ctx: PageContext): string[] {
  const hrefs = ctx.$('link[rel~="next"][href], a[rel~="next"][href]').toArray().map((el) => el.attribs['href']!);
  const urls = hrefs.map((h) => webUrl(h, ctx.url)).filter((u): u is string => u !== null && u !== ctx.url);
  return [...new Set(urls)];
}

export const generic: Adapter = {
  id: 'generic',
  version: '1',
  validFrom: '1990-01-01',
  matches: () => true,
  extract(ctx) {
    const liveLd = findLd(ctx.jsonld, ['LiveBlogPosting']);
    const hasLiveMarkup = ctx.$('[itemtype*="LiveBlogPosting"]').length > 0;
    const updates = structuredUpdates(ctx);
    const { posts: blocks, located } = genericLivePosts(ctx, liveLd || hasLiveMarkup ? 2 : 3, updates);
    // No post elements: perhaps a ticker of "12.31 Uhr: headline" headings.
    const posts = blocks.length > 0 ? blocks : tickerPosts(ctx, 3);
    if (posts.length > 0 || liveLd || updates.length > 0) return { kind: 'liveblog', posts, structuredData: 'merge', located, pageLinks: nextPages(ctx) };
    const article = articleFromPage(ctx);
    if (article) return { kind: 'article', posts: [article], structuredData: 'ignore' };
    return { kind: 'unknown', posts: [], structuredData: 'ignore' };
  },
};

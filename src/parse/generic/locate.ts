import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { THIRD_PARTY } from '../dom.js';
import { normalText } from '../reconcile.js';
import type { StructuredUpdate } from '../structured.js';
import { classOf, kindOf, NOT_POST, sameKindPost } from './candidates.js';
import { elementText } from '../text.js';

/**
 * Structured data guiding the search for posts. Some pages show no time in their posts: the
 * times, headlines and permalinks are only in the structured data. Each update is looked for in
 * the markup: its own element (microdata, RDFa), the element its id or url fragment names, its
 * headline, or the opening words of its text. The parent under which the most updates sit in
 * separate children holds the posts: those children, and their siblings of the same kind.
 */

export interface Located {
  blocks: Element[];
  /** The update each located block is. */
  updateOf: Map<Element, StructuredUpdate>;
}

/** How far up from a found element its post may be. */
const MAX_CLIMB = 12;
/** Opening words compared: enough to be one post's, short enough to survive small edits. */
const OPENING = 40;

const TEXT_BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6, blockquote, dd, td, strong, b, span, div, a';

/** Elements by id, by their whole text and by its opening words, built once per page and only when needed. */
interface TextIndex {
  ids: Map<string, Element[]>;
  whole: Map<string, Element[]>;
  opening: Map<string, Element[]>;
}

function textIndex($: CheerioAPI): TextIndex {
  const ids = new Map<string, Element[]>();
  const whole = new Map<string, Element[]>();
  const opening = new Map<string, Element[]>();
  const add = (m: Map<string, Element[]>, k: string, el: Element): void => {
    const list = m.get(k);
    if (list) list.push(el);
    else m.set(k, [el]);
  };
  for (const el of $('[id], a[name]').toArray()) add(ids, el.attribs['id'] ?? el.attribs['name']!, el);
  for (const el of $('body').find(TEXT_BLOCKS).toArray()) {
    // Elements holding blocks of their own are reached through those: this keeps the work linear.
    if ((el.name === 'div' || el.name === 'span' || el.name === 'a') && el.children.some((c) => c.type === 'tag' && /^(?:div|p|ul|ol|section|article|h[1-6])$/.test((c as Element).name))) continue;
    const t = normalText(elementText(el));
    if (t === '') continue;
    if (t.length <= 300) add(whole, t, el);
    if (t.length >= OPENING) add(opening, t.slice(0, OPENING), el);
  }
  return { ids, whole, opening };
}

/**
 * The elements on the page an update may be: its own; else where its headline or opening words
 * stand (content is the surest witness: pages number ids differently in markup and JSON-LD);
 * else the element its id names.
 */
function candidates($: CheerioAPI, u: StructuredUpdate, index: () => TextIndex): Element[] {
  if (u.element) return [u.element];
  const visible = (els: Element[]): Element[] => els.filter((e) => $(e).closest(`script, ${THIRD_PARTY}`).length === 0);
  const byContent: Element[] = [];
  if (u.headline) byContent.push(...(index().whole.get(normalText(u.headline)) ?? []));
  const opening = u.bodyText ? normalText(u.bodyText) : '';
  if (opening.length >= OPENING) byContent.push(...(index().opening.get(opening.slice(0, OPENING)) ?? []));
  const content = visible(byContent);
  if (content.length > 0 || !u.id) return content;
  return visible(index().ids.get(u.id) ?? []);
}

/** The child of `parent` that holds `el` (el itself when it is one). */
function childUnder(el: Element, parent: Element): Element | null {
  let n: Element = el;
  while (n.parent && n.parent !== parent) {
    if (n.parent.type !== 'tag') return null;
    n = n.parent as Element;
  }
  return n.parent === parent ? n : null;
}

/**
 * The updates' places on the page and the posts they make, or null when fewer than two are found
 * apart (then the structured data cannot say where the posts are).
 */
export function locateUpdates($: CheerioAPI, updates: StructuredUpdate[], pageUrl: string | null): Located | null {
  if (updates.length < 2) return null;
  let cached: TextIndex | null = null;
  const index = (): TextIndex => (cached ??= textIndex($));
  const found = updates.map((u) => ({ u, at: candidates($, u, index) }));
  // Each parent: the updates found in each of its children.
  const tally = new Map<Element, Map<Element, Set<StructuredUpdate>>>();
  for (const { u, at } of found) {
    for (const el of at) {
      let child: Element = el;
      for (let k = 0; k < MAX_CLIMB && child.parent?.type === 'tag'; k++) {
        const parent = child.parent as Element;
        const children = tally.get(parent) ?? new Map<Element, Set<StructuredUpdate>>();
        tally.set(parent, children);
        const set = children.get(child) ?? new Set<StructuredUpdate>();
        set.add(u);
        children.set(child, set);
        child = parent;
      }
    }
  }
  let best: { parent: Element; score: number } | null = null;
  for (const [parent, children] of tally) {
    if (NOT_POST.test(classOf(parent)) || $(parent).closest('nav, footer, header, aside').length) continue;
    // Children that each hold one update: a child holding several is a wrapper, not a post.
    const single = [...children.values()].filter((s) => s.size === 1);
    const score = new Set(single.map((s) => [...s][0])).size;
    if (score >= 2 && (!best || score > best.score)) best = { parent, score };
  }
  if (!best) return null;
  const { parent } = best;
  const updateOf = new Map<Element, StructuredUpdate>();
  const places = found.map(({ u, at }) => ({ u, children: [...new Set(at.map((el) => childUnder(el, parent)).filter((c): c is Element => c !== null))] }));
  // An update found twice (a pinned copy beside the stream) is the one of the posts' usual kind.
  const kindCount = new Map<string, number>();
  for (const { children } of places) if (children.length === 1) kindCount.set(kindOf(children[0]!), (kindCount.get(kindOf(children[0]!)) ?? 0) + 1);
  const usual = [...kindCount].sort((a, b) => b[1] - a[1])[0]?.[0];
  for (const { u, children } of [...places].sort((a, b) => a.children.length - b.children.length)) {
    const free = children.filter((c) => !updateOf.has(c));
    const child = free.find((c) => kindOf(c) === usual) ?? free[0];
    if (child) updateOf.set(child, u);
  }
  // Posts the structured data leaves out (it often lists only the latest) look like the others.
  const kinds = new Set([...updateOf.keys()].map(kindOf));
  const blocks = parent.children.filter((c): c is Element => c.type === 'tag' && (updateOf.has(c as Element) || sameKindPost($, c as Element, kinds)));
  return { blocks, updateOf };
}

// cheerio's main entry loads undici (for fetching pages) and parse5 on import: the slim entry, and
// parse5 with its tree adapter, are what parsing needs, at half the start-up time.
import type { Cheerio, CheerioAPI } from 'cheerio';
import { load } from 'cheerio/slim';
import { parse as parse5 } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';
import { compile, selectAll } from 'css-select';
import { isTag, type AnyNode, type Element, type ParentNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { uniqueSort } from 'domutils';
import { boundDepth, flattenDeepNodes, MAX_DEPTH } from './depth.js';
import { attached, indexElements, indexedMatches, type ElementIndex } from './element-index.js';

export type HtmlBackend = 'htmlparser2' | 'parse5';

type Query = ReturnType<typeof compile<AnyNode, Element>>;

/** Compiled selectors: the parser asks the same few hundred selectors of every block of every page. */
const compiled = new Map<string, Query>();

function query(selector: string): Query {
  let q = compiled.get(selector);
  if (!q) {
    // Selectors built from page values (ids) would grow the cache without end.
    if (compiled.size > 2_000) compiled.clear();
    q = compile<AnyNode, Element>(selector, { xmlMode: false });
    compiled.set(selector, q);
  }
  return q;
}

/**
 * cheerio's find() hands the children of its elements to css-select as one array, which
 * domutils' removeSubsets checks pairwise: on an element with 25,000 children (a page of
 * 25,000 unclosed <p>) one find() took 20 s. Searching from each element itself gives the
 * same descendants in linear time, and the compiled selector is kept. Questions asked of the
 * whole page go to its element index when the selector allows.
 */
function installFind($: CheerioAPI, index: ElementIndex): void {
  installClosest($);
  installRemove($);
  watchInsertions($, index);
  const original = $.fn.find;
  $.fn.find = function find(this: Cheerio<AnyNode>, selector: unknown) {
    // Selectors that start with a combinator need cheerio's context handling.
    if (typeof selector !== 'string' || /^\s*[>+~]/.test(selector)) return original.call(this, selector as string);
    const q = query(selector);
    if (this.length === 1 && this[0] === index.root) {
      const indexed = indexedMatches(index, selector, query);
      if (indexed) return this._make(indexed);
    }
    let found: Element[] = [];
    // concat, not push(...): a page can have more matches than a call takes arguments.
    for (const el of this) if ('children' in el) found = found.concat(selectAll<AnyNode, Element>(q, el));
    return this._make(this.length > 1 ? uniqueSort(found) : found);
  } as typeof original;
}

/** cheerio's methods that put nodes into the document around or inside their own elements … */
const INSERT_AT_SELF = ['append', 'prepend', 'after', 'before', 'replaceWith', 'wrap', 'wrapInner', 'wrapAll', 'html'] as const;
/** … and around or inside the elements they are given. */
const INSERT_AT_TARGET = ['appendTo', 'prependTo', 'insertAfter', 'insertBefore'] as const;

/**
 * Readers may rewrite the page (a ticker's "+++ 14:05 +++" runs become headings): nodes put into
 * it through cheerio make the element index walk the page again at the next question. Nodes
 * taken out need nothing: the index checks that what it answers is still in the page.
 */
function watchInsertions($: CheerioAPI, index: ElementIndex): void {
  const fn = $.fn as unknown as Record<string, (this: Cheerio<AnyNode>, ...args: unknown[]) => unknown>;
  for (const name of [...INSERT_AT_SELF, ...INSERT_AT_TARGET]) {
    const original = fn[name]!;
    fn[name] = function (this: Cheerio<AnyNode>, ...args: unknown[]) {
      const inPage = (INSERT_AT_SELF as readonly string[]).includes(name) ? this.toArray().some((n) => attached(n, index.root)) : true;
      // html() with no argument only reads.
      if (args.length > 0 && inPage) index.stale = true;
      return original.apply(this, args);
    };
  }
}

/**
 * cheerio's remove() splices each node out of its parent's children, a search and a copy per
 * node: cutting the 40,000 spans of one item out of a body took 3 s. Each parent's children are
 * rebuilt once instead, with the same links as cheerio leaves.
 */
function installRemove($: CheerioAPI): void {
  const original = $.fn.remove;
  $.fn.remove = function remove(this: Cheerio<AnyNode>, selector?: string) {
    if (selector !== undefined || this.length < 2) return original.call(this, selector);
    const gone = new Set<AnyNode>(this.toArray());
    const parents = new Set<ParentNode>();
    for (const n of gone) if (n.parent) parents.add(n.parent);
    for (const parent of parents) {
      parent.children = parent.children.filter((c) => !gone.has(c));
      parent.children.forEach((c, k, all) => {
        c.prev = all[k - 1] ?? null;
        c.next = all[k + 1] ?? null;
      });
    }
    for (const n of gone) n.parent = n.prev = n.next = null;
    return this;
  } as typeof original;
}

/**
 * cheerio's closest() compiles its selector again at every ancestor it tests; readers ask it of
 * each image and link of a page (is it in a figure, a tweet, a carousel?). The compiled selector is
 * tested instead, with cheerio's own answer for what css-select cannot compile (its positional
 * pseudos such as :first).
 */
function installClosest($: CheerioAPI): void {
  const original = $.fn.closest;
  $.fn.closest = function closest(this: Cheerio<AnyNode>, selector: unknown) {
    if (typeof selector !== 'string' || selector === '') return original.call(this, selector as string);
    let q: Query;
    try {
      q = query(selector);
    } catch {
      return original.call(this, selector);
    }
    const found: Element[] = [];
    for (const start of this) {
      let n: AnyNode | null = start.type === 'root' || isTag(start) ? start : start.parent;
      for (; n && isTag(n); n = n.parent) {
        if (!q(n)) continue;
        if (!found.includes(n)) found.push(n);
        break;
      }
    }
    return this._make(found);
  } as typeof original;
}

export interface Document {
  $: CheerioAPI;
  /** Set when the page nested deeper than MAX_DEPTH and was read flat below that level. */
  depthWarning: string | null;
}

/**
 * The page's DOM, bounded in depth (see depth.ts) and with a find() that stays linear. htmlparser2
 * for pages that declare HTML5; parse5 for legacy pages, whose unclosed tags only HTML's own
 * error recovery nests right.
 */
export function loadDocument(html: string, backend: HtmlBackend): Document {
  const bounded = boundDepth(html);
  const $ = backend === 'parse5'
    ? load(parse5(bounded.html, { treeAdapter: adapter }))
    : load(bounded.html, { xml: FRAGMENT_OPTIONS });
  const flattened = flattenDeepNodes($.root()[0]!) || bounded.html !== html;
  installFind($, indexElements($.root()[0]!));
  return { $, depthWarning: flattened ? `page nests elements ${bounded.depth} levels deep; what lies deeper than ${MAX_DEPTH} levels was read as flat text` : null };
}

const FRAGMENT_OPTIONS = { xmlMode: false, decodeEntities: true, lowerCaseAttributeNames: true };

/**
 * A fragment of HTML (a structured-data body, a page-data block) as nodes, bounded in depth like
 * a page. No cheerio: a live blog can hold hundreds of these, and a cheerio load per body was a
 * fifth of such a page's parse.
 */
export function fragmentNodes(html: string): AnyNode[] {
  const root = parseDocument(boundDepth(html).html, FRAGMENT_OPTIONS);
  flattenDeepNodes(root);
  return root.children;
}

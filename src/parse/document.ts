// cheerio's main entry loads undici (for fetching pages) and parse5 on import: the slim entry, and
// parse5 with its tree adapter, are what parsing needs, at half the start-up time.
import type { Cheerio, CheerioAPI } from 'cheerio';
import { load } from 'cheerio/slim';
import { parse as parse5 } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';
import { compile, selectAll } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import { uniqueSort } from 'domutils';
import { boundDepth, flattenDeepNodes, MAX_DEPTH } from './depth.js';

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
 * same descendants in linear time, and the compiled selector is kept.
 */
function installFind($: CheerioAPI): void {
  const original = $.fn.find;
  $.fn.find = function find(this: Cheerio<AnyNode>, selector: unknown) {
    // Selectors that start with a combinator need cheerio's context handling.
    if (typeof selector !== 'string' || /^\s*[>+~]/.test(selector)) return original.call(this, selector as string);
    const q = query(selector);
    const found: Element[] = [];
    for (const el of this) if ('children' in el) found.push(...selectAll<AnyNode, Element>(q, el));
    return this._make(this.length > 1 ? uniqueSort(found) : found);
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
    : load(bounded.html, { xml: { xmlMode: false, decodeEntities: true, lowerCaseAttributeNames: true } });
  installFind($);
  const flattened = flattenDeepNodes($.root()[0]!) || bounded.html !== html;
  return { $, depthWarning: flattened ? `page nests elements ${bounded.depth} levels deep; what lies deeper than ${MAX_DEPTH} levels was read as flat text` : null };
}

/** A fragment of HTML (a structured-data body, a page-data block) as nodes, built the same way. */
export function loadFragment(html: string): CheerioAPI {
  return loadDocument(html, 'htmlparser2').$;
}

import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { cleanText, elementText } from './text.js';
import type { LdNode } from './jsonld.js';

/**
 * schema.org items written into the markup: microdata (itemscope, itemtype, itemprop) and RDFa
 * (typeof, property), read into the same shape as JSON-LD nodes, so the rest of the parser
 * treats all three alike. Each item remembers the element it was read from: for a live blog's
 * updates, that element is the post on the page.
 */
export interface MarkupItem {
  source: 'microdata' | 'rdfa';
  node: LdNode;
  element: Element;
}

interface Syntax {
  name: 'microdata' | 'rdfa';
  scope: (el: Element) => boolean;
  types: (el: Element) => string[];
  props: (el: Element) => string[];
}

/** "https://schema.org/BlogPosting", "schema:BlogPosting", "BlogPosting" → "BlogPosting". */
function localName(term: string): string {
  return term.replace(/^.*[/#:]/, '');
}

const words = (v: string | undefined): string[] => (v ?? '').trim().split(/\s+/).filter(Boolean);

const MICRODATA: Syntax = {
  name: 'microdata',
  scope: (el) => el.attribs['itemscope'] !== undefined,
  types: (el) => words(el.attribs['itemtype']).map(localName),
  props: (el) => words(el.attribs['itemprop']).map(localName),
};

const RDFA: Syntax = {
  name: 'rdfa',
  scope: (el) => el.attribs['typeof'] !== undefined,
  types: (el) => words(el.attribs['typeof']).map(localName),
  props: (el) => words(el.attribs['property'] ?? el.attribs['rel']).map(localName),
};

/** A property's value as the element states it: a machine-readable attribute first, else its text. */
function value(el: Element): string {
  const a = el.attribs;
  const v = a['content'] ?? (el.name === 'time' ? a['datetime'] : undefined) ?? a['datetime']
    ?? (['a', 'link', 'area'].includes(el.name) ? a['href'] : undefined)
    ?? (['img', 'audio', 'video', 'source', 'embed', 'iframe'].includes(el.name) ? a['src'] : undefined)
    ?? (el.name === 'object' ? a['data'] : undefined)
    ?? (['data', 'meter'].includes(el.name) ? a['value'] : undefined);
  return v !== undefined ? v.trim() : cleanText(elementText(el));
}

/**
 * The item whose scope is `root`: each property of an element inside it (and not inside a nested
 * item) becomes a key; a nested item becomes a node of its own. Properties that repeat make
 * lists, as in JSON-LD. Iterative, so deep markup is safe.
 */
function readItem(root: Element, syntax: Syntax, seen: Map<Element, LdNode>): LdNode {
  const known = seen.get(root);
  if (known) return known;
  const node: LdNode = {};
  seen.set(root, node);
  const types = syntax.types(root);
  if (types.length) node['@type'] = types.length === 1 ? types[0] : types;
  const id = root.attribs['itemid'] ?? root.attribs['resource'] ?? root.attribs['about'];
  if (id) node['@id'] = id;
  // Lists made here grow in place: a copy per value was quadratic (80,000 repeats took a minute).
  const lists = new Set<string>();
  const add = (key: string, v: unknown): void => {
    const had = node[key];
    if (had === undefined) {
      node[key] = v;
    } else if (lists.has(key)) {
      (had as unknown[]).push(v);
    } else {
      node[key] = [had, v];
      lists.add(key);
    }
  };
  const stack: Element[] = root.children.filter((c): c is Element => c.type === 'tag').reverse();
  while (stack.length > 0) {
    const el = stack.pop()!;
    const props = syntax.props(el);
    const nested = syntax.scope(el);
    for (const p of props) add(p, nested ? readItem(el, syntax, seen) : value(el));
    if (nested) continue;
    for (let i = el.children.length - 1; i >= 0; i--) {
      const c = el.children[i]!;
      if (c.type === 'tag') stack.push(c as Element);
    }
  }
  return node;
}

/** Every top-level item in the page's microdata, then its RDFa, with the element each was read from. */
export function readMarkupItems($: CheerioAPI): MarkupItem[] {
  const out: MarkupItem[] = [];
  for (const syntax of [MICRODATA, RDFA]) {
    const seen = new Map<Element, LdNode>();
    const selector = syntax.name === 'microdata' ? '[itemscope]' : '[typeof]';
    for (const el of $(selector).toArray()) out.push({ source: syntax.name, node: readItem(el, syntax, seen), element: el });
  }
  return out;
}

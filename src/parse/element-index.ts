import { parse as parseSelector, SelectorType, type Selector } from 'css-what';
import { isTag, type AnyNode, type Document, type Element } from 'domhandler';

/**
 * The page's elements by tag, class and id, collected in one walk when the page is loaded.
 * Readers ask dozens of questions of the whole page ("meta", "link[rel=canonical]",
 * "article[id^=block-]", one per adapter to recognise its pages): each used to walk every node.
 * With the index, a selector whose every alternative names a tag, class or id in its last
 * compound is tested only on the elements that carry it.
 */
export interface ElementIndex {
  root: Document;
  /** Set when nodes were inserted into the page since the walk: the next question walks again. */
  stale: boolean;
  byTag: Map<string, Element[]>;
  byClass: Map<string, Element[]>;
  byId: Map<string, Element[]>;
  /** Document order, to merge the lists of a selector with alternatives. */
  order: Map<Element, number>;
}

type Key = { map: 'byTag' | 'byClass' | 'byId'; value: string };

function add(map: Map<string, Element[]>, key: string, el: Element): void {
  const list = map.get(key);
  if (list) list.push(el);
  else map.set(key, [el]);
}

/** Walk the document once (iteratively: depth is bounded, but not small). */
export function indexElements(root: Document): ElementIndex {
  const index: ElementIndex = { root, stale: false, byTag: new Map(), byClass: new Map(), byId: new Map(), order: new Map() };
  fill(index);
  return index;
}

function fill(index: ElementIndex): void {
  const { root } = index;
  const stack: AnyNode[] = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isTag(node)) continue;
    index.order.set(node, index.order.size);
    add(index.byTag, node.name, node);
    const cls = node.attribs['class'];
    if (cls) for (const c of new Set(cls.split(/[ \t\n\f\r]+/))) if (c) add(index.byClass, c, node);
    const id = node.attribs['id'];
    if (id) add(index.byId, id, node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

const COMBINATORS = new Set<string>([
  SelectorType.Descendant, SelectorType.Child, SelectorType.Sibling, SelectorType.Adjacent,
  SelectorType.Parent, SelectorType.ColumnCombinator,
]);

/** The most selective key of the last compound of one alternative: id, then class, then tag. */
function keyOf(tokens: Selector[]): Key | null {
  let start = 0;
  tokens.forEach((t, i) => { if (COMBINATORS.has(t.type)) start = i + 1; });
  let tag: Key | null = null;
  let cls: Key | null = null;
  for (const t of tokens.slice(start)) {
    // Tag names match in any case in HTML; ids and classes exactly ("quirks" is exact outside quirks mode).
    if (t.type === SelectorType.Tag && t.namespace === null) tag = { map: 'byTag', value: t.name.toLowerCase() };
    else if (t.type !== SelectorType.Attribute || t.ignoreCase === true || t.namespace !== null) continue;
    else if (t.name === 'id' && t.action === 'equals') return { map: 'byId', value: t.value };
    else if (t.name === 'class' && t.action === 'element') cls ??= { map: 'byClass', value: t.value };
  }
  return cls ?? tag;
}

/** Per selector: the keys of its alternatives, or null when one of them could match any element. */
const keysCache = new Map<string, Key[] | null>();

function keysOf(selector: string): Key[] | null {
  if (keysCache.has(selector)) return keysCache.get(selector)!;
  let keys: Key[] | null;
  try {
    const alternatives = parseSelector(selector);
    const found = alternatives.map(keyOf);
    keys = found.every((k): k is Key => k !== null) ? found : null;
  } catch {
    keys = null;
  }
  if (keysCache.size > 2_000) keysCache.clear();
  keysCache.set(selector, keys);
  return keys;
}

/** Still in the page: a reader may have removed it since the index was made. */
export function attached(el: AnyNode, root: Document): boolean {
  let n: AnyNode = el;
  while (n.parent) n = n.parent;
  return n === root;
}

/**
 * The elements of the whole page that `test` accepts, in document order, when the selector lets
 * the index narrow the search; null when it does not (the caller walks the page).
 */
export function indexedMatches(index: ElementIndex, selector: string, test: (el: Element) => boolean): Element[] | null {
  const keys = keysOf(selector);
  if (!keys) return null;
  if (index.stale) {
    for (const map of [index.byTag, index.byClass, index.byId, index.order]) map.clear();
    fill(index);
    index.stale = false;
  }
  const lists = keys.map((k) => index[k.map].get(k.value) ?? []);
  let candidates: Element[];
  if (lists.length === 1) {
    candidates = lists[0]!;
  } else {
    candidates = [...new Set(lists.flat())];
    candidates.sort((a, b) => index.order.get(a)! - index.order.get(b)!);
  }
  return candidates.filter((el) => test(el) && attached(el, index.root));
}

import { parse as parseSelector, SelectorType, stringify, type Selector } from 'css-what';
import { isTag, type AnyNode, type Document, type Element } from 'domhandler';

/**
 * The page's elements by tag, class, id and attribute name, collected in one walk when the page
 * is loaded. Readers ask dozens of questions of the whole page ("meta", "link[rel=canonical]",
 * "article[id^=block-]", one per adapter to recognise its pages, a list of furniture to leave
 * out): each used to walk every node and test every alternative on each. With the index, each
 * alternative of a selector whose every alternative names a tag, class, id or attribute in its
 * last compound is tested only on the elements that carry the rarest of them.
 */
export interface ElementIndex {
  root: Document;
  /** Set when nodes were inserted into the page since the walk: the next question walks again. */
  stale: boolean;
  byTag: Map<string, Element[]>;
  byClass: Map<string, Element[]>;
  byId: Map<string, Element[]>;
  /** By attribute name (lower case, as both parsers give them). */
  byAttr: Map<string, Element[]>;
  /** Document order, to merge the lists of a selector with alternatives. */
  order: Map<Element, number>;
}

type Key = { map: 'byTag' | 'byClass' | 'byId' | 'byAttr'; value: string };
/** One alternative of a selector: the keys that narrow it, and the alternative alone to test with. */
type Alternative = { keys: Key[]; selector: string };

function add(map: Map<string, Element[]>, key: string, el: Element): void {
  const list = map.get(key);
  if (list) list.push(el);
  else map.set(key, [el]);
}

/** Walk the document once (iteratively: depth is bounded, but not small). */
export function indexElements(root: Document): ElementIndex {
  const index: ElementIndex = { root, stale: false, byTag: new Map(), byClass: new Map(), byId: new Map(), byAttr: new Map(), order: new Map() };
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
    for (const name in node.attribs) add(index.byAttr, name, node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

const COMBINATORS = new Set<string>([
  SelectorType.Descendant, SelectorType.Child, SelectorType.Sibling, SelectorType.Adjacent,
  SelectorType.Parent, SelectorType.ColumnCombinator,
]);

/** The keys of the last compound of one alternative, any of which narrows it (none: it could match any element). */
function keysOf(tokens: Selector[]): Key[] {
  let start = 0;
  tokens.forEach((t, i) => { if (COMBINATORS.has(t.type)) start = i + 1; });
  const keys: Key[] = [];
  for (const t of tokens.slice(start)) {
    // Tag names match in any case in HTML; ids and classes exactly ("quirks" is exact outside quirks mode).
    if (t.type === SelectorType.Tag && t.namespace === null) keys.push({ map: 'byTag', value: t.name.toLowerCase() });
    // `[a!=b]` (css-select's "not") also matches elements without the attribute.
    if (t.type !== SelectorType.Attribute || t.namespace !== null || t.action === 'not') continue;
    if (t.name === 'id' && t.action === 'equals' && t.ignoreCase !== true) keys.push({ map: 'byId', value: t.value });
    else if (t.name === 'class' && t.action === 'element' && t.ignoreCase !== true) keys.push({ map: 'byClass', value: t.value });
    keys.push({ map: 'byAttr', value: t.name.toLowerCase() });
  }
  return keys;
}

/** Per selector: its alternatives, or null when one of them could match any element. */
const plans = new Map<string, Alternative[] | null>();

function planOf(selector: string): Alternative[] | null {
  if (plans.has(selector)) return plans.get(selector)!;
  let plan: Alternative[] | null;
  try {
    const alternatives = parseSelector(selector).map((tokens) => ({ keys: keysOf(tokens), selector: stringify([tokens]) }));
    plan = alternatives.every((a) => a.keys.length > 0) ? alternatives : null;
  } catch {
    plan = null;
  }
  if (plans.size > 2_000) plans.clear();
  plans.set(selector, plan);
  return plan;
}

/** Still in the page: a reader may have removed it since the index was made. */
export function attached(el: AnyNode, root: Document): boolean {
  let n: AnyNode = el;
  while (n.parent) n = n.parent;
  return n === root;
}

/**
 * The elements of the whole page that match the selector, in document order, when the selector
 * lets the index narrow the search; null when it does not (the caller walks the page). `test`
 * gives the compiled test of one alternative.
 */
export function indexedMatches(index: ElementIndex, selector: string, test: (alternative: string) => (el: Element) => boolean): Element[] | null {
  const plan = planOf(selector);
  if (!plan) return null;
  if (index.stale) {
    for (const map of [index.byTag, index.byClass, index.byId, index.byAttr, index.order]) map.clear();
    fill(index);
    index.stale = false;
  }
  const found: Element[][] = [];
  for (const alternative of plan) {
    // The rarest of its keys on this page: every match carries all of them.
    let candidates: Element[] | undefined;
    for (const k of alternative.keys) {
      const list = index[k.map].get(k.value) ?? [];
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    const matches = plan.length === 1 ? test(selector) : test(alternative.selector);
    found.push(candidates!.filter((el) => matches(el) && attached(el, index.root)));
  }
  if (found.length === 1) return found[0]!;
  const all = [...new Set(found.flat())];
  return all.sort((a, b) => index.order.get(a)! - index.order.get(b)!);
}

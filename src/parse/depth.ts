import type { AnyNode, ParentNode } from 'domhandler';

/**
 * Pathologically deep markup, kept within bounds before and after the DOM is built.
 *
 * Both HTML parsers slow down with depth (htmlparser2 shifts its open-element stack, parse5
 * searches it for scope: 100,000 nested <div> take seconds to minutes), and the DOM libraries
 * above them recurse (cloning, text content, selectors), so a few thousand levels overflow
 * the stack. Real pages stay far below the depth browsers allow: Chromium itself stops
 * nesting at 512 levels. So does this: a linear pre-scan estimates the depth from the tags
 * (never below what a parser builds), and only when the page goes deeper are the tags below
 * that level dropped, their text kept. A walk of the built DOM then guarantees the bound.
 */
export const MAX_DEPTH = 512;

/** Elements without content or end tag. */
const VOID = new Set(['area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'image', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Elements whose content both parsers read as text, up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp']);
const RAW_TEXT_END = new Map([...RAW_TEXT].map((t) => [t, new RegExp(`</${t}`, 'gi')]));
/** Where "<x/>" closes x (foreign content); in HTML it opens x. */
const FOREIGN = new Set(['svg', 'math']);
const P_CLOSERS = ['address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'ul'];
/** An opening tag that ends the open elements it names, while they are the innermost: unclosed <p>, <li>, <td> … */
const IMPLIES_CLOSE = new Map<string, Set<string>>([
  ...P_CLOSERS.map((t) => [t, new Set(['p'])] as const),
  ['li', new Set(['li'])], ['dt', new Set(['dt', 'dd'])], ['dd', new Set(['dt', 'dd'])],
  ['tr', new Set(['tr', 'td', 'th'])], ['td', new Set(['td', 'th'])], ['th', new Set(['td', 'th'])],
  ['option', new Set(['option'])], ['optgroup', new Set(['optgroup', 'option'])],
]);
/** How far down the open elements an end tag looks for its start tag: deeper matches are left open, which only overestimates. */
const END_TAG_REACH = 64;

interface Open {
  name: string;
  dropped: boolean;
}

const isNameStart = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const endsName = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x2f || c === 0x3e;

/** The index just past the ">" that ends a tag whose attributes start at i (quoted values may hold ">"). */
function tagEnd(html: string, i: number): { end: number; selfClosing: boolean } {
  let quote = 0;
  for (let j = i; j < html.length; j++) {
    const c = html.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      // A quote opens a value only after "=" (possibly with spaces); elsewhere it is a stray character.
      let k = j - 1;
      while (k > i && /\s/.test(html[k]!)) k--;
      if (html.charCodeAt(k) === 0x3d) quote = c;
    } else if (c === 0x3e) {
      return { end: j + 1, selfClosing: html.charCodeAt(j - 1) === 0x2f };
    }
  }
  return { end: html.length, selfClosing: false };
}

/**
 * One pass over the tags: calls `emit` with each slice of the page to keep. With `limit`, start
 * and end tags of elements opened at that depth or deeper are left out (raw-text elements whole).
 * Returns the deepest level reached.
 */
function scan(html: string, limit: number, emit: ((from: number, to: number) => void) | null): number {
  const open: Open[] = [];
  let foreign = 0;
  let max = 0;
  let kept = 0;
  const drop = (from: number, to: number): void => {
    if (emit && from > kept) emit(kept, from);
    kept = to;
  };
  let i = html.indexOf('<');
  while (i !== -1 && i < html.length - 1) {
    const c = html.charCodeAt(i + 1);
    let next = i + 1;
    if (c === 0x21) {
      // Comment, doctype or CDATA: nothing opens.
      const close = html.startsWith('<!--', i) ? html.indexOf('-->', i + 4) : html.indexOf('>', i + 2);
      next = close === -1 ? html.length : close + (html.startsWith('<!--', i) ? 3 : 1);
    } else if (c === 0x2f && i + 2 < html.length && isNameStart(html.charCodeAt(i + 2))) {
      let j = i + 2;
      while (j < html.length && !endsName(html.charCodeAt(j))) j++;
      const name = html.slice(i + 2, j).toLowerCase();
      const { end } = tagEnd(html, j);
      next = end;
      for (let k = open.length - 1; k >= Math.max(0, open.length - END_TAG_REACH); k--) {
        if (open[k]!.name !== name) continue;
        const matched = open[k]!;
        if (FOREIGN.has(name) && foreign > 0) foreign--;
        open.length = k;
        if (matched.dropped) drop(i, end);
        break;
      }
    } else if (isNameStart(c)) {
      let j = i + 1;
      while (j < html.length && !endsName(html.charCodeAt(j))) j++;
      const name = html.slice(i + 1, j).toLowerCase();
      const { end, selfClosing } = tagEnd(html, j);
      next = end;
      const closes = IMPLIES_CLOSE.get(name);
      while (closes && open.length > 0 && closes.has(open[open.length - 1]!.name)) open.pop();
      const dropped = open.length >= limit;
      if (RAW_TEXT.has(name)) {
        const endTag = RAW_TEXT_END.get(name)!;
        endTag.lastIndex = end;
        const close = endTag.exec(html)?.index ?? -1;
        next = close === -1 ? html.length : tagEnd(html, close + 2 + name.length).end;
        if (dropped) drop(i, next);
      } else if (!VOID.has(name) && !(selfClosing && (foreign > 0 || FOREIGN.has(name)))) {
        open.push({ name, dropped });
        if (FOREIGN.has(name)) foreign++;
        if (dropped) drop(i, end);
      } else if (dropped) {
        drop(i, end);
      }
      max = Math.max(max, open.length);
    }
    i = html.indexOf('<', next);
  }
  if (emit && kept < html.length) emit(kept, html.length);
  return max;
}

/**
 * The page's markup with everything nested deeper than MAX_DEPTH flattened into that level, and
 * how deep it went; the same string when it stays within bounds (nearly every page).
 */
export function boundDepth(html: string): { html: string; depth: number } {
  const depth = scan(html, Infinity, null);
  if (depth <= MAX_DEPTH) return { html, depth };
  const parts: string[] = [];
  scan(html, MAX_DEPTH, (from, to) => parts.push(html.slice(from, to)));
  return { html: parts.join(''), depth };
}

/**
 * The bound on the built DOM, whatever the parser made of the markup (error recovery can nest
 * more than the tags say): children of elements at the limit take the place of their deeper
 * descendants, text kept in order. Iterative, so any depth is safe. Returns whether it changed
 * anything.
 */
export function flattenDeepNodes(root: ParentNode, limit = MAX_DEPTH + 32): boolean {
  let changed = false;
  const stack: Array<{ node: ParentNode; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    for (const child of node.children) {
      if (!('children' in child)) continue;
      if (depth + 1 < limit) {
        stack.push({ node: child, depth: depth + 1 });
      } else if (child.children.some((n) => 'children' in n)) {
        adopt(child, leavesOf(child));
        changed = true;
      }
    }
  }
  return changed;
}

/** Make `nodes` the children of `parent`, with the parent and sibling links the DOM libraries follow. */
function adopt(parent: ParentNode, nodes: AnyNode[]): void {
  parent.children = nodes;
  nodes.forEach((n, k) => {
    n.parent = parent;
    n.prev = nodes[k - 1] ?? null;
    n.next = nodes[k + 1] ?? null;
  });
}

/** The leaf nodes (text, and elements without element children) under a node, in document order. */
function leavesOf(node: ParentNode): AnyNode[] {
  const out: AnyNode[] = [];
  const stack: AnyNode[] = [...node.children].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if ('children' in n && n.children.some((c) => 'children' in c)) {
      for (let k = n.children.length - 1; k >= 0; k--) stack.push(n.children[k]!);
    } else {
      out.push(n);
    }
  }
  return out;
}

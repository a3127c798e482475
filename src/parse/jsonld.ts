import type { CheerioAPI } from 'cheerio';
import { cleanText, decodeEntities, textOrNull } from './text.js';

export type LdNode = Record<string, unknown>;

/** Objects in document order, each followed by its @graph. Iterative: a page can nest arrays thousands deep. */
function flatten(value: unknown, out: LdNode[]): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (v && typeof v === 'object') {
      const node = v as LdNode;
      out.push(node);
      if (Array.isArray(node['@graph'])) stack.push(node['@graph']);
    }
  }
}

/** Real structured data nests a few levels; what goes deeper is cut, so nothing below recurses without bound. */
const MAX_LD_DEPTH = 64;

/** Replace arrays and objects nested deeper than MAX_LD_DEPTH with null, in place and without recursion. Returns whether any were. */
function pruneDeep(value: unknown): boolean {
  let pruned = false;
  const stack: Array<{ v: Record<string, unknown> | unknown[]; depth: number }> = [];
  if (value && typeof value === 'object') stack.push({ v: value as Record<string, unknown>, depth: 1 });
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const child = obj[key];
      if (!child || typeof child !== 'object') continue;
      if (depth >= MAX_LD_DEPTH) {
        obj[key] = null;
        pruned = true;
      } else {
        stack.push({ v: child as Record<string, unknown>, depth: depth + 1 });
      }
    }
  }
  return pruned;
}

function parseLd(raw: string, i: number, out: LdNode[], warnings: string[]): void {
  const value: unknown = JSON.parse(raw);
  if (pruneDeep(value)) warnings.push(`JSON-LD block ${i + 1} nests deeper than ${MAX_LD_DEPTH} levels; the deeper values were ignored`);
  flatten(value, out);
}

/**
 * Every JSON-LD object on the page, @graph members included. A script that is not valid
 * JSON is retried once without raw control characters (a common CMS defect), then skipped
 * with a warning.
 */
export function readJsonLd($: CheerioAPI, warnings: string[]): LdNode[] {
  const out: LdNode[] = [];
  $('script[type="application/ld+json"]').each((i, el) => {
    const raw = $(el).text().trim();
    if (!raw) return;
    try {
      parseLd(raw, i, out, warnings);
    } catch {
      try {
        parseLd(raw.replace(/[\u0000-\u001f]+/g, ' '), i, out, warnings);
      } catch {
        warnings.push(`JSON-LD block ${i + 1} is not valid JSON; ignored`);
      }
    }
  });
  return out;
}

export function ldTypes(node: LdNode): string[] {
  const t = node['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
}

export function findLd(nodes: LdNode[], types: string[]): LdNode | undefined {
  return nodes.find((n) => ldTypes(n).some((t) => types.includes(t)));
}

/** A JSON-LD string value, entities decoded (publishers leave "&quot;" in JSON). */
export function ldString(v: unknown): string | null {
  if (typeof v === 'string') return textOrNull(decodeEntities(v));
  if (typeof v === 'number') return String(v);
  return null;
}

/** Names from an author/creator value: string, Person, or a list of them. */
export function ldNames(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  const names: string[] = [];
  for (const item of list) {
    const name = typeof item === 'string' ? item : item && typeof item === 'object' ? (item as LdNode)['name'] : null;
    const clean = ldString(name);
    if (clean) names.push(cleanText(clean));
  }
  return names;
}

/** URL of an image value: string, ImageObject, or the first of a list. */
export function ldImageUrl(v: unknown): string | null {
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object') {
    const o = first as LdNode;
    return ldString(o['contentUrl']) ?? ldString(o['url']);
  }
  return null;
}

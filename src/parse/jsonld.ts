import type { CheerioAPI } from 'cheerio';
import { cleanText, decodeEntities, textOrNull } from './text.js';

export type LdNode = Record<string, unknown>;

function flatten(value: unknown, out: LdNode[]): void {
  if (Array.isArray(value)) {
    for (const v of value) flatten(v, out);
  } else if (value && typeof value === 'object') {
    const node = value as LdNode;
    out.push(node);
    if (Array.isArray(node['@graph'])) flatten(node['@graph'], out);
  }
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
      flatten(JSON.parse(raw), out);
    } catch {
      try {
        flatten(JSON.parse(raw.replace(/[\u0000-\u001f]+/g, ' ')), out);
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

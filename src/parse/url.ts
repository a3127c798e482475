/**
 * Every URL taken from page content goes through here. The WHATWG parser reads it first, as a
 * browser would (it drops tabs, newlines and leading control characters, so "java\tscript:" is
 * "javascript:"), and only then is the scheme judged, against an allow-list. Nothing here
 * throws: page content must never cause an internal error.
 */

/** Where a stored URL may lead: web pages and media. */
const WEB_SCHEMES = new Set(['http:', 'https:']);
/** Links in a post body may also write an e-mail. */
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

function parse(raw: string, base: string | null | undefined): URL | null {
  try {
    return base ? new URL(raw, base) : new URL(raw);
  } catch {
    return null;
  }
}

function allowed(raw: string | null | undefined, base: string | null | undefined, schemes: Set<string>): string | null {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const u = parse(raw, base);
  return u && schemes.has(u.protocol) ? u.href : null;
}

/** An absolute http(s) URL, made so against the page's URL, or null: permalinks, media, page links. */
export function webUrl(raw: string | null | undefined, base?: string | null): string | null {
  return allowed(raw, base, WEB_SCHEMES);
}

/**
 * A link target in a post body: http(s) or mailto, absolute; a bare fragment stays as it is when
 * there is no page URL to resolve it against (it can only move within the page).
 */
export function linkUrl(raw: string, base: string | null): string | null {
  const v = raw.trim();
  if (!base && v.startsWith('#')) return v;
  return allowed(v, base, LINK_SCHEMES);
}

/** The path of a URL, or null when it does not parse. */
export function urlPath(raw: string, base?: string | null): string | null {
  return parse(raw, base)?.pathname ?? null;
}

/** Host without "www.", lower-cased, or null. */
export function hostOf(url: string | null): string | null {
  return url ? parse(url, null)?.hostname.toLowerCase().replace(/^www\./, '') ?? null : null;
}

/** The URL without its fragment: the key a page is archived under. Left as given when it does not parse. */
export function normalizePageUrl(url: string): string {
  const u = parse(url, null);
  if (!u) return url;
  u.hash = '';
  return u.href;
}

/** Percent-escapes decoded ("%C3%A9" → "é"), or the text as written when they are malformed ("%E0%A4%A"). */
export function percentDecoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

import { cleanCredit } from './dom.js';
import { cleanText, markupToPlainText, textOrNull } from './text.js';
import type { Media, MediaKind } from '../types.js';
import { percentDecoded, urlPath, webUrl } from './url.js';

/**
 * The largest candidate of a srcset. URLs may contain commas (image CDNs use
 * "q=w_780,c_fill"), so candidates are split the way the HTML spec does: URL up to
 * whitespace, then descriptors up to a comma.
 */
export function largestSrcsetCandidate(srcset: string | null | undefined): string | null {
  if (!srcset) return null;
  let best: { url: string; size: number } | null = null;
  let i = 0;
  const s = srcset;
  while (i < s.length) {
    while (i < s.length && /[\s,]/.test(s[i]!)) i++;
    const start = i;
    while (i < s.length && !/\s/.test(s[i]!)) i++;
    let url = s.slice(start, i);
    let descriptor = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const end = s.indexOf(',', i);
      descriptor = s.slice(i, end === -1 ? s.length : end).trim();
      i = end === -1 ? s.length : end + 1;
    }
    if (!url) continue;
    const m = /^(\d+(?:\.\d+)?)([wx])$/.exec(descriptor);
    const size = m ? Number(m[1]) * (m[2] === 'x' ? 1000 : 1) : 1;
    if (!best || size > best.size) best = { url, size };
  }
  return best?.url ?? null;
}

/** "01:09" → "PT1M9S", "1:02:03" → "PT1H2M3S", 95 → "PT1M35S"; ISO durations pass through. */
export function isoDuration(raw: string | number | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const s = String(raw).trim();
  if (/^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/.test(s) && s !== 'P' && s !== 'PT') return s;
  let total: number;
  if (/^\d+(?:\.\d+)?$/.test(s)) total = Math.round(Number(s));
  else {
    const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(s);
    if (!m) return null;
    total = Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  }
  const h = Math.floor(total / 3600);
  const mi = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return `PT${h ? `${h}H` : ''}${mi ? `${mi}M` : ''}${sec || total === 0 ? `${sec}S` : ''}`;
}

/** Last path segment of a URL, decoded: a readable media name when the page gives none. */
export function fileNameFromUrl(url: string | null): string | null {
  if (!url) return null;
  const seg = urlPath(url)?.split('/').filter(Boolean).pop();
  return seg ? percentDecoded(seg) : null;
}

export interface MediaInput {
  kind: MediaKind;
  url?: string | null;
  name?: string | null;
  alt?: string | null;
  caption?: string | null;
  credit?: string | null;
  description?: string | null;
  duration?: string | number | null;
  thumbnail?: string | null;
}

/** One normalised media reference: trimmed text, ISO duration, credit without "Photograph:" noise. */
export function makeMedia(m: MediaInput, base: string | null): Media {
  const url = webUrl(m.url, base);
  const credit = cleanCredit(m.credit);
  return {
    kind: m.kind,
    url,
    name: textOrNull(m.name) ?? fileNameFromUrl(url),
    alt: textOrNull(m.alt),
    caption: textOrNull(m.caption),
    credit,
    description: markupToPlainText(m.description ?? null),
    duration: isoDuration(m.duration ?? null),
    thumbnail: webUrl(m.thumbnail, base),
  };
}

/** Media in order, each (kind, url) once: galleries and lazy-load markup often repeat an image. */
export function uniqueMedia(list: Media[]): Media[] {
  const seen = new Set<string>();
  return list.filter((m) => {
    if (m.url === null) return true;
    const key = `${m.kind} ${m.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Image URL of an <img>-like element: largest srcset candidate, else lazy-load attributes, else src. */
export function imageSource(attribs: Record<string, string>): string | null {
  return largestSrcsetCandidate(attribs['srcset'] ?? attribs['data-srcset'])
    ?? attribs['data-src'] ?? attribs['data-lsrc'] ?? attribs['data-original'] ?? attribs['data-lazy-src']
    ?? (attribs['src'] && !attribs['src'].startsWith('data:') ? attribs['src'] : null);
}

const EMBED_HOSTS: Array<[RegExp, MediaKind]> = [
  [/youtube(?:-nocookie)?\.com|youtu\.be|vimeo\.com|dailymotion\.com|jwplayer|brightcove/i, 'video'],
];

/** Video for known players, embed for everything else (tweets, posts, maps, widgets). */
export function embedKind(url: string | null): MediaKind {
  return url && EMBED_HOSTS.some(([re]) => re.test(url)) ? 'video' : 'embed';
}

import { html, raw } from 'hono/html';
import { normalizeZone } from '../parse/time.js';
import { webUrl } from '../parse/url.js';
import { UsageError } from '../errors.js';

/**
 * HTML built with Hono's `html` template: every interpolated value is escaped unless it is
 * itself built with `html` (or, for the sanitized post bodies only, `raw`).
 */
export type Html = ReturnType<typeof html>;
export { html, raw };

/** What every view carries from link to link: the reader's time zone. */
export interface ViewState {
  tz: string;
  /** The archive file's name, shown in the header. */
  archive: string;
}

/** Zones offered in the switcher; any IANA zone works in the URL (?tz=Asia/Kathmandu). */
const ZONES = ['UTC', 'Europe/London', 'Europe/Paris', 'Europe/Berlin', 'Europe/Kyiv', 'Europe/Moscow', 'America/New_York', 'America/Chicago',
  'America/Los_Angeles', 'America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney'];

/** The ?tz= zone, else the machine's (the reader is at it: serve listens on 127.0.0.1). */
export function zoneParam(value: string | undefined): string {
  const zone = normalizeZone(value || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  if (!zone) throw new UsageError(`tz wants an IANA time zone such as Europe/London (got "${value}")`);
  return zone;
}

/** A link within the view, with its query parameters (empty ones left out). */
export function href(path: string, params: Record<string, string | number | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function pagePath(url: string, sub = ''): string {
  return `/page/${encodeURIComponent(url)}${sub}`;
}

/**
 * A link that leaves the archive: no referrer, no opener; only to an http(s) URL (judged by
 * the parser's one URL helper, as the browser would read it), else the text alone.
 */
export function outLink(url: string | null | undefined, text: unknown): Html | unknown {
  const u = webUrl(url);
  return u ? html`<a class="out" href="${u}" rel="noopener noreferrer nofollow">${text}</a>` : text;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatIn(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    formats.set(tz, f);
  }
  return f;
}

/** "25 Nov 2025, 10:02 GMT-5" in the zone. */
export function localTime(iso: string, tz: string): string {
  return formatIn(tz).format(new Date(iso));
}

/** "2025-11-25 15:02:14 UTC": what the hover shows. */
export function utcTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** A time in the reader's zone, UTC on hover, machine-readable. */
export function timeEl(iso: string | null | undefined, tz: string): Html | string {
  if (!iso) return '';
  return html`<time datetime="${iso}" title="${utcTime(iso)}">${localTime(iso, tz)}</time>`;
}

/** The zone switcher: a plain GET form that keeps the view's other parameters. */
export function zoneForm(action: string, keep: Record<string, string | undefined>, tz: string): Html {
  const zones = ZONES.includes(tz) ? ZONES : [tz, ...ZONES];
  return html`<form class="zone" method="get" action="${action}">
    ${Object.entries(keep).filter(([, v]) => v).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
    <label>Times in <select name="tz">${zones.map((z) => html`<option${z === tz ? raw(' selected') : ''}>${z}</option>`)}</select></label>
    <button type="submit">Show</button>
  </form>`;
}

/** Links to the view's data in JSON and CSV, made by the export writers. */
export function exportLinks(path: string, params: Record<string, string | undefined>): Html {
  return html`<p class="export">Export this view: <a href="${href(path, { ...params, format: 'json' })}">JSON</a> · <a href="${href(path, { ...params, format: 'csv' })}">CSV</a></p>`;
}

export function layout(state: ViewState, title: string, body: Html | Html[]): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · livearchive</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<header class="site">
  <a class="brand" href="${href('/', { tz: state.tz })}">livearchive</a>
  <nav><a href="${href('/', { tz: state.tz })}">Pages</a> <a href="${href('/search', { tz: state.tz })}">Search</a></nav>
  <span class="archive" title="opened read-only">${state.archive} (read-only)</span>
</header>
<main>
${body}
</main>
</body>
</html>`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

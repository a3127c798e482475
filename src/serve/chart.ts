import { html, plural, type Html } from './html.js';

/** Times (UTC ISO) of what happened on a page. */
export interface Activity {
  /** Each post's time: first publication, else last update. */
  posts: string[];
  /** When each later version appeared: its update time, else the capture that first showed it. */
  edits: string[];
  /** The capture at which each removed post was gone. */
  removals: string[];
  captures: string[];
}

export interface Bucket {
  start: string;
  posts: number;
  edits: number;
  removals: number;
}

const HOUR = 3_600_000;
const SERIES = ['posts', 'edits', 'removals'] as const;
const NOUN = { posts: 'post', edits: 'edit', removals: 'removal' };
const MAX_BARS = 72;

/** Time since the start of the hour (or day) an instant falls in, in a zone. */
function sinceStartOf(t: number, tz: string, unit: 'hour' | 'day'): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' }).formatToParts(new Date(t));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return (unit === 'day' ? get('hour') * HOUR : 0) + get('minute') * 60_000 + get('second') * 1000 + (t % 1000);
}

export interface Buckets {
  /** Hours per bar. */
  size: number;
  buckets: Bucket[];
  /** Captures far from the posts (a page saved long after), left off the chart. */
  outside: string[];
}

/**
 * Count what happened per hour of the zone (per 2, 3, 6, 12 hours or whole days when the page's
 * life is longer than 72 hours), from the hour of the first event to the last. Captures within a
 * day of the posts are on the chart; others would only stretch it.
 */
export function bucketActivity(a: Activity, tz: string): Buckets {
  const events = [...a.posts, ...a.edits, ...a.removals].map(Date.parse).filter(Number.isFinite);
  if (events.length === 0) return { size: 1, buckets: [], outside: a.captures };
  const [lo, hi] = [Math.min(...events), Math.max(...events)];
  const near = (iso: string): boolean => Date.parse(iso) >= lo - 24 * HOUR && Date.parse(iso) <= hi + 24 * HOUR;
  const all = [...events, ...a.captures.filter(near).map(Date.parse)];
  const first = Math.min(...all);
  const last = Math.max(...all);
  const size = [1, 2, 3, 6, 12, 24].find((h) => (last - first) / (h * HOUR) < MAX_BARS) ?? Math.ceil((last - first) / (MAX_BARS * 24 * HOUR)) * 24;
  const start = first - sinceStartOf(first, tz, size >= 24 ? 'day' : 'hour');
  const buckets: Bucket[] = Array.from({ length: Math.floor((last - start) / (size * HOUR)) + 1 }, (_, i) => ({
    start: new Date(start + i * size * HOUR).toISOString(), posts: 0, edits: 0, removals: 0,
  }));
  for (const key of SERIES) {
    for (const iso of a[key]) {
      const t = Date.parse(iso);
      if (Number.isFinite(t)) buckets[Math.floor((t - start) / (size * HOUR))]![key]++;
    }
  }
  return { size, buckets, outside: a.captures.filter((c) => !near(c)) };
}

function label(iso: string, tz: string, withDay: boolean): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(withDay ? { day: 'numeric', month: 'short' } : {}) }).format(new Date(iso));
}

function day(iso: string, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short' }).format(new Date(iso));
}

/** "hour", "6 hours", "3 days": the length of a bar's period. */
export function periodName(hours: number): string {
  return hours === 1 ? 'hour' : hours === 24 ? 'day' : hours % 24 === 0 ? `${hours / 24} days` : `${hours} hours`;
}

/** A nice round step for about five gridlines up to max. */
function step(max: number): number {
  const raw = Math.max(1, max / 5);
  const p = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw);
}

/**
 * Posts, edits and removals per period as an SVG bar chart, drawn on the server: each bar
 * has a <title> (its count, shown on hover) and capture times are ticks under the axis.
 */
export function activityChart(a: Activity, tz: string): Buckets & { svg: Html } {
  const { size, buckets, outside } = bucketActivity(a, tz);
  const W = 900;
  const H = 280;
  const m = { left: 64, right: 24, top: 16, bottom: 58 };
  const max = Math.max(1, ...buckets.flatMap((b) => SERIES.map((k) => b[k])));
  const yStep = step(max);
  const top = Math.ceil(max / yStep) * yStep;
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const slot = plotW / Math.max(1, buckets.length);
  const bar = Math.max(1, (slot * 0.8) / SERIES.length);
  const y = (v: number): number => m.top + plotH - (v / top) * plotH;
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  const span = buckets.length ? Date.parse(buckets.at(-1)!.start) + size * HOUR - Date.parse(buckets[0]!.start) : 1;
  const x = (iso: string): number => m.left + ((Date.parse(iso) - Date.parse(buckets[0]?.start ?? iso)) / span) * plotW;
  const per = periodName(size);
  const grid = Array.from({ length: Math.round(top / yStep) + 1 }, (_, i) => i * yStep);
  const svg = html`<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">
<title id="chart-title">Posts, edits and removals per ${per}</title>
${grid.map((v) => html`<g class="grid"><line x1="${m.left}" x2="${W - m.right}" y1="${y(v)}" y2="${y(v)}"></line><text x="${m.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text></g>`)}
${buckets.map((b, i) => html`<g class="slot">${SERIES.map((k, j) => (b[k] ? html`<rect class="bar ${k}" x="${(m.left + i * slot + slot * 0.1 + j * bar).toFixed(1)}" y="${y(b[k]).toFixed(1)}" width="${bar.toFixed(1)}" height="${(y(0) - y(b[k])).toFixed(1)}"><title>${label(b.start, tz, true)}: ${plural(b[k], NOUN[k])}</title></rect>` : ''))}
${i % every === 0 ? html`<line class="tick" x1="${(m.left + i * slot).toFixed(1)}" x2="${(m.left + i * slot).toFixed(1)}" y1="${y(0)}" y2="${y(0) + 5}"></line><text class="x" x="${(m.left + i * slot).toFixed(1)}" y="${H - m.bottom + 18}" text-anchor="middle">${size >= 24 ? day(b.start, tz) : label(b.start, tz, i === 0 || day(b.start, tz) !== day(buckets[i - every]!.start, tz))}</text>` : ''}</g>`)}
${a.captures.filter((c) => buckets.length > 0 && !outside.includes(c)).map((c) => html`<line class="capture" x1="${x(c).toFixed(1)}" x2="${x(c).toFixed(1)}" y1="${H - m.bottom + 22}" y2="${H - m.bottom + 30}"><title>capture ${c}</title></line>`)}
<line class="axis" x1="${m.left}" x2="${W - m.right}" y1="${y(0)}" y2="${y(0)}"></line>
<g class="legend" transform="translate(${m.left},${H - 14})">${SERIES.map((k, j) => html`<rect class="key ${k}" x="${j * 120}" y="-9" width="10" height="10"></rect><text x="${j * 120 + 14}" y="0">${k}</text>`)}
<line class="key capture" x1="360" x2="360" y1="-10" y2="0"></line><text x="366" y="0">captures</text></g>
</svg>`;
  return { svg, size, buckets, outside };
}

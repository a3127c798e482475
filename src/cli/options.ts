import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { FilterFlags } from '../filter-input.js';
import type { PostFilters } from '../store/filters.js';
import type { CsvFormulas } from '../export/csv.js';
import type { HttpOptions } from '../acquire/http.js';
import { DEFAULT_USER_AGENT } from '../version.js';
import { isUrl } from '../acquire/local.js';
import { checkOutputPath } from '../output-path.js';
import type { RenderOptions } from '../acquire/render.js';
import { line, type Io } from './io.js';
import type { OpenOptions } from '../store/archive.js';

export const DEFAULT_DB = 'livearchive.db';

/** --db, the same on every command: the archive file or PostgreSQL URL, default $LIVEARCHIVE_DB or ./livearchive.db. */
export function withDbOption(cmd: Command): Command {
  return cmd.option('--db <path|url>', `archive file, or postgres://user@host:5432/dbname (default: $LIVEARCHIVE_DB, else ./${DEFAULT_DB})`);
}

/** How read commands open the archive: read-only, and under --debug saying how when that matters. */
export function readOnly(io: Io): OpenOptions {
  return { readonly: true, ...(io.debug ? { onNote: (m: string) => line(io.stderr, `livearchive: debug: ${m}`) } : {}) };
}

export function dbPath(opts: { db?: string }, io: Io): string {
  // An empty $LIVEARCHIVE_DB (a cron line whose variable is unset) means the default, not SQLite's temporary database.
  const path = opts.db ?? (io.env?.['LIVEARCHIVE_DB'] || undefined) ?? DEFAULT_DB;
  if (path.trim() === '' || path === ':memory:' || path.startsWith('file:')) {
    throw new UsageError(`--db wants the path of an archive file or a postgres:// URL (got "${path}")`);
  }
  return path;
}

export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';

/** The output flags every read command shares. */
export function withOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format (default: table on a terminal, json when piped)').choices(['table', 'json', 'ndjson', 'csv']))
    .option('--json', 'same as --format json')
    .option('--nl', 'same as --format ndjson (one JSON object per line)')
    .option('--csv', 'same as --format csv')
    .addOption(csvFormulasOption());
}

/** --csv-formulas: how CSV output writes text a spreadsheet would run as a formula. */
export function csvFormulasOption(): Option {
  return new Option('--csv-formulas <mode>', 'CSV cells starting with = + - @ get a leading \' so spreadsheets do not run them (escape), or are left as they are (keep)')
    .choices(['escape', 'keep']).default('escape');
}

export interface OutputFlags {
  format?: OutputFormat;
  csvFormulas?: CsvFormulas;
  json?: boolean;
  nl?: boolean;
  csv?: boolean;
}

/** How a read command writes its rows. */
export interface Output {
  format: OutputFormat;
  csvFormulas: CsvFormulas;
}

export function outputFormat(opts: OutputFlags, io: Io): Output {
  const forced = [opts.json && 'json', opts.nl && 'ndjson', opts.csv && 'csv', opts.format].filter(Boolean) as OutputFormat[];
  if (new Set(forced).size > 1) throw new UsageError(`choose one output format (got ${[...new Set(forced)].join(', ')})`);
  return { format: forced[0] ?? (io.stdout.isTTY ? 'table' : 'json'), csvFormulas: opts.csvFormulas ?? 'escape' };
}

/** An ISO time from the command line; one without a zone is UTC. A date alone is its midnight, or its end. */
export async function parseIsoOption(flag: string, value: string, { dateAtEndOfDay = false } = {}): Promise<Date> {
  // The time module (~20 ms to load) is loaded only when a command is given a time.
  const { typedUtcTime } = await import('../filter-input.js');
  const iso = typedUtcTime(flag, value, { dateAtEndOfDay });
  if (!iso || !/^\d{4}-\d{2}-\d{2}/.test(value.trim())) throw new UsageError(`${flag} wants an ISO date-time such as 2025-11-25T15:10:00Z (got "${value}")`);
  return new Date(iso);
}

/**
 * --captured-at: a capture cannot come from the future. A day's slack covers clocks and zones;
 * beyond that the time would reorder the page's history (later captures marked as removals).
 */
export async function parseCaptureTime(value: string, now = new Date()): Promise<Date> {
  const at = await parseIsoOption('--captured-at', value);
  if (at.getTime() > now.getTime() + 86_400_000) {
    throw new UsageError(`--captured-at ${value} is in the future; give the time the page was saved`);
  }
  return at;
}

export function parseUrlOption(flag: string, value: string): string {
  try {
    const u = new URL(value);
    if (/^https?:$/.test(u.protocol)) return u.href;
  } catch {
    // reported below
  }
  throw new UsageError(`${flag} wants an http(s) URL (got "${value}")`);
}

/** --page, --publisher, --contributor, --since, --until, --tz, --kind: the filters of search and export. */
export function withFilterOptions(cmd: Command): Command {
  return cmd
    .option('--page <url>', 'only this page')
    .option('--publisher <name>', 'only pages whose publisher contains this (case-insensitive)')
    .option('--contributor <name>', 'only posts crediting a contributor whose name contains this')
    .option('--since <date|time>', 'only posts from this date or time on (the post time: first publication, else last update)')
    .option('--until <date|time>', 'only posts before this time; a date alone includes that whole day')
    .option('--tz <zone>', 'time zone of --since/--until without an offset (IANA name)', 'UTC')
    .addOption(new Option('--kind <kind>', 'only pages of this kind').choices(['liveblog', 'article', 'unknown']));
}

// Parsed where the web view's search form parses them too.
export type { FilterFlags } from '../filter-input.js';

/** The filter flags as PostFilters; the time module is loaded only now. */
export async function parseFilters(opts: FilterFlags): Promise<PostFilters> {
  return (await import('../filter-input.js')).parseFilters(opts);
}

/** --timeout of sql and search: how long a query may run before it is stopped. */
export function withQueryTimeout(cmd: Command): Command {
  return cmd.option('--timeout <seconds>', 'stop the query after this many seconds, with exit 1 (0: no limit)', '30');
}

export function parseQueryTimeout(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--timeout wants a number of seconds, 0 for no limit (got "${value}")`);
  return n * 1000;
}

export function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--limit wants a positive whole number (got "${value}")`);
  return n;
}

/** The HTTP flags of ingest and watch. */
export function withFetchOptions(cmd: Command): Command {
  return cmd
    .option('--timeout <seconds>', 'connect, response-headers and body-stall timeout', '30')
    .option('--max-page-bytes <n>', 'largest page accepted, files and URLs, after decompression (suffix k, m)', '32m')
    .addOption(new Option('--max-bytes <n>', 'the former name of --max-page-bytes').hideHelp())
    .option('--retries <n>', 'retries on network errors, 5xx and 429 (exponential backoff, honouring Retry-After)', '3')
    .option('--delay <seconds>', 'minimum pause between two requests to one host', '1')
    .option('--concurrency <n>', 'URLs fetched at the same time (at most 2 per host)', '4')
    .option('--user-agent <ua>', `User-Agent header (default: ${DEFAULT_USER_AGENT})`)
    .option('--ignore-robots', 'fetch pages that robots.txt disallows')
    .option('--no-raw', 'do not keep the page bytes (then `reparse` cannot re-read these snapshots)')
    .option('--follow-pages', "follow a live blog's links to its older pages and archive them in the same snapshot")
    .option('--max-pages <n>', 'with --follow-pages, at most this many older pages', '10')
    .option('--warc <file>', 'also append every HTTP request and response to this WARC as fetched (gzipped per record; plain for .warc)');
}

export interface FetchFlags {
  timeout: string;
  maxPageBytes: string;
  maxBytes?: string;
  retries: string;
  delay: string;
  concurrency: string;
  userAgent?: string;
  ignoreRobots?: boolean;
  raw: boolean;
  followPages?: boolean;
  maxPages: string;
  warc?: string;
}

function number(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${flag} wants a number ≥ ${min} (got "${value}")`);
  return n;
}

function bytes(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(value.trim());
  if (!m || Number(m[1]) <= 0) throw new UsageError(`${flag} wants a size such as 32m or 500k (got "${value}")`);
  return Math.round(Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[m[2]!.toLowerCase()]!);
}

/** --warc FILE: checked as every file the user names for writing, before any page is fetched. */
function warcPath(path: string): string {
  checkOutputPath(path);
  return path;
}

export function parseFetchOptions(opts: FetchFlags): { http: HttpOptions; concurrency: number; raw: boolean; followPages: number; maxPageBytes: number; warc?: string } {
  const maxPageBytes = opts.maxBytes !== undefined ? bytes('--max-bytes', opts.maxBytes) : bytes('--max-page-bytes', opts.maxPageBytes);
  return {
    maxPageBytes,
    http: {
      timeoutMs: number('--timeout', opts.timeout, 0.001) * 1000,
      maxBytes: maxPageBytes,
      retries: Math.floor(number('--retries', opts.retries, 0)),
      delayMs: number('--delay', opts.delay, 0) * 1000,
      ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
      ignoreRobots: opts.ignoreRobots ?? false,
    },
    concurrency: Math.floor(number('--concurrency', opts.concurrency, 1)),
    raw: opts.raw,
    followPages: opts.followPages ? Math.floor(number('--max-pages', opts.maxPages, 1)) : 0,
    ...(opts.warc ? { warc: warcPath(opts.warc) } : {}),
  };
}

/** The browser flags of ingest and watch: load pages in headless Chromium and archive what it renders. */
export function withRenderOptions(cmd: Command): Command {
  return cmd
    .option('--render', 'load each URL in headless Chromium and read the DOM it renders (widgets, posts loaded by scripts)')
    .option('--browser <path>', 'with --render: the Chromium or Chrome binary (default: /usr/bin/chromium)')
    .option('--render-timeout <seconds>', 'with --render: longest time for loading, waiting and expanding one page (default: 30)')
    .option('--render-settle <seconds>', 'with --render: the page counts as loaded once its posts and requests have not changed this long (default: 2)')
    .option('--render-expand <n>', 'with --render: click "Load more" / "Show older posts" (or scroll for more) up to n times (default: 0)')
    .option('--render-block-ads', 'with --render: do not load advertising and tracking hosts (a list kept in livearchive)')
    .option('--render-block-list <file>', 'with --render: do not load the hosts listed in this file instead (one per line, # comments)');
}

export interface RenderFlags {
  render?: boolean;
  browser?: string;
  renderTimeout?: string;
  renderSettle?: string;
  renderExpand?: string;
  renderBlockAds?: boolean;
  renderBlockList?: string;
}

/**
 * The browser settings, or undefined without --render; a browser flag without --render, or a
 * source that is not a URL with it, is a mistake worth saying.
 */
export function parseRenderOptions(opts: RenderFlags, sources: string[]): RenderOptions | undefined {
  const given = ([['--browser', opts.browser], ['--render-timeout', opts.renderTimeout], ['--render-settle', opts.renderSettle],
    ['--render-expand', opts.renderExpand], ['--render-block-ads', opts.renderBlockAds], ['--render-block-list', opts.renderBlockList]] as const).filter(([, v]) => v !== undefined);
  if (!opts.render) {
    if (given.length > 0) throw new UsageError(`${given[0]![0]} works with --render only`);
    return undefined;
  }
  const file = sources.find((s) => !isUrl(s));
  if (file !== undefined) throw new UsageError(`--render loads URLs in a browser; ${file} is not one (saved pages are archived as they are, without --render)`);
  const expand = Number(opts.renderExpand ?? '0');
  if (!Number.isInteger(expand) || expand < 0) throw new UsageError(`--render-expand wants a whole number ≥ 0 (got "${opts.renderExpand}")`);
  return {
    ...(opts.browser ? { browser: opts.browser } : {}),
    timeoutMs: number('--render-timeout', opts.renderTimeout ?? '30', 0.1) * 1000,
    settleMs: number('--render-settle', opts.renderSettle ?? '2', 0) * 1000,
    expand,
    ...(opts.renderBlockList !== undefined ? { blockAds: opts.renderBlockList } : opts.renderBlockAds ? { blockAds: true } : {}),
  };
}

/** "90s", "2m", "1h30m", "6h" → milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gi)];
  const whole = parts.map((p) => p[0]).join('').replace(/\s+/g, '') === value.trim().replace(/\s+/g, '');
  if (parts.length === 0 || !whole) throw new UsageError(`${flag} wants a duration such as 30s, 2m, 1h30m (got "${value}")`);
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const ms = parts.reduce((n, p) => n + Number(p[1]) * unit[p[2]!.toLowerCase()]!, 0);
  if (ms <= 0) throw new UsageError(`${flag} must be longer than zero`);
  return ms;
}

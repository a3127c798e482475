import type { PageRecord } from '../store/read.js';
import { encoded, encodeRows, type RowEncoder } from './encode.js';
import type { Contributor, Media } from '../types.js';

/**
 * What to do with text cells a spreadsheet would run as a formula ("=HYPERLINK(…)", "+1…",
 * "-2+3", "@SUM(…)", or a leading tab or carriage return): page text is untrusted. 'escape'
 * (the default) writes them with a leading apostrophe, which spreadsheets show as text, as
 * OWASP advises; 'keep' writes them as they are.
 */
export type CsvFormulas = 'escape' | 'keep';

const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; CRLF between records. */
export function csvField(value: unknown, formulas: CsvFormulas = 'escape'): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (formulas === 'escape' && typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header row: the given columns, else the first row's keys (then written with it). */
export function csvEncoder(columns?: string[], formulas: CsvFormulas = 'escape'): RowEncoder<Record<string, unknown>> {
  const line = (cells: unknown[]): string => `${cells.map((c) => csvField(c, formulas)).join(',')}\r\n`;
  let cols = columns;
  let header = cols ? line(cols) : '';
  const headerOnce = (): string => {
    const h = header;
    header = '';
    return h;
  };
  return {
    row(r) {
      if (!cols) {
        cols = Object.keys(r);
        header = line(cols);
      }
      return headerOnce() + line(cols.map((c) => r[c]));
    },
    end: headerOnce,
  };
}

export function csvChunks(rows: Iterable<Record<string, unknown>>, columns?: string[], formulas: CsvFormulas = 'escape'): Iterable<string> {
  return encodeRows(rows, csvEncoder(columns, formulas));
}

/** CSV cells are scalars: lists of names become "A; B", other structures JSON. */
export function flatForCsv(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v.join('; ');
    else if (Array.isArray(v) && v.every((x) => x && typeof x === 'object' && 'name' in x)) out[k] = v.map((x) => (x as { name: string }).name).join('; ');
    else out[k] = v;
  }
  return out;
}

export const POST_CSV_COLUMNS = ['page', 'id', 'url', 'headline', 'publishedAt', 'updatedAt', 'displayTime', 'contributors', 'mediaCount', 'mediaUrls',
  'bodyText', 'origin', 'pinned', 'keyEvent', 'firstSeenAt', 'lastSeenAt', 'removedAt', 'versionCount', 'version'];
export const VERSION_CSV_COLUMNS = ['page', 'id', 'version', 'firstSeenAt', 'lastSeenAt', 'snapshotCount', 'headline', 'publishedAt', 'updatedAt',
  'contributors', 'mediaCount', 'mediaUrls', 'bodyText', 'origin', 'keyEvent'];

function names(c: Contributor[]): string {
  return c.map((x) => x.name).join('; ');
}

function urls(m: Media[]): string {
  return m.map((x) => x.url ?? '').filter(Boolean).join(' ');
}

/** CSV export: one row per post, or per version with `history`; lists joined with "; " / " ". */
export function exportCsvChunks(pages: Iterable<PageRecord> | AsyncIterable<PageRecord>, history: boolean, formulas: CsvFormulas = 'escape'): AsyncIterable<string> {
  async function* rows(): AsyncIterable<Record<string, unknown>> {
    for await (const page of pages) {
      for await (const p of page.posts) {
        if (!history) {
          yield { ...p, page: page.url, contributors: names(p.contributors), mediaCount: p.media.length, mediaUrls: urls(p.media) };
          continue;
        }
        for (const v of p.versions ?? []) {
          yield { ...v, page: page.url, id: p.id, publishedAt: v.publishedAt, snapshotCount: v.snapshots.length,
            contributors: names(v.contributors), mediaCount: v.media.length, mediaUrls: urls(v.media) };
        }
      }
    }
  }
  return encoded(rows(), csvEncoder(history ? VERSION_CSV_COLUMNS : POST_CSV_COLUMNS, formulas)) as AsyncIterable<string>;
}

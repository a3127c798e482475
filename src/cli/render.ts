import { csvChunks, flatForCsv } from '../export/csv.js';
import { jsonArrayChunks, ndjsonChunks } from '../export/json.js';
import { writeAll } from '../export/sink.js';
import { Document } from 'yaml';
import type { Io } from './io.js';
import type { OutputFormat } from './options.js';

const MAX_CELL = 60;

/** A table cell on one line; long text is cut, but never a URL (it is what users copy). */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > MAX_CELL && !/^https?:\/\/\S+$/.test(flat) ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

function* tableChunks(rows: Iterable<Record<string, unknown>>, columns: string[]): Iterable<string> {
  const cells = [...rows].map((r) => columns.map((c) => cell(r[c])));
  if (cells.length === 0) {
    yield '(none)\n';
    return;
  }
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => `${r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd()}\n`;
  yield fmt(columns);
  yield fmt(widths.map((w) => '-'.repeat(w)));
  for (const r of cells) yield fmt(r);
}

/**
 * The one renderer of every read command: rows → aligned table (the columns given), JSON
 * array, NDJSON or CSV (full rows), streamed as they come except for the table.
 */
export async function render(io: Io, rows: Iterable<Record<string, unknown>>, format: OutputFormat, tableRows?: (r: Record<string, unknown>) => Record<string, unknown>, columns?: string[]): Promise<void> {
  switch (format) {
    case 'json':
      return writeAll(io.stdout, jsonArrayChunks(rows));
    case 'ndjson':
      return writeAll(io.stdout, ndjsonChunks(rows));
    case 'csv':
      return writeAll(io.stdout, csvChunks(mapRows(rows, flatForCsv)));
    case 'table': {
      const shaped = tableRows ? mapRows(rows, tableRows) : rows;
      const first = [...shaped];
      const cols = columns ?? Object.keys(first[0] ?? {});
      return writeAll(io.stdout, tableChunks(first, cols));
    }
  }
}

function* mapRows<T, U>(rows: Iterable<T>, f: (r: T) => U): Iterable<U> {
  for (const r of rows) yield f(r);
}

/** A single result object (a summary, a parsed page) as indented JSON. */
export async function renderObject(io: Io, value: unknown): Promise<void> {
  await writeAll(io.stdout, [`${JSON.stringify(value, null, 2)}\n`]);
}

/** A configuration object as YAML, with a comment on top. */
export async function renderYaml(io: Io, value: unknown, comment: string): Promise<void> {
  const doc = new Document(value);
  doc.commentBefore = ` ${comment.replace(/\n/g, '\n ')}`;
  await writeAll(io.stdout, [doc.toString({ lineWidth: 0 })]);
}

import { csvEncoder, flatForCsv } from '../export/csv.js';
import { collect, encoded, mapRows, type Rows } from '../export/encode.js';
import { jsonArrayEncoder, ndjsonChunks, ndjsonEncoder } from '../export/json.js';
import { writeAll } from '../export/sink.js';
import type { Io } from './io.js';
import type { Output } from './options.js';
import type { TableLayout } from './table.js';

/**
 * The one renderer of every read command: rows → aligned table (the columns given, fitted to
 * the terminal, `table.optional` ones only when there is room), JSON
 * array, NDJSON or CSV (full rows), streamed as they come except for the table.
 */
export async function render(io: Io, rows: Rows<Record<string, unknown>>, output: Output, tableRows?: (r: Record<string, unknown>) => Record<string, unknown>, columns?: string[],
  table: Omit<TableLayout, 'width'> = {}): Promise<void> {
  switch (output.format) {
    case 'json':
      return writeAll(io.stdout, encoded(rows, jsonArrayEncoder()));
    case 'ndjson':
      return writeAll(io.stdout, encoded(rows, ndjsonEncoder()));
    case 'csv':
      return writeAll(io.stdout, encoded(mapRows(rows, flatForCsv), csvEncoder(undefined, output.csvFormulas)));
    case 'table': {
      const shaped = tableRows ? mapRows(rows, tableRows) : rows;
      const first = await collect(shaped);
      const cols = columns ?? Object.keys(first[0] ?? {});
      // On a terminal the table fits its width; piped (--format table), nothing is dropped.
      const width = io.stdout.isTTY ? io.stdout.columns : undefined;
      // string-width (~25 ms to load) only when a table is drawn: JSON, cron and pipes skip it.
      const { tableLines } = await import('./table.js');
      return writeAll(io.stdout, tableLines(first, cols, { ...table, ...(width ? { width } : {}) }));
    }
  }
}

/** A single result object (a summary, a parsed page) as indented JSON. */
export async function renderObject(io: Io, value: unknown): Promise<void> {
  await writeAll(io.stdout, [`${JSON.stringify(value, null, 2)}\n`]);
}

/** One result object on one line (NDJSON), as a stream of them produces it. */
export async function renderLine(io: Io, value: unknown): Promise<void> {
  await writeAll(io.stdout, ndjsonChunks([value]));
}

/** A configuration object as YAML, with a comment on top. */
export async function renderYaml(io: Io, value: unknown, comment: string): Promise<void> {
  const { Document } = await import('yaml');
  const doc = new Document(value);
  doc.commentBefore = ` ${comment.replace(/\n/g, '\n ')}`;
  await writeAll(io.stdout, [doc.toString({ lineWidth: 0 })]);
}

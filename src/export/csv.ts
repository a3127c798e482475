/** RFC 4180 field: quoted when it holds a comma, quote or line break; CRLF between records. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header row taken from the first row's keys (or the given columns). */
export function* csvChunks(rows: Iterable<Record<string, unknown>>, columns?: string[]): Iterable<string> {
  let cols = columns;
  if (cols) yield `${cols.map(csvField).join(',')}\r\n`;
  for (const row of rows) {
    if (!cols) {
      cols = Object.keys(row);
      yield `${cols.map(csvField).join(',')}\r\n`;
    }
    yield `${cols.map((c) => csvField(row[c])).join(',')}\r\n`;
  }
}

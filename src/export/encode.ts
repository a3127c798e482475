/**
 * Rows turned into text one at a time, whether they come from a cursor (a sync iterable) or
 * from another process (an async one): the format lives in the encoder, once.
 */
export interface RowEncoder<T> {
  row(r: T): string;
  /** What closes the stream (a "]"), possibly nothing. */
  end(): string;
}

export type Rows<T> = Iterable<T> | AsyncIterable<T>;

export function isAsync<T>(rows: Rows<T>): rows is AsyncIterable<T> {
  return Symbol.asyncIterator in rows;
}

export function* encodeRows<T>(rows: Iterable<T>, encoder: RowEncoder<T>): Iterable<string> {
  for (const r of rows) yield encoder.row(r);
  const end = encoder.end();
  if (end) yield end;
}

async function* encodeAsyncRows<T>(rows: AsyncIterable<T>, encoder: RowEncoder<T>): AsyncIterable<string> {
  for await (const r of rows) yield encoder.row(r);
  const end = encoder.end();
  if (end) yield end;
}

/** The chunks of rows of either kind, of the same kind. */
export function encoded<T>(rows: Rows<T>, encoder: RowEncoder<T>): Iterable<string> | AsyncIterable<string> {
  return isAsync(rows) ? encodeAsyncRows(rows, encoder) : encodeRows(rows, encoder);
}

export function mapRows<T, U>(rows: Rows<T>, f: (r: T) => U): Rows<U> {
  if (isAsync(rows)) {
    return (async function* map() {
      for await (const r of rows) yield f(r);
    })();
  }
  return (function* map() {
    for (const r of rows) yield f(r);
  })();
}

export async function collect<T>(rows: Rows<T>): Promise<T[]> {
  if (!isAsync(rows)) return [...rows];
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

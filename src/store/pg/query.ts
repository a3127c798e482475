import type pg from 'pg';
import { TimeoutError, UsageError } from '../../errors.js';
import { archiveError, type Archive } from '../archive.js';
import type { QueryResult } from '../query-process.js';
import type { PgDb } from './db.js';

const FETCH_ROWS = 500;

/** Errors that mean the statement would write, or is not a query at all. */
const WRITES = new Set(['25006', '0A000', '42501']);

/** bytea as PostgreSQL writes it (\x…): rows stay plain values, shown the same in every format. */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(row)) if (Buffer.isBuffer(v)) row[k] = `\\x${v.toString('hex')}`;
  return row;
}

/**
 * One user query on a PostgreSQL archive, read-only three times over: a connection that refuses
 * writes, a READ ONLY transaction, and a cursor (DECLARE … CURSOR FOR takes one SELECT, VALUES
 * or TABLE, and no data-modifying WITH). statement_timeout stops a statement running past the
 * time left; rows stream from the cursor as the reader takes them.
 */
export async function readOnlyQuery(archive: Archive, text: string, options: { timeoutMs: number; what: string }): Promise<QueryResult> {
  const started = Date.now();
  const sqlText = text.trim().replace(/;\s*$/, '');
  const client = await (archive.db as PgDb).pool.connect();
  const left = (): number => (options.timeoutMs > 0 ? Math.max(1, options.timeoutMs - (Date.now() - started)) : 0);
  const failure = (err: unknown): unknown => {
    const code = (err as { code?: string }).code ?? '';
    if (code === '57014') return new TimeoutError(options.what, `stopped after ${options.timeoutMs / 1000} s (--timeout); narrow the query, or allow it longer (--timeout 0: no limit)`);
    if (WRITES.has(code) || (code === '42601' && !/^\s*(?:SELECT|WITH|VALUES|TABLE|\()/i.test(sqlText))) {
      return new UsageError('only queries that read are allowed (SELECT, WITH … SELECT, VALUES, TABLE)', options.what);
    }
    if (/^[0-9A-Z]{5}$/.test(code) && !/^(?:08|28|3D|53|57P)/.test(code)) return new UsageError((err as Error).message, options.what);
    return archiveError(archive.path, err);
  };
  const fetch = async (): Promise<pg.QueryResult> => {
    await client.query(`SET LOCAL statement_timeout = ${left()}`);
    return client.query({ text: `FETCH ${FETCH_ROWS} FROM livearchive_sql`, rowMode: 'array' });
  };
  const end = async (): Promise<void> => {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  };
  let first: pg.QueryResult;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${left()}`);
    await client.query(`DECLARE livearchive_sql NO SCROLL CURSOR FOR ${sqlText}`);
    first = await fetch();
  } catch (err) {
    await end();
    throw failure(err);
  }
  const columns = first.fields.map((f) => f.name);
  const toRow = (values: unknown[]): Record<string, unknown> => plain(Object.fromEntries(columns.map((c, i) => [c, values[i]])));
  async function* rows(): AsyncIterable<Record<string, unknown>> {
    try {
      let batch = first;
      for (;;) {
        for (const r of batch.rows as unknown[][]) yield toRow(r);
        if (batch.rows.length < FETCH_ROWS) return;
        if (options.timeoutMs > 0 && Date.now() - started >= options.timeoutMs) throw failure({ code: '57014' });
        try {
          batch = await fetch();
        } catch (err) {
          throw failure(err);
        }
      }
    } finally {
      await end();
    }
  }
  return { columns, rows: rows() };
}

import pg from 'pg';
import { numbered, values, type Db, type Params, type Sql, type TransactionOptions } from '../db.js';

/** Rows a cursor fetches at a time: few round trips, little memory. */
const FETCH_ROWS = 500;
/** How often a transaction that lost a conflict with another writer is run again. */
const RETRIES = 8;
/**
 * What another writer's transaction can make this one lose, and running it again mends: a
 * serialization failure, a deadlock, and a shared row (a contributor, a media reference) that was
 * added or dropped by another writer between this one's look-up and its insert.
 */
const RETRYABLE = new Set(['40001', '40P01', '23505', '23503']);

type Queryable = pg.Pool | pg.PoolClient;

const INT8 = 20;
const TIMESTAMPTZ = 1184;
const TIMESTAMPTZ_ARRAY = 1185;

/**
 * How values come back: bigint ids and counts as numbers (an archive holds far fewer than 2^53
 * rows), times as ISO-8601 UTC strings with milliseconds — what a SQLite archive stores — so that
 * every reader sees the same values whatever the backend.
 */
export const TYPES = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === INT8) return Number;
    if (oid === TIMESTAMPTZ) {
      const parse = pg.types.getTypeParser(TIMESTAMPTZ) as (v: string) => Date;
      return (v) => parse(v).toISOString();
    }
    if (oid === TIMESTAMPTZ_ARRAY) {
      const parse = pg.types.getTypeParser(TIMESTAMPTZ_ARRAY as number) as (v: string) => Array<Date | null>;
      return (v) => parse(v).map((d) => d?.toISOString() ?? null);
    }
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

const texts = new Map<number, { text: string; names: string[] | null }>();

function prepared(s: Sql, params: Params | undefined): pg.QueryConfig {
  let t = texts.get(s.id);
  if (!t) {
    t = numbered(s.for('postgres'));
    texts.set(s.id, t);
  }
  // Named: PostgreSQL parses and plans it once per connection.
  return { name: `livearchive_${s.id}`, text: t.text, values: values(t, params) };
}

let cursors = 0;

/** The Db of a PostgreSQL archive: a pool of connections, or one connection inside a transaction. */
export class PgDb implements Db {
  readonly backend = 'postgres' as const;

  constructor(private readonly on: Queryable, readonly pool: pg.Pool, private readonly inTransaction = false) {}

  async get<T>(s: Sql, params?: Params): Promise<T | undefined> {
    return (await this.on.query(prepared(s, params))).rows[0] as T | undefined;
  }

  async all<T>(s: Sql, params?: Params): Promise<T[]> {
    return (await this.on.query(prepared(s, params))).rows as T[];
  }

  async run(s: Sql, params?: Params): Promise<number> {
    return (await this.on.query(prepared(s, params))).rowCount ?? 0;
  }

  async query<T>(text: string, params?: Params): Promise<T[]> {
    const t = numbered(text);
    return (await this.on.query(t.text, values(t, params))).rows as T[];
  }

  /**
   * A cursor (DECLARE … FETCH) inside a transaction on a connection of its own, so that the
   * reader may run other statements between rows; inside a transaction, on its connection.
   */
  async *iterate<T>(s: Sql, params?: Params): AsyncIterable<T> {
    const client = this.inTransaction ? this.on as pg.PoolClient : await this.pool.connect();
    const name = `livearchive_cursor_${++cursors}`;
    const t = numbered(s.for('postgres'));
    let done = false;
    try {
      if (!this.inTransaction) await client.query('BEGIN READ ONLY');
      await client.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${t.text}`, values(t, params));
      for (;;) {
        const batch = await client.query(`FETCH ${FETCH_ROWS} FROM ${name}`);
        yield* batch.rows as T[];
        if (batch.rows.length < FETCH_ROWS) break;
      }
      await client.query(`CLOSE ${name}`);
      if (!this.inTransaction) await client.query('COMMIT');
      done = true;
    } finally {
      if (!this.inTransaction) {
        // A reader that stopped early (or failed) leaves the transaction to be rolled back.
        if (!done) await client.query('ROLLBACK').catch(() => undefined);
        client.release();
      }
    }
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.inTransaction) return fn(this);
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        // Writers of one page, on any machine, one after the other (released at COMMIT/ROLLBACK).
        if (options.lock) await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [options.lock]);
        const result = await fn(new PgDb(client, this.pool, true));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        const code = (err as { code?: string }).code ?? '';
        if (!RETRYABLE.has(code) || attempt >= RETRIES) throw err;
      } finally {
        client.release(broken);
      }
      // Another writer won: wait a little (longer each time, and not in step with it), then again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

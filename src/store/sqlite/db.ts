import type { Database, Statement } from 'better-sqlite3';
import type { Db, Params, Sql, TransactionOptions } from '../db.js';

function bind(params: Params | undefined): unknown[] {
  if (params === undefined) return [];
  return Array.isArray(params) ? params : [params];
}

/**
 * The Db of a SQLite archive: better-sqlite3's synchronous calls, each statement prepared once
 * per connection. Every promise is settled when it is returned, so a caller's await costs a
 * microtask, not a trip through the event loop (bench/ingest.js measures it).
 */
export class SqliteDb implements Db {
  readonly backend = 'sqlite' as const;
  private readonly prepared = new Map<number, Statement>();
  private depth = 0;
  /** Transactions of one connection, one after the other: their statements must not interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly raw: Database) {}

  private stmt(s: Sql): Statement {
    let p = this.prepared.get(s.id);
    if (!p) {
      p = this.raw.prepare(s.for('sqlite'));
      this.prepared.set(s.id, p);
    }
    return p;
  }

  async get<T>(s: Sql, params?: Params): Promise<T | undefined> {
    return this.stmt(s).get(...bind(params)) as T | undefined;
  }

  async all<T>(s: Sql, params?: Params): Promise<T[]> {
    return this.stmt(s).all(...bind(params)) as T[];
  }

  async run(s: Sql, params?: Params): Promise<number> {
    return this.stmt(s).run(...bind(params)).changes;
  }

  async *iterate<T>(s: Sql, params?: Params): AsyncIterable<T> {
    // A statement of its own: the shared one may be iterated by another reader at the same time.
    yield* this.raw.prepare(s.for('sqlite')).iterate(...bind(params)) as Iterable<T>;
  }

  async query<T>(text: string, params?: Params): Promise<T[]> {
    const stmt = this.raw.prepare(text);
    if (stmt.reader) return stmt.all(...bind(params)) as T[];
    stmt.run(...bind(params));
    return [];
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>, _options?: TransactionOptions): Promise<T> {
    if (this.depth > 0) return fn(this);
    const turn = this.queue.then(async () => {
      // IMMEDIATE: the write lock at once (waiting up to busy_timeout), so the checks made at the
      // start still hold when the transaction writes.
      this.raw.exec('BEGIN IMMEDIATE');
      this.depth++;
      try {
        const result = await fn(this);
        this.raw.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
        throw err;
      } finally {
        this.depth--;
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

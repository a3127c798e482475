/**
 * The one interface the store speaks to a database through, whichever backend holds the archive:
 * SQLite (better-sqlite3, synchronous underneath: each promise is already settled when returned)
 * or PostgreSQL (node-postgres, a pool of connections). Statements are written once, as module
 * constants, with named (@name) or positional (?) parameters; a statement whose SQL must differ
 * between the backends gives both texts side by side, or builds its text from the dialect's few
 * differing words (see Dialect).
 */
export type Backend = 'sqlite' | 'postgres';

export type Params = Record<string, unknown> | unknown[];

/** The words that differ between the backends in otherwise shared SQL. */
export interface Dialect {
  backend: Backend;
  /** Case-insensitive LIKE (SQLite's LIKE already is, for ASCII). */
  ilike: string;
  /** Appended to a text column in ORDER BY: PostgreSQL sorts by the database's collation, SQLite by code point. */
  bytewise: string;
  /** The earlier of two times, either of which may be NULL (SQLite's two-argument MIN is NULL if either is). */
  earlier(a: string, b: string): string;
  /**
   * A parameter given its type: PostgreSQL cannot always infer one (`@x IS NULL` inside a cursor's
   * DECLARE); SQLite needs none.
   */
  typed(param: string, type: 'text' | 'timestamptz' | 'bigint'): string;
}

export const DIALECTS: Record<Backend, Dialect> = {
  sqlite: { backend: 'sqlite', ilike: 'LIKE', bytewise: '', earlier: (a, b) => `COALESCE(MIN(${a}, ${b}), ${a}, ${b})`, typed: (p) => p },
  postgres: { backend: 'postgres', ilike: 'ILIKE', bytewise: ' COLLATE "C"', earlier: (a, b) => `LEAST(${a}, ${b})`, typed: (p, type) => `${p}::${type}` },
};

type Text = string | { sqlite: string; postgres: string } | ((d: Dialect) => string);

/** A named statement; each backend prepares it once per connection, on first use. */
export class Sql {
  private static count = 0;
  readonly id = ++Sql.count;
  private readonly texts = new Map<Backend, string>();
  constructor(private readonly text: Text) {}

  for(backend: Backend): string {
    let t = this.texts.get(backend);
    if (t === undefined) {
      t = typeof this.text === 'string' ? this.text : typeof this.text === 'function' ? this.text(DIALECTS[backend]) : this.text[backend];
      this.texts.set(backend, t);
    }
    return t;
  }
}

export function sql(text: Text): Sql {
  return new Sql(text);
}

export interface TransactionOptions {
  /**
   * Writers holding the same key wait for each other (PostgreSQL: an advisory lock held until
   * the transaction ends; SQLite needs none, its writers are one at a time already).
   */
  lock?: string;
}

export interface Db {
  readonly backend: Backend;
  get<T>(s: Sql, params?: Params): Promise<T | undefined>;
  all<T>(s: Sql, params?: Params): Promise<T[]>;
  /** A statement that returns no rows; resolves to the number of rows it changed. */
  run(s: Sql, params?: Params): Promise<number>;
  /** Rows one at a time, as the database produces them (a cursor): memory stays flat. */
  iterate<T>(s: Sql, params?: Params): AsyncIterable<T>;
  /**
   * Everything fn does on the Db it is given commits together, or nothing does. A PostgreSQL
   * transaction that loses a deadlock or a serialization conflict to another writer is run again
   * from the start (fn must be safe to re-run); inside a transaction, transaction() runs fn in it.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** SQL made at run time (copying tables, tests): prepared for this one call. */
  query<T>(text: string, params?: Params): Promise<T[]>;
}

/**
 * A statement's text with its @name and ? parameters as PostgreSQL's $1, $2 …, and the order in
 * which the values go: names for named parameters, or a count for positional ones. Quoted text,
 * quoted names, comments and operators made of @ (@@, @>) are left alone.
 */
export function numbered(text: string): { text: string; names: string[] | null; count: number } {
  const names: string[] = [];
  let count = 0;
  let out = '';
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const stop = end < 0 ? text.length : end + 1;
      out += text.slice(i, stop);
      i = stop;
      // A doubled quote inside continues the same literal: the loop takes it as a new one.
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '?') {
      out += `$${++count}`;
      i++;
    } else if (c === '@' && text[i - 1] !== '@' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      const name = /^[A-Za-z_]\w*/.exec(text.slice(i + 1))![0];
      let k = names.indexOf(name);
      if (k < 0) k = names.push(name) - 1;
      out += `$${k + 1}`;
      i += name.length + 1;
    } else {
      out += c;
      i++;
    }
  }
  if (names.length > 0 && count > 0) throw new Error('a statement takes named or positional parameters, not both');
  return { text: out, names: names.length > 0 ? names : null, count };
}

/** Values in the order numbered() gave their parameters. */
export function values(order: { names: string[] | null }, params: Params | undefined): unknown[] {
  if (params === undefined) return [];
  if (Array.isArray(params)) return params;
  return order.names ? order.names.map((n) => params[n] ?? null) : [];
}

import { fork } from 'node:child_process';
import { UsageError, TimeoutError } from '../errors.js';
import { archiveError, type Archive } from './archive.js';

const CHILD = new URL('./query-child.js', import.meta.url);
/** Rows per message: large enough that the pipe is not the cost, small enough to stream. */
const BATCH_ROWS = 500;

export interface QueryOptions {
  /** Stop the statement after this long; 0 means no limit. */
  timeoutMs: number;
  /** Statements refused even though SQLite calls them read-only (ATTACH, VACUUM …). */
  forbidden?: RegExp;
  /** The subject of its errors: the query as the user gave it (querySubject). */
  what: string;
}

export interface QueryResult {
  columns: string[];
  /** Streamed from the child, a batch at a time; the statement stops if the reader stops. */
  rows: AsyncIterable<Record<string, unknown>>;
}

type Message =
  | { columns: string[] }
  | { rows: Array<Record<string, unknown>>; done?: boolean }
  | { error: 'open' | 'sql' | 'write'; message?: string; code?: string };

/** A query as errors name it: `sql "SELECT …"`, on one line, cut short past 60 characters. */
export function querySubject(text: string): string {
  const chars = [...text.trim().replace(/\s+/g, ' ')];
  return `sql "${chars.length > 60 ? `${chars.slice(0, 59).join('').trimEnd()}…` : chars.join('')}"`;
}

/**
 * One read-only statement in a child process on its own connection to the archive, killed when
 * its time is up: better-sqlite3 runs a statement to its end on the thread that started it, and
 * a worker thread stuck in SQLite cannot be stopped (it keeps the process from exiting, too).
 */
export async function queryInChild(archive: Archive, sql: string, params: Record<string, unknown> | undefined, options: QueryOptions): Promise<QueryResult> {
  const child = fork(CHILD, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const inbox: Message[] = [];
  let wake: (() => void) | null = null;
  let timedOut = false;
  let exited = false;
  let stderr = '';
  const poke = (): void => {
    wake?.();
    wake = null;
  };
  child.on('message', (m) => {
    inbox.push(m as Message);
    poke();
  });
  const gone = new Promise<void>((resolve) => child.on('exit', () => {
    exited = true;
    poke();
    resolve();
  }));
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 2000) stderr += d.toString();
  });
  const timer = options.timeoutMs > 0 ? setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
    poke();
  }, options.timeoutMs) : null;
  // A parent that exits early (a reader that stopped: `| head`) takes the child with it; a
  // child busy inside SQLite would not notice the closed channel.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  /** Ends the child, and waits until it is gone: nothing outlives the query. */
  const stop = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    process.off('exit', killOnExit);
    if (!exited) child.kill('SIGKILL');
    await gone;
  };

  async function next(): Promise<Message> {
    for (;;) {
      const m = inbox.shift();
      if (m) return m;
      if (timedOut) {
        throw new TimeoutError(options.what, `stopped after ${options.timeoutMs / 1000} s (--timeout); narrow the query, or allow it longer (--timeout 0: no limit)`);
      }
      if (exited) throw new Error(`the query process ended unexpectedly${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }

  function failure(m: Extract<Message, { error: string }>): Error {
    if (m.error === 'write') return new UsageError('only queries that read are allowed (SELECT, WITH … SELECT, read-only PRAGMAs)', options.what);
    if (m.error === 'open') return archiveError(archive.path, Object.assign(new Error(m.message), { code: m.code })) as Error;
    return new UsageError(m.message ?? 'the query failed', options.what);
  }

  child.send({ location: archive.location, sql, params, forbidden: options.forbidden?.source, batchRows: BATCH_ROWS });
  let first: Message;
  try {
    first = await next();
  } catch (err) {
    await stop();
    throw err;
  }
  if ('error' in first) {
    await stop();
    throw failure(first);
  }
  if (!('columns' in first)) {
    await stop();
    throw new Error('the query process answered out of order');
  }
  async function* rows(): AsyncIterable<Record<string, unknown>> {
    try {
      for (;;) {
        const m = await next();
        if ('error' in m) throw failure(m);
        if (!('rows' in m)) throw new Error('the query process answered out of order');
        yield* m.rows;
        if (m.done) return;
        child.send('more');
      }
    } finally {
      await stop();
    }
  }
  return { columns: first.columns, rows: rows() };
}

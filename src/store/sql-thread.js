// The worker side of src/store/query-thread.ts: runs one read-only statement on its own
// connection and hands the rows over in batches, so that the main thread can stop it when its
// time is up (better-sqlite3 cannot interrupt a statement from the thread that runs it).
// Plain JavaScript: a worker is started from a file, and the tests run the TypeScript sources.

import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { location, sql, params, port, state, batchRows, forbidden } = workerData;
/** Batches handed over and not yet taken: the worker waits beyond this many (backpressure). */
const AHEAD = 4;
const PRODUCED = 0;
const CONSUMED = 1;

function send(message) {
  port.postMessage(message);
  Atomics.add(state, PRODUCED, 1);
  Atomics.notify(state, PRODUCED);
  while (Atomics.load(state, PRODUCED) - Atomics.load(state, CONSUMED) >= AHEAD) {
    Atomics.wait(state, CONSUMED, Atomics.load(state, CONSUMED));
  }
}

/** Blobs shown as SQL hex literals: rows stay plain values across the thread boundary and in every format. */
function plain(row) {
  for (const [k, v] of Object.entries(row)) if (v instanceof Uint8Array) row[k] = `x'${Buffer.from(v).toString('hex')}'`;
  return row;
}

/** The statement's outcome, sent as messages: its columns, batches of rows, or an error. */
function run(db) {
  let stmt;
  try {
    stmt = db.prepare(sql);
  } catch (err) {
    return send({ error: 'sql', message: err.message });
  }
  if (!stmt.reader || !stmt.readonly || (forbidden && new RegExp(forbidden, 'i').test(sql))) return send({ error: 'write' });
  send({ columns: stmt.columns().map((c) => c.name) });
  let batch = [];
  try {
    for (const row of params === undefined ? stmt.iterate() : stmt.iterate(params)) {
      batch.push(plain(row));
      if (batch.length >= batchRows) {
        send({ rows: batch });
        batch = [];
      }
    }
  } catch (err) {
    return send({ error: 'sql', message: err.message });
  }
  return send({ rows: batch, done: true });
}

let db;
try {
  db = new Database(location, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 30000');
  run(db);
} catch (err) {
  send({ error: 'open', message: err.message, code: err.code });
} finally {
  db?.close();
}

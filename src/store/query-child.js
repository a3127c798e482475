// The child side of src/store/query-process.ts: runs one read-only statement on its own
// connection and sends the rows back in batches, one batch ahead of the reader. It is a
// process, not a thread, so that a statement running past its time can be killed: a worker
// thread busy inside SQLite ignores termination (better-sqlite3 cannot interrupt a statement).
// Plain JavaScript, so that the tests (which run the TypeScript sources) can start it too.

import Database from 'better-sqlite3';

function send(message) {
  return new Promise((resolve, reject) => process.send(message, (err) => (err ? reject(err) : resolve())));
}

/** The parent asks for each batch after the first: rows never pile up in the pipe. */
function more() {
  return new Promise((resolve) => process.once('message', resolve));
}

/** Blobs as SQL hex literals: rows stay plain values, shown the same in every format. */
function plain(row) {
  for (const [k, v] of Object.entries(row)) if (v instanceof Uint8Array) row[k] = `x'${Buffer.from(v).toString('hex')}'`;
  return row;
}

async function run({ location, sql, params, forbidden, batchRows }) {
  let db;
  try {
    db = new Database(location, { readonly: true, fileMustExist: true });
  } catch (err) {
    return send({ error: 'open', message: err.message, code: err.code });
  }
  db.pragma('busy_timeout = 30000');
  let stmt;
  try {
    stmt = db.prepare(sql);
  } catch (err) {
    return send({ error: 'sql', message: err.message });
  }
  if (!stmt.reader || !stmt.readonly || (forbidden && new RegExp(forbidden, 'i').test(sql))) return send({ error: 'write' });
  await send({ columns: stmt.columns().map((c) => c.name) });
  let batch = [];
  try {
    for (const row of params === undefined ? stmt.iterate() : stmt.iterate(params)) {
      batch.push(plain(row));
      if (batch.length >= batchRows) {
        await send({ rows: batch });
        batch = [];
        await more();
      }
    }
  } catch (err) {
    return send({ error: 'sql', message: err.message });
  }
  return send({ rows: batch, done: true });
}

process.once('message', (job) => {
  run(job).finally(() => process.disconnect());
});

// Many writers, one archive: N `livearchive ingest` processes at once, each given every real page
// (../shared corpus and seeds, saved as files timed by their mtime) in its own order, into one new
// archive — a PostgreSQL database and a SQLite file — then one writer alone for comparison.
// Reports wall time, what each run stored, failures, and duplicate captures (must be 0).
//
//   node bench/writers.js --pg postgres://user@127.0.0.1:5432/db [--writers 8]

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { listPages, repoRoot } from './common.js';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const url = arg('--pg') ?? process.env['LIVEARCHIVE_TEST_PG'];
if (!url) throw new Error('give --pg postgres://… (or set LIVEARCHIVE_TEST_PG)');
const writers = Number(arg('--writers') ?? 8);
const bin = join(repoRoot, 'bin/livearchive.js');

const dir = mkdtempSync(join(tmpdir(), 'livearchive-writers-'));
const files = listPages({ data: false }).map((page) => {
  const file = join(dir, basename(page.file).replace(/\.gz$/, ''));
  writeFileSync(file, page.bytes);
  utimesSync(file, page.capturedAt, page.capturedAt);
  return file;
});

function ingest(order, db) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'ingest', ...order, '--json', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

async function run(db, n) {
  const orders = Array.from({ length: n }, (_, w) => {
    const rotated = files.map((_, i) => files[(i + w * 3) % files.length]);
    return w % 2 ? rotated.reverse() : rotated;
  });
  const t0 = performance.now();
  const runs = await Promise.all(orders.map((o) => ingest(o, db)));
  const seconds = (performance.now() - t0) / 1000;
  const results = runs.flatMap((r) => (r.out ? JSON.parse(r.out).results : []));
  const duplicates = JSON.parse(execFileSync(process.execPath, [bin, 'sql', 'SELECT COUNT(*) AS n FROM (SELECT 1 FROM snapshots GROUP BY page_id, sha256, captured_at HAVING COUNT(*) > 1) d', '--db', db], { encoding: 'utf8' }))[0].n;
  return {
    seconds, failedRuns: runs.filter((r) => r.code !== 0).length, errors: runs.map((r) => r.err).filter(Boolean),
    stored: results.filter((r) => r.status === 'new').length, unchanged: results.filter((r) => r.status === 'unchanged').length, duplicates,
  };
}

const admin = new pg.Client({ connectionString: url });
await admin.connect();
const rows = [];
try {
  for (const [label, n] of [[`${writers} writers at once`, writers], ['1 writer', 1]]) {
    const schema = `writers_${Date.now()}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    const pgUrl = new URL(url);
    pgUrl.searchParams.set('options', `-c search_path=${schema}`);
    rows.push([label, 'PostgreSQL', await run(pgUrl.href, n)]);
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    const file = join(dir, `${schema}.db`);
    rows.push([label, 'SQLite', await run(file, n)]);
  }
} finally {
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`${files.length} captures (every real page), each given to every writer in another order.\n`);
console.log('| run | archive | wall s | captures stored | reported unchanged | failed runs | duplicate captures |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const [label, backend, r] of rows) {
  console.log(`| ${label} | ${backend} | ${r.seconds.toFixed(1)} | ${r.stored} | ${r.unchanged} | ${r.failedRuns} | ${r.duplicates} |`);
}
for (const [label, backend, r] of rows) for (const e of r.errors) console.log(`\n${label}, ${backend}: ${e.trim()}`);

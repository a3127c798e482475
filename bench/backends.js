// SQLite and PostgreSQL side by side at scale: the same generated archive (bench/scale.js: 100,000
// posts by default) built, searched, listed and exported on each backend, one after the other.
//
//   node bench/backends.js --pg postgres://user@127.0.0.1:5432/db [--posts 100000]
//
// The PostgreSQL archive is built in a new schema of that database (dropped afterwards). The
// server is whatever the URL names: figures for a server on the same machine say what the
// client and protocol cost, not what a network adds.

import pg from 'pg';
import { mb, ms, num, quantile } from './common.js';
import { scaleRun, scaleTable, supported } from './scale.js';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const url = arg('--pg') ?? process.env['LIVEARCHIVE_TEST_PG'];
if (!url) throw new Error('give --pg postgres://… (or set LIVEARCHIVE_TEST_PG)');
const posts = Number(arg('--posts') ?? 100_000);

const schema = `bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
const version = (await admin.query('SHOW server_version')).rows[0].server_version;
const pgUrl = new URL(url);
pgUrl.searchParams.set('options', `-c search_path=${schema}`);

const runs = {};
try {
  for (const [name, db] of [['SQLite', undefined], ['PostgreSQL', pgUrl.href]]) {
    process.stderr.write(`${name}:\n`);
    runs[name] = await scaleRun({ posts, ...(db ? { db } : {}) });
  }
} finally {
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}

const searchStat = (r, mode, kinds, backend) => {
  const qs = r.built.queries;
  const xs = qs.flatMap(([k], i) => (kinds.includes(k) && supported(backend, k) ? r.measured.search[mode].times[i] : []));
  return `${ms(quantile(xs, 0.5))} / ${ms(quantile(xs, 0.95))}`;
};
const row = (label, f) => `| ${label} | ${f(runs.SQLite, 'sqlite')} | ${f(runs.PostgreSQL, 'postgres')} |`;
const out = [
  `PostgreSQL ${version} on the same machine (127.0.0.1), default settings but fsync off (the test cluster); SQLite in WAL mode, synchronous NORMAL.`,
  '',
  '| 100,000-post archive | SQLite | PostgreSQL |',
  '| --- | ---: | ---: |',
  row('build: ingest of every capture (store only, pages pre-parsed)', (r) => `${r.built.seconds.toFixed(0)} s, ${num(r.built.posts / r.built.seconds)} posts/s`),
  row('size (tables and indexes)', (r) => `${mb(r.built.fileBytes)} MB`),
  row('search newest first, 40 queries: p50 / p95 ms', (r, b) => searchStat(r, 'recent', ['rare', 'common', 'phrase', 'filtered'], b)),
  row('search `--rank`, 40 queries: p50 / p95 ms', (r, b) => searchStat(r, 'rank', ['rare', 'common', 'phrase', 'filtered'], b)),
  row('— common words, newest first', (r, b) => searchStat(r, 'recent', ['common'], b)),
  row('— common words, `--rank`', (r, b) => searchStat(r, 'rank', ['common'], b)),
  row('— rare words, newest first', (r, b) => searchStat(r, 'recent', ['rare'], b)),
  row('— with a filter, newest first', (r, b) => searchStat(r, 'recent', ['filtered'], b)),
  row('search via the CLI, whole process: p50 ms', (r) => ms(quantile(r.measured.cli.map((c) => c.ms), 0.5))),
  row('`posts` of a 200-post page: p50 ms', (r) => ms(quantile(r.measured.postsTimes, 0.5))),
  row('export NDJSON, whole archive', (r) => `${r.exported.seconds.toFixed(1)} s, ${num(r.exported.lines / r.exported.seconds)} posts/s`),
  '',
  'Prefix queries (`word*`) are FTS5 syntax, which websearch_to_tsquery does not read: left out of the comparison.',
];
console.log(out.join('\n'));
for (const [name, r] of Object.entries(runs)) console.log(`\n### ${name}\n\n${scaleTable(r)}`);

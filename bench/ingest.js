// First ingest and unchanged re-ingest of every page, in-process; and CLI start-up, measured
// with hyperfine (wall time of the whole process, as cron and shells see it).
//
//   node bench/ingest.js [--runs N] [--lib path/to/dist/index.js] [--bin path/to/bin/livearchive.js]

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPages, loadLibrary, median, ms, repoRoot, seedsDir } from './common.js';

export async function ingestTimes({ runs = 5, lib } = {}) {
  const { openArchive, ingestCapture } = lib ?? await loadLibrary();
  const dir = mkdtempSync(join(tmpdir(), 'livearchive-bench-'));
  const rows = [];
  for (const page of listPages()) {
    const capture = { source: page.file, origin: 'file', bytes: page.bytes, capturedAt: page.capturedAt, capturedAtSource: 'option' };
    const first = [];
    const again = [];
    for (let i = 0; i < runs + 1; i++) {
      const db = join(dir, `${i}.db`);
      const archive = await openArchive(db);
      let t0 = performance.now();
      await ingestCapture(archive, capture);
      const t1 = performance.now() - t0;
      t0 = performance.now();
      const r = await ingestCapture(archive, capture);
      const t2 = performance.now() - t0;
      await archive.close();
      rmSync(db, { force: true });
      rmSync(`${db}-wal`, { force: true });
      rmSync(`${db}-shm`, { force: true });
      if (r.status !== 'unchanged') throw new Error(`${page.label}: second ingest was ${r.status}`);
      if (i === 0) continue; // warm-up
      first.push(t1);
      again.push(t2);
    }
    rows.push({ page, first: median(first), again: median(again) });
    process.stderr.write(`  ${page.label}: first ${ms(median(first))} ms, unchanged ${ms(median(again))} ms\n`);
  }
  rmSync(dir, { recursive: true, force: true });
  return rows;
}

export function ingestTable(rows) {
  const out = ['| page | bytes | first ingest ms | unchanged re-ingest ms | unchanged ÷ first |', '| --- | ---: | ---: | ---: | ---: |'];
  let f = 0, a = 0;
  for (const r of rows) {
    f += r.first;
    a += r.again;
    out.push(`| ${r.page.label} | ${r.page.bytes.length.toLocaleString('en-US')} | ${ms(r.first)} | ${ms(r.again)} | ${((100 * r.again) / r.first).toFixed(1)} % |`);
  }
  const pct = rows.map((r) => (100 * r.again) / r.first);
  out.push(`| **total (${rows.length})** | | ${ms(f)} | ${ms(a)} | ${((100 * a) / f).toFixed(1)} % |`);
  out.push('');
  out.push(`Unchanged ÷ first, per page: ${Math.min(...pct).toFixed(1)}–${Math.max(...pct).toFixed(1)} % (median ${median(pct).toFixed(1)} %; goal ≤ 2 %). In-process (\`ingestCapture\`), archive open; a fresh archive per run.`);
  return out.join('\n');
}

/** Wall time of CLI commands, by hyperfine when installed, else by timing spawns. */
export function startupTimes({ bin = join(repoRoot, 'bin/livearchive.js'), runs = 20 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'livearchive-bench-'));
  const page = join(dir, 'page.html');
  copyFileSync(join(seedsDir, 'cnn-live-2025-11-25-B.html'), page);
  const db = join(dir, 'a.db');
  execFileSync(process.execPath, [bin, 'ingest', page, '--db', db, '--quiet']);
  const commands = [
    ['node -e 0 (Node itself)', `${process.execPath} -e 0`],
    ['livearchive --version', `${process.execPath} ${bin} --version`],
    ['livearchive --help', `${process.execPath} ${bin} --help`],
    ['livearchive ingest <unchanged file>', `${process.execPath} ${bin} ingest ${page} --db ${db}`],
    ['livearchive search Ukraine (small archive)', `${process.execPath} ${bin} search Ukraine --db ${db} --json`],
  ];
  const rows = [];
  const hyperfine = spawnSync('hyperfine', ['--version']).status === 0;
  for (const [label, cmd] of commands) {
    if (hyperfine) {
      const json = join(dir, 'h.json');
      execFileSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', json, cmd], { stdio: 'ignore' });
      const r = JSON.parse(readFileSync(json, 'utf8')).results[0];
      rows.push({ label, median: r.median * 1000, mean: r.mean * 1000, user: r.user * 1000 });
    } else {
      const times = [];
      const [exe, ...args] = cmd.split(' ');
      for (let i = 0; i < runs + 3; i++) {
        const t0 = performance.now();
        spawnSync(exe, args);
        if (i >= 3) times.push(performance.now() - t0);
      }
      rows.push({ label, median: median(times), mean: NaN, user: NaN });
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return { rows, tool: hyperfine ? 'hyperfine -N' : 'spawn timing' };
}

export function startupTable({ rows, tool }) {
  const out = ['| command | median ms | mean ms | user CPU ms |', '| --- | ---: | ---: | ---: |'];
  for (const r of rows) out.push(`| \`${r.label}\` | ${ms(r.median)} | ${Number.isNaN(r.mean) ? '' : ms(r.mean)} | ${Number.isNaN(r.user) ? '' : ms(r.user)} |`);
  out.push('');
  out.push(`Wall time of the whole process (${tool}); goals: \`--version\` ≤ 100 ms, unchanged ingest ≤ 150 ms.`);
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const lib = arg('--lib') ? await loadLibrary(arg('--lib')) : undefined;
  console.log(ingestTable(await ingestTimes({ runs: Number(arg('--runs') ?? 5), lib })));
  console.log('');
  console.log(startupTable(startupTimes({ ...(arg('--bin') ? { bin: arg('--bin') } : {}) })));
}

#!/usr/bin/env node
// The fuzzer at scale: the same seeded mutations as test/fuzz (same engine), on many more pages.
// Reports internal errors, impossible dates made real, unsafe URLs, and the time each parse took
// (slowest pages, how many over 10 s) and the peak memory. Figures go in BENCHMARKS.md.
//
//   npm run build && node bench/fuzz.js                  # 100,000 pages, one process per core
//   node bench/fuzz.js --pages 5000 --seed 7 --jobs 1
//
// Needs a built dist/.

import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LiveArchiveError } from '../dist/errors.js';
import { parsePage } from '../dist/parse/index.js';
import { cases, check, mutate, seedPages } from '../test/fuzz/mutators.js';

function args(argv) {
  const o = { pages: 100_000, seed: 20261203, jobs: availableParallelism(), part: null };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--pages') o.pages = Number(v);
    else if (argv[i] === '--seed') o.seed = Number(v);
    else if (argv[i] === '--jobs') o.jobs = Number(v);
    else if (argv[i] === '--part') o.part = Number(v);
    else continue;
    i++;
  }
  return o;
}

const isInputError = (e) => e instanceof LiveArchiveError && e.code === 'E_INPUT';

/** One share of the cases (every jobs-th), parsed in this process. */
function runPart(o) {
  const pages = seedPages();
  const originals = new Map();
  const out = { parsed: 0, refused: 0, problems: [], times: [], slow: [], byMutator: {} };
  let i = 0;
  for (const c of cases(pages, o.pages, o.seed)) {
    if (i++ % o.jobs !== o.part) continue;
    const { bytes, injected } = mutate(c.page, c.mutator, c.seed);
    if (c.mutator === 'impossibleDates' && !originals.has(c.page.name)) {
      try {
        originals.set(c.page.name, parsePage({ source: c.page.name, bytes: c.page.bytes, capturedAt: c.page.capturedAt }));
      } catch (err) {
        originals.set(c.page.name, err);
      }
    }
    const t0 = performance.now();
    let result;
    try {
      result = parsePage({ source: c.page.name, bytes, capturedAt: c.page.capturedAt });
    } catch (err) {
      result = err;
    }
    const ms = performance.now() - t0;
    out.parsed++;
    if (result instanceof Error && isInputError(result)) out.refused++;
    for (const p of check(result, { injected: injected ?? [], original: originals.get(c.page.name) ?? null, isInputError })) out.problems.push(`${c.page.name} ${c.mutator} seed ${c.seed}: ${p}`);
    out.times.push(ms);
    const m = (out.byMutator[c.mutator] ??= { pages: 0, ms: 0, max: 0 });
    m.pages++;
    m.ms += ms;
    m.max = Math.max(m.max, ms);
    if (ms > 1000) out.slow.push({ ms: Math.round(ms), page: c.page.name, mutator: c.mutator, seed: c.seed, bytes: bytes.length });
  }
  out.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  return out;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function main() {
  const o = args(process.argv.slice(2));
  if (o.part !== null) {
    process.send(runPart(o));
    return;
  }
  const started = performance.now();
  const parts = await Promise.all(Array.from({ length: o.jobs }, (_, part) => new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--pages', String(o.pages), '--seed', String(o.seed), '--jobs', String(o.jobs), '--part', String(part)], { execArgv: ['--max-old-space-size=4096'] });
    child.on('message', resolve);
    child.on('exit', (code) => (code === 0 ? null : reject(new Error(`part ${part} exited with ${code}`))));
  })));
  const times = parts.flatMap((p) => p.times).sort((a, b) => a - b);
  const byMutator = {};
  for (const p of parts) {
    for (const [k, m] of Object.entries(p.byMutator)) {
      const t = (byMutator[k] ??= { pages: 0, ms: 0, max: 0 });
      t.pages += m.pages;
      t.ms += m.ms;
      t.max = Math.max(t.max, m.max);
    }
  }
  const problems = parts.flatMap((p) => p.problems);
  const slow = parts.flatMap((p) => p.slow).sort((a, b) => b.ms - a.ms);
  console.log(`fuzz: ${times.length} pages (seed ${o.seed}) in ${Math.round((performance.now() - started) / 1000)} s with ${o.jobs} processes`);
  console.log(`  refused as bad input: ${parts.reduce((n, p) => n + p.refused, 0)}`);
  console.log(`  internal errors: ${problems.filter((p) => p.includes('internal error')).length}; other problems: ${problems.filter((p) => !p.includes('internal error')).length}`);
  console.log(`  parse ms: p50 ${quantile(times, 0.5).toFixed(1)}, p95 ${quantile(times, 0.95).toFixed(1)}, p99 ${quantile(times, 0.99).toFixed(1)}, max ${times.at(-1)?.toFixed(0)}; over 10 s: ${times.filter((t) => t > 10_000).length}`);
  console.log(`  peak RSS per process: ${Math.max(...parts.map((p) => p.maxRssMb))} MB`);
  console.log('  | mutator | pages | mean ms | max ms |\n  |---|---:|---:|---:|');
  for (const [k, m] of Object.entries(byMutator)) console.log(`  | ${k} | ${m.pages} | ${(m.ms / m.pages).toFixed(1)} | ${m.max.toFixed(0)} |`);
  for (const p of problems.slice(0, 20)) console.log(`  problem: ${p}`);
  for (const s of slow.slice(0, 10)) console.log(`  slow: ${s.ms} ms ${s.page} ${s.mutator} seed ${s.seed} (${s.bytes} bytes)`);
  if (problems.length > 0) process.exitCode = 1;
}

await main();

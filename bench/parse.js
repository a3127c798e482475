#!/usr/bin/env node
// Parse benchmark: htmlparser2 vs parse5 backends of parsePage(), on the shared corpus
// and the seed pages. Speed (median / p95 per page), memory (once per backend, in a
// fresh child process each) and accuracy (do both backends give the same posts?).
// The Guardian page-data files (corpus/guardian/dcr-*.json) go through parsePage too; they
// hold no HTML, so they are timed once with the default backend and listed separately.
//
//   npm run bench                    # build, then run with the defaults
//   node bench/parse.js --runs 20    # timed runs per page and backend (default 10)
//
// Needs a built dist/ (npm run build). Plain Node ESM, no dependencies beyond the repo's.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { corpusDir, inputOf, listPages, mb, median, ms, p95, seedsDir } from './common.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const BACKENDS = ['htmlparser2', 'parse5'];
const WARMUP = 2;

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const opts = { runs: 10, memoryChild: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs' || a.startsWith('--runs=')) {
      const v = a.includes('=') ? a.slice(7) : argv[++i];
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) {
        console.error(`--runs needs a positive integer, got ${JSON.stringify(v)}`);
        process.exit(2);
      }
      opts.runs = n;
    } else if (a === '--memory-child') {
      opts.memoryChild = argv[++i];
    } else if (a === '-h' || a === '--help') {
      console.log('usage: node bench/parse.js [--runs N]   (N timed runs per page and backend, default 10)');
      process.exit(0);
    } else {
      console.error(`unknown argument: ${a}`);
      process.exit(2);
    }
  }
  return opts;
}

// ---------------------------------------------------------------- pages

async function loadParser() {
  const entry = join(repoRoot, 'dist/parse/index.js');
  if (!existsSync(entry)) {
    console.error(`missing ${entry}: run "npm run build" first (or "npm run bench")`);
    process.exit(1);
  }
  const mod = await import(pathToFileURL(entry).href);
  return mod.parsePage;
}


// ---------------------------------------------------------------- memory (child process)

/** In a fresh process: parse every page once with one backend, sampling memory after each parse. */
async function memoryChild(backend) {
  const parsePage = await loadParser();
  const pages = listPages({ data: false }); // the backend comparison: HTML pages only
  if (global.gc) global.gc();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const keep = []; // hold the result until sampled, then drop it
  for (const page of pages) {
    keep.push(parsePage(inputOf(page), { backend }));
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    keep.length = 0;
  }
  const ru = process.resourceUsage(); // maxRSS in KiB, whole-process high-water mark
  process.stdout.write(JSON.stringify({
    backend,
    baseRss: base.rss,
    baseHeap: base.heapUsed,
    peakRss,
    peakHeap,
    maxRss: ru.maxRSS * 1024,
    gc: Boolean(global.gc),
  }));
}

function measureMemory(backend) {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), '--memory-child', backend],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out);
}

// ---------------------------------------------------------------- accuracy

const norm = (v) => (v === undefined ? null : v);
const show = (v) => {
  const s = JSON.stringify(norm(v));
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
};

/** Where two strings first differ, with a little context from each. */
function firstDiffAt(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string') return null;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  return { at: i, a: a.slice(from, i + 60), b: b.slice(from, i + 60), lenA: a.length, lenB: b.length };
}

/** For list fields (media, contributors): counts and the first differing item, key by key. */
function describeExtra(a, b) {
  if (!Array.isArray(a) || !Array.isArray(b)) return `htmlparser2 ${show(a)} | parse5 ${show(b)}`;
  const i = a.findIndex((x, k) => JSON.stringify(x) !== JSON.stringify(b[k]));
  const k = i === -1 ? a.length : i;
  const x = a[k], y = b[k];
  let detail;
  if (x && y && typeof x === 'object' && typeof y === 'object') {
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((key) => JSON.stringify(x[key]) !== JSON.stringify(y[key]));
    detail = keys.map((key) => `${key}: h2 ${show(x[key])} / p5 ${show(y[key])}`).join('; ');
  } else {
    detail = `h2 ${show(x)} / p5 ${show(y)}`;
  }
  return `htmlparser2 ${a.length} item(s), parse5 ${b.length}; first difference at item ${k}: ${detail}`;
}

const CORE_FIELDS = ['headline', 'publishedAt', 'updatedAt', 'bodyText'];
const EXTRA_FIELDS = ['url', 'displayTime', 'bodyHtml', 'media', 'contributors', 'origin', 'pinned', 'keyEvent'];
const PAGE_FIELDS = ['kind', 'adapter', 'url', 'headline', 'title', 'publisher', 'language', 'authors', 'keyPoints', 'coverageStart', 'coverageEnd', 'encoding'];

function compare(h2, p5) {
  const diffs = []; // core differences: { postId, field, a, b }
  const extra = []; // other post/page fields that differ (reported, not counted as "not identical")
  const idsA = h2.posts.map((p) => p.id);
  const idsB = p5.posts.map((p) => p.id);
  const countSame = idsA.length === idsB.length;
  const idsSame = countSame && idsA.every((id, i) => id === idsB[i]);
  if (!countSame) diffs.push({ postId: '(page)', field: 'post count', a: idsA.length, b: idsB.length });
  if (!idsSame) {
    const i = idsA.findIndex((id, k) => id !== idsB[k]);
    const k = i === -1 ? idsA.length : i;
    diffs.push({ postId: `(index ${k})`, field: 'post id order', a: idsA[k] ?? null, b: idsB[k] ?? null });
  }
  // Compare posts matched by id (so one missing post does not make all later ones "differ").
  const byIdB = new Map(p5.posts.map((p) => [p.id, p]));
  const differingPosts = new Set();
  for (const a of h2.posts) {
    const b = byIdB.get(a.id);
    if (!b) {
      differingPosts.add(a.id);
      diffs.push({ postId: a.id, field: 'missing in parse5', a: a.headline, b: null });
      continue;
    }
    for (const f of CORE_FIELDS) {
      if (JSON.stringify(norm(a[f])) !== JSON.stringify(norm(b[f]))) {
        differingPosts.add(a.id);
        diffs.push({ postId: a.id, field: f, a: a[f], b: b[f] });
      }
    }
    for (const f of EXTRA_FIELDS) {
      if (JSON.stringify(norm(a[f])) !== JSON.stringify(norm(b[f]))) extra.push({ postId: a.id, field: f, a: a[f], b: b[f] });
    }
  }
  const idsInA = new Set(idsA);
  for (const b of p5.posts) {
    if (!idsInA.has(b.id)) {
      differingPosts.add(b.id);
      diffs.push({ postId: b.id, field: 'missing in htmlparser2', a: null, b: b.headline });
    }
  }
  for (const f of PAGE_FIELDS) {
    if (JSON.stringify(norm(h2[f])) !== JSON.stringify(norm(p5[f]))) extra.push({ postId: '(page)', field: f, a: h2[f], b: p5[f] });
  }
  return {
    identical: countSame && idsSame && differingPosts.size === 0,
    countSame,
    idsSame,
    differingPosts: [...differingPosts],
    diffs,
    extra,
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.memoryChild) return memoryChild(opts.memoryChild);

  const parsePage = await loadParser();
  const all = listPages();
  const pages = all.filter((p) => !p.data);
  const dataPages = all.filter((p) => p.data);
  if (pages.length === 0) {
    console.error(`no pages found under ${corpusDir} or ${seedsDir}`);
    process.exit(1);
  }

  console.log(`# livearchive parse benchmark`);
  console.log('');
  console.log(`node ${process.version}, ${process.platform}/${process.arch}; ${pages.length} HTML pages` +
    `${dataPages.length ? ` + ${dataPages.length} page-data JSON files` : ''}; ` +
    `${WARMUP} warm-up + ${opts.runs} timed runs per page and backend (order alternates per page)`);
  console.log('');

  const rows = [];
  for (let pi = 0; pi < pages.length; pi++) {
    const page = pages[pi];
    const order = pi % 2 === 0 ? BACKENDS : [...BACKENDS].reverse();
    const timing = {};
    const result = {};
    for (const backend of order) {
      const input = inputOf(page);
      let out;
      for (let i = 0; i < WARMUP; i++) out = parsePage(input, { backend });
      const times = [];
      for (let i = 0; i < opts.runs; i++) {
        const t0 = performance.now();
        out = parsePage(input, { backend });
        times.push(performance.now() - t0);
      }
      timing[backend] = { median: median(times), p95: p95(times), times };
      result[backend] = out;
    }
    const cmp = compare(result.htmlparser2, result.parse5);
    rows.push({ page, timing, result, cmp });
    process.stderr.write(`  ${page.label}: h2 ${ms(timing.htmlparser2.median)} ms, p5 ${ms(timing.parse5.median)} ms` +
      `${cmp.identical ? '' : '  (outputs differ)'}\n`);
  }

  // Page-data JSON (Guardian DCR): no HTML is parsed, so the backend does not matter. Timed once,
  // with the default backend; parse5 runs once only to confirm the output is the same.
  const dataRows = [];
  for (const page of dataPages) {
    const input = inputOf(page);
    let out;
    for (let i = 0; i < WARMUP; i++) out = parsePage(input);
    const times = [];
    for (let i = 0; i < opts.runs; i++) {
      const t0 = performance.now();
      out = parsePage(input);
      times.push(performance.now() - t0);
    }
    const cmp = compare(out, parsePage(input, { backend: 'parse5' }));
    dataRows.push({ page, timing: { median: median(times), p95: p95(times) }, result: out, cmp });
    process.stderr.write(`  ${page.label}: ${ms(median(times))} ms${cmp.identical ? '' : '  (outputs differ between backends!)'}\n`);
  }

  // -------- the table
  console.log('| page | bytes | kind | htmlparser2 median ms (p95) | parse5 median ms (p95) | speedup × | posts h2/p5 | identical? |');
  console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |');
  let totH2 = 0, totP5 = 0, totBytes = 0, totPostsA = 0, totPostsB = 0, identicalPages = 0, totDiffPosts = 0;
  for (const { page, timing, result, cmp } of rows) {
    const h = timing.htmlparser2, p = timing.parse5;
    totH2 += h.median; totP5 += p.median; totBytes += page.bytes.length;
    totPostsA += result.htmlparser2.posts.length; totPostsB += result.parse5.posts.length;
    if (cmp.identical) identicalPages++;
    totDiffPosts += cmp.differingPosts.length;
    const extraPosts = new Set(cmp.extra.map((e) => e.postId)).size;
    const extraFields = [...new Set(cmp.extra.map((e) => e.field))].join('/');
    const ident = (cmp.identical ? 'yes' : `**no** (${cmp.differingPosts.length} post${cmp.differingPosts.length === 1 ? '' : 's'})`) +
      (extraPosts ? `; ${extraFields} differs in ${extraPosts} post${extraPosts === 1 ? '' : 's'}` : '');
    console.log(`| ${page.label} | ${page.bytes.length.toLocaleString('en-US')} | ${result.htmlparser2.kind} | ` +
      `${ms(h.median)} (${ms(h.p95)}) | ${ms(p.median)} (${ms(p.p95)}) | ${(p.median / h.median).toFixed(2)} | ` +
      `${result.htmlparser2.posts.length}/${result.parse5.posts.length} | ${ident} |`);
  }
  console.log(`| **total (${rows.length} pages)** | ${totBytes.toLocaleString('en-US')} | | ${ms(totH2)} | ${ms(totP5)} | ` +
    `${(totP5 / totH2).toFixed(2)} | ${totPostsA}/${totPostsB} | ${identicalPages}/${rows.length} identical |`);
  console.log('');
  console.log('identical? = same post count, same ordered post ids, same headline/publishedAt/updatedAt/bodyText per post; ' +
    'other post fields (media, contributors, bodyHtml, …) are compared too and noted after the semicolon.');
  console.log('');
  console.log('speedup × = parse5 median / htmlparser2 median (above 1: htmlparser2 is faster). ' +
    `Total = sum of per-page medians; throughput htmlparser2 ${(totBytes / 1024 / 1024 / (totH2 / 1000)).toFixed(1)} MB/s, ` +
    `parse5 ${(totBytes / 1024 / 1024 / (totP5 / 1000)).toFixed(1)} MB/s.`);
  console.log('');
  console.log(`TOTAL: htmlparser2 ${ms(totH2)} ms, parse5 ${ms(totP5)} ms (parse5/htmlparser2 = ${(totP5 / totH2).toFixed(2)}×); ` +
    `posts ${totPostsA}/${totPostsB}; identical pages ${identicalPages}/${rows.length}; differing posts ${totDiffPosts}`);
  console.log('');

  if (dataRows.length) {
    console.log('### Page-data JSON (Guardian DCR; no DOM parse, so one timing with the default backend)');
    console.log('');
    console.log('| page | bytes | kind | adapter | median ms (p95) | posts | same output with parse5? |');
    console.log('| --- | ---: | --- | --- | ---: | ---: | --- |');
    let tot = 0, totBytes = 0, totPosts = 0;
    for (const { page, timing, result, cmp } of dataRows) {
      tot += timing.median; totBytes += page.bytes.length; totPosts += result.posts.length;
      console.log(`| ${page.label} | ${page.bytes.length.toLocaleString('en-US')} | ${result.kind} | ` +
        `${result.adapter.id}@${result.adapter.version} | ${ms(timing.median)} (${ms(timing.p95)}) | ${result.posts.length} | ` +
        `${cmp.identical && cmp.extra.length === 0 ? 'yes' : '**no**'} |`);
    }
    console.log(`| **total (${dataRows.length} files)** | ${totBytes.toLocaleString('en-US')} | | | ${ms(tot)} | ${totPosts} | |`);
    console.log('');
  }

  // -------- memory
  console.log('## Memory (one fresh process per backend, every HTML page parsed once, sampled after each parse)');
  console.log('');
  console.log('| backend | baseline RSS | peak RSS (sampled) | max RSS (getrusage) | peak RSS − baseline | peak heapUsed − baseline |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const backend of BACKENDS) {
    try {
      const m = measureMemory(backend);
      console.log(`| ${backend} | ${mb(m.baseRss)} MB | ${mb(m.peakRss)} MB | ${mb(m.maxRss)} MB | ` +
        `+${mb(m.peakRss - m.baseRss)} MB | +${mb(m.peakHeap - m.baseHeap)} MB |`);
    } catch (err) {
      console.log(`| ${backend} | (memory child failed: ${String(err.message).split('\n')[0]}) | | | | |`);
    }
  }
  console.log('');

  // -------- accuracy
  console.log('## Accuracy (htmlparser2 vs parse5)');
  console.log('');
  console.log('Compared per page: post count, ordered post ids, and per post (matched by id) headline, publishedAt, updatedAt, bodyText.');
  console.log('');
  for (const { page, cmp } of [...rows, ...dataRows]) {
    const status = cmp.identical ? 'identical' : `${cmp.differingPosts.length} differing post(s)` +
      `${cmp.countSame ? '' : ', post count differs'}${cmp.idsSame ? '' : ', post id order differs'}`;
    console.log(`- ${page.label}: ${status}`);
    if (!cmp.identical) {
      const d = cmp.diffs[0];
      console.log(`  - first difference: post ${d.postId}, ${d.field}: htmlparser2 ${show(d.a)} | parse5 ${show(d.b)}`);
      const at = firstDiffAt(d.a, d.b);
      if (at) console.log(`    - at char ${at.at} (lengths ${at.lenA}/${at.lenB}): h2 …${JSON.stringify(at.a)}… | p5 …${JSON.stringify(at.b)}…`);
      if (cmp.differingPosts.length > 1) console.log(`  - differing posts: ${cmp.differingPosts.join(', ')}`);
      const fields = [...new Set(cmp.diffs.map((x) => x.field))];
      console.log(`  - fields that differ: ${fields.join(', ')}`);
    }
    if (cmp.extra.length) {
      const byField = new Map();
      for (const e of cmp.extra) byField.set(e.field, [...(byField.get(e.field) ?? []), e.postId]);
      const summary = [...byField].map(([f, ids]) => `${f} (${ids.length}: ${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`);
      console.log(`  - other fields that differ (not counted above): ${summary.join('; ')}`);
      const e = cmp.extra[0];
      console.log(`    - first: ${e.postId} ${e.field}: ${describeExtra(e.a, e.b)}`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

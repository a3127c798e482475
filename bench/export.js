#!/usr/bin/env node
// Ingest and export benchmark: do ingest and export stream, with flat memory, on a large
// archive? Builds synthetic archives (generated live-blog pages that go through the
// generic extractor) at two or more sizes, then times and measures memory for:
//   ingest (first capture of every page), re-ingest (second capture of some pages with a
//   few posts edited, so those posts get versions), and export json / ndjson / csv /
//   json --history, each to a file stream.
//
//   npm run build && node --expose-gc bench/export.js
//   node --expose-gc bench/export.js --scales 20,200 --posts 250 --keep
//
// Every phase runs in a fresh child process (node --expose-gc), so each starts from the
// same baseline and the getrusage max RSS belongs to that phase alone. Inside a child,
// process.memoryUsage() is sampled every 50 ms; every 10th sample (every 500 ms) forces a
// full gc first, which gives the live heap (what the phase really holds) rather than the
// heap plus garbage not yet collected. Ingest is synchronous, so it is also sampled after
// each page. Needs a built dist/. Archives go to a temp dir, removed at the end (--keep
// keeps them).

import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rng } from './common.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const SAMPLE_MS = 50;
const GC_EVERY = 10; // samples

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const opts = { scales: [20, 200], posts: 250, words: 80, editEvery: 4, editPosts: 5, keep: false, child: null };
  const num = (v, name) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`${name} needs a positive integer, got ${JSON.stringify(v)}`);
      process.exit(2);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => inline ?? argv[++i];
    if (flag === '--scales') opts.scales = val().split(',').map((s) => num(s, '--scales'));
    else if (flag === '--posts') opts.posts = num(val(), '--posts');
    else if (flag === '--words') opts.words = num(val(), '--words');
    else if (flag === '--edit-every') opts.editEvery = num(val(), '--edit-every');
    else if (flag === '--edit-posts') opts.editPosts = num(val(), '--edit-posts');
    else if (flag === '--keep') opts.keep = true;
    else if (flag === '--child') opts.child = JSON.parse(val());
    else if (flag === '-h' || flag === '--help') {
      console.log('usage: node --expose-gc bench/export.js [--scales 20,200] [--posts 250] [--words 80] ' +
        '[--edit-every 4] [--edit-posts 5] [--keep]');
      process.exit(0);
    } else {
      console.error(`unknown argument: ${a}`);
      process.exit(2);
    }
  }
  return opts;
}

async function loadLib() {
  const entry = join(repoRoot, 'dist/index.js');
  if (!existsSync(entry)) {
    console.error(`missing ${entry}: run "npm run build" first`);
    process.exit(1);
  }
  return import(pathToFileURL(entry).href);
}

// ---------------------------------------------------------------- synthetic pages

const WORDS = ('the minister said council vote police road storm river school report update officials ' +
  'earlier today residents warned statement confirmed expected later morning evening crowd city ' +
  'government spokesperson emergency services rain wind flood train station airport delay ' +
  'hospital health rescue team village bridge power outage thousands homes support local ' +
  'national press conference questions answer meeting plan budget agreement talks deal').split(' ');

function sentence(rand, n) {
  const w = [];
  for (let i = 0; i < n; i++) w.push(WORDS[Math.floor(rand() * WORDS.length)]);
  w[0] = w[0][0].toUpperCase() + w[0].slice(1);
  return `${w.join(' ')}.`;
}

const PAGE_START = Date.parse('2025-06-01T00:00:00Z');

/**
 * One live-blog page as HTML: `posts` articles in <main>, newest first. With `edit`, the
 * page is a later capture in which the first `edit` posts' bodies were changed.
 */
function pageHtml(n, opts, edit = 0) {
  const rand = rng(n * 7919 + 1);
  const start = PAGE_START + n * 86_400_000;
  const items = [];
  for (let i = opts.posts - 1; i >= 0; i--) {
    const at = new Date(start + i * 60_000).toISOString().replace('.000Z', 'Z');
    const head = sentence(rand, 6).slice(0, -1);
    let body = `${sentence(rand, opts.words / 4)} ${sentence(rand, opts.words / 4)} ${sentence(rand, opts.words / 4)} ${sentence(rand, opts.words / 4)}`;
    if (opts.posts - 1 - i < edit) body += ' Update: this post was corrected after publication.';
    items.push(`<article class="entry" id="p${n}-${i}"><time datetime="${at}"></time><h2>${head}</h2><p>${body}</p></article>`);
  }
  return '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<title>Live: synthetic blog ${n}</title><link rel="canonical" href="https://example.org/live/${n}"></head>` +
    `<body><header><h1>Live: synthetic blog ${n}</h1></header><main>${items.join('\n')}</main><footer>Example</footer></body></html>`;
}

// ---------------------------------------------------------------- memory sampling (in a child)

function sampler() {
  const gc = global.gc;
  if (gc) gc();
  const base = process.memoryUsage();
  const s = { baseRss: base.rss, baseHeap: base.heapUsed, peakRss: base.rss, peakHeap: base.heapUsed, peakLiveHeap: base.heapUsed,
    liveSamples: 0, samples: 0, gcMs: 0 };
  let tick = 0;
  const sample = () => {
    s.samples++;
    const m = process.memoryUsage();
    if (m.rss > s.peakRss) s.peakRss = m.rss;
    if (m.heapUsed > s.peakHeap) s.peakHeap = m.heapUsed;
  };
  const timer = setInterval(() => {
    tick++;
    if (gc && tick % GC_EVERY === 0) {
      const t0 = performance.now();
      gc();
      s.gcMs += performance.now() - t0;
      const m = process.memoryUsage();
      s.liveSamples++;
      if (m.heapUsed > s.peakLiveHeap) s.peakLiveHeap = m.heapUsed;
      if (m.rss > s.peakRss) s.peakRss = m.rss;
    } else {
      sample();
    }
  }, SAMPLE_MS);
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      if (gc) gc();
      const end = process.memoryUsage();
      s.endLiveHeap = end.heapUsed;
      if (end.heapUsed > s.peakLiveHeap) s.peakLiveHeap = end.heapUsed;
      s.maxRss = process.resourceUsage().maxRSS * 1024;
      s.gc = Boolean(gc);
      return s;
    },
  };
}

// ---------------------------------------------------------------- child phases

async function ingestPhase(lib, job) {
  const archive = await lib.openArchive(job.db);
  const opts = job.opts;
  const pages = [];
  for (let n = 0; n < job.pages; n++) pages.push({ n, edit: 0, at: new Date(PAGE_START + n * 86_400_000 + 12 * 3_600_000) });
  if (job.recapture) {
    pages.length = 0;
    for (let n = 0; n < job.pages; n += opts.editEvery) {
      pages.push({ n, edit: opts.editPosts, at: new Date(PAGE_START + n * 86_400_000 + 18 * 3_600_000) });
    }
  }
  const mem = sampler();
  let posts = 0, edited = 0, created = 0, htmlBytes = 0, buildMs = 0;
  const t0 = performance.now();
  for (const p of pages) {
    const b0 = performance.now();
    const bytes = Buffer.from(pageHtml(p.n, opts, p.edit), 'utf8');
    buildMs += performance.now() - b0;
    htmlBytes += bytes.length;
    const out = await lib.ingestCapture(archive, { source: `synthetic/${p.n}${p.edit ? '-b' : ''}.html`, origin: 'file', bytes, capturedAt: p.at, capturedAtSource: 'option' });
    if (out.status !== 'new' || !out.posts) throw new Error(`page ${p.n}: ${out.status}`);
    posts += out.posts.total; edited += out.posts.edited; created += out.posts.new;
    mem.sample();
    await new Promise((r) => setImmediate(r)); // let the 50 ms timer run between pages
  }
  const ms = performance.now() - t0;
  const m = mem.stop();
  await archive.close();
  return { ...m, ms, buildMs, pages: pages.length, posts, edited, created, htmlBytes, dbBytes: dbSize(job.db) };
}

async function exportPhase(lib, job) {
  const archive = await lib.openArchive(job.db, { readonly: true });
  const file = createWriteStream(job.out);
  let writes = 0;
  const mem = sampler();
  const t0 = performance.now();
  await lib.exportPosts(archive, { write: (c) => { writes++; return file.write(c); }, once: (e, l) => file.once(e, l) },
    { format: job.format, history: job.history, generatedAt: new Date('2025-12-01T00:00:00Z') });
  file.end();
  await finished(file);
  const ms = performance.now() - t0;
  const m = mem.stop();
  await archive.close();
  const bytes = statSync(job.out).size;
  rmSync(job.out, { force: true });
  return { ...m, ms, bytes, writes };
}

function dbSize(db) {
  let n = 0;
  for (const f of [db, `${db}-wal`]) if (existsSync(f)) n += statSync(f).size;
  return n;
}

function runChild(job) {
  const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', JSON.stringify(job)],
    { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out);
}

// ---------------------------------------------------------------- report

const mb = (n) => (n / 1024 / 1024).toFixed(1);
const plus = (n) => `${n >= 0 ? '+' : '−'}${mb(Math.abs(n))}`;
const secs = (ms) => (ms / 1000).toFixed(2);
const rate = (n, ms) => Math.round(n / (ms / 1000)).toLocaleString('en-US');

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.child) {
    const lib = await loadLib();
    const job = opts.child;
    const res = job.phase === 'ingest' ? await ingestPhase(lib, job) : await exportPhase(lib, job);
    process.stdout.write(JSON.stringify(res));
    return;
  }
  await loadLib(); // fail early without dist/
  if (!global.gc) console.error('note: run with node --expose-gc for the post-gc figures (children always get it)');

  const dir = mkdtempSync(join(tmpdir(), 'livearchive-bench-'));
  const results = [];
  try {
    for (const pages of opts.scales) {
      const db = join(dir, `archive-${pages}.sqlite`);
      const base = { db, pages, opts };
      const row = (name, r, count, unit) => results.push({ scale: pages, name, r, count, unit });
      process.stderr.write(`scale ${pages} pages × ${opts.posts} posts\n`);
      const ing = runChild({ ...base, phase: 'ingest' });
      row('ingest (1st capture of every page)', ing, ing.posts, 'posts');
      process.stderr.write(`  ingest: ${ing.posts} posts in ${secs(ing.ms)} s\n`);
      const re = runChild({ ...base, phase: 'ingest', recapture: true });
      row(`re-ingest (2nd capture of ${re.pages} pages, ${opts.editPosts} posts edited each)`, re, re.posts, 'posts');
      process.stderr.write(`  re-ingest: ${re.posts} posts (${re.edited} edited) in ${secs(re.ms)} s\n`);
      const totalPosts = ing.posts;
      for (const [format, history] of [['json', false], ['ndjson', false], ['csv', false], ['json', true], ['csv', true]]) {
        const r = runChild({ ...base, phase: 'export', format, history, out: join(dir, `out-${pages}.${format}`) });
        row(`export ${format}${history ? ' --history' : ''}`, r, totalPosts, 'posts');
        process.stderr.write(`  export ${format}${history ? ' --history' : ''}: ${mb(r.bytes)} MB in ${secs(r.ms)} s\n`);
      }
      results.push({ scale: pages, db: dbSize(db), posts: totalPosts, edited: re.edited, htmlBytes: ing.htmlBytes + re.htmlBytes,
        buildMs: ing.buildMs + re.buildMs });
    }
  } finally {
    if (opts.keep) console.error(`archives kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }

  console.log('# livearchive ingest/export benchmark');
  console.log('');
  console.log(`node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ` +
    `${mb(totalmem())} MB RAM; ${opts.posts} posts per page, ~${opts.words} words per post; every ${opts.editEvery}th page captured ` +
    `a second time with ${opts.editPosts} posts edited`);
  console.log('');
  for (const s of results.filter((r) => r.db !== undefined)) {
    console.log(`- ${s.scale} pages: ${s.posts.toLocaleString('en-US')} posts, ${s.edited} edited posts (2 versions each); ` +
      `${mb(s.htmlBytes)} MB of HTML ingested (generating it took ${secs(s.buildMs)} s of the ingest time); archive ${mb(s.db)} MB (with WAL)`);
  }
  console.log('');
  console.log('| pages | phase | time s | rate | output | peak RSS (sampled) | max RSS (getrusage) | peak RSS − baseline | peak heapUsed − baseline | peak live heap − baseline (after gc) | live heap at end − baseline | gc probes ms |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { scale, name, r, count, unit } of results.filter((x) => x.r)) {
    const output = r.bytes !== undefined ? `${mb(r.bytes)} MB` : `db ${mb(r.dbBytes)} MB`;
    console.log(`| ${scale} | ${name} | ${secs(r.ms)} | ${rate(count, r.ms)} ${unit}/s | ${output} | ${mb(r.peakRss)} MB | ${mb(r.maxRss)} MB | ` +
      `${plus(r.peakRss - r.baseRss)} MB | ${plus(r.peakHeap - r.baseHeap)} MB | ${plus(r.peakLiveHeap - r.baseHeap)} MB | ` +
      `${plus(r.endLiveHeap - r.baseHeap)} MB | ${r.gcMs.toFixed(0)} |`);
  }
  console.log('');
  console.log('Baseline = process.memoryUsage() after a forced gc, once the library is loaded and the archive is open. ' +
    'Peak RSS / heapUsed: sampled every 50 ms (and, for ingest, after every page). Peak live heap: heapUsed right after ' +
    'a forced gc, every 500 ms and at the end. "gc probes ms" is the time those forced gcs took; it is included in the phase time. ' +
    'Ingest rates include generating the HTML.');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

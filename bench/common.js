// Shared by the benchmarks: the real pages (../shared), the built library, and small stats helpers.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { cpus, totalmem, release } from 'node:os';
import { rng as seededRandom } from '../test/fuzz/mutators.js';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..');
export const sharedDir = resolve(repoRoot, '../shared');
export const corpusDir = join(sharedDir, 'corpus');
export const seedsDir = join(sharedDir, 'seeds');

/** Capture time for a page: the seeds' stated "saved" times, else noon UTC of the date in the file name. */
export function capturedAtFor(file) {
  const name = basename(file);
  if (name === 'cnn-live-2025-11-25-A.html') return new Date('2025-11-25T12:05:00Z');
  if (name === 'cnn-live-2025-11-25-B.html') return new Date('2025-11-25T15:10:00Z');
  const m = /(\d{4}-\d{2}-\d{2})/.exec(name);
  return new Date(m ? `${m[1]}T12:00:00Z` : '2025-01-01T00:00:00Z');
}

/** The Guardian DCR page-data files (`guardian/dcr-*.json`): JSON, not HTML, so no DOM backend is involved. */
const isDataPage = (file) => file.endsWith('.json');

/** Every corpus page and seed, decompressed, sorted by path. `data: false` leaves out the JSON page data. */
export function listPages({ data = true } = {}) {
  const files = [];
  if (existsSync(corpusDir)) {
    for (const d of readdirSync(corpusDir, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      for (const f of readdirSync(join(corpusDir, d.name))) {
        if (f.endsWith('.html') || f.endsWith('.html.gz')) files.push(join(corpusDir, d.name, f));
        else if (data && d.name === 'guardian' && /^dcr-.*\.json$/.test(f)) files.push(join(corpusDir, d.name, f));
      }
    }
  }
  if (existsSync(seedsDir)) {
    for (const f of readdirSync(seedsDir)) if (f.endsWith('.html')) files.push(join(seedsDir, f));
  }
  files.sort();
  return files.map((file) => {
    const raw = readFileSync(file);
    const bytes = file.endsWith('.gz') ? gunzipSync(raw) : raw;
    const label = relative(sharedDir, file).replace(/\\/g, '/');
    return { file, label, bytes, capturedAt: capturedAtFor(file), data: isDataPage(file) };
  });
}

export const inputOf = (page) => ({ source: page.file, origin: 'file', bytes: page.bytes, capturedAt: page.capturedAt, capturedAtSource: 'option' });

/** The built library (dist/index.js), or another build of it given by path (to measure an older version). */
export async function loadLibrary(path = join(repoRoot, 'dist/index.js')) {
  if (!existsSync(path)) {
    console.error(`missing ${path}: run "npm run build" first (or "npm run bench")`);
    process.exit(1);
  }
  return import(pathToFileURL(resolve(path)).href);
}

/** Nearest-rank quantile of unsorted numbers. */
export function quantile(xs, q) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
export const p95 = (xs) => quantile(xs, 0.95);
export const mb = (n) => (n / 1024 / 1024).toFixed(1);
export const ms = (n) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
export const num = (n) => Math.round(n).toLocaleString('en-US');

/** Median time of `runs` calls of fn after `warmup` untimed ones, in ms, with the last result. */
export function timeIt(fn, { runs = 10, warmup = 2 } = {}) {
  let out;
  for (let i = 0; i < warmup; i++) out = fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = fn();
    times.push(performance.now() - t0);
  }
  return { median: median(times), p95: p95(times), times, out };
}

/** A deterministic PRNG (the fuzzer's mulberry32), so every run builds the same archive. */
export const rng = (seed) => seededRandom(seed).next;

export function machine() {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Linux ${release()}, Node ${process.version}`;
}

#!/usr/bin/env node
// What --render costs against a plain fetch: wall time, memory of the whole process tree (node
// and every Chromium process, as PSS so shared pages count once) and bytes stored, per page.
// Each run is the CLI as a user runs it (`node bin/livearchive.js ingest URL`), in a child
// process, against pages served by a local server on 127.0.0.1:
//
//   * real live pages from ../shared (their scripts point at hosts that cannot be reached
//     here, so they fail fast: the render cost is the browser's, not the network's). Not the
//     Mirror page: its script sends any host but www.mirror.co.uk away, so a local copy never loads;
//   * a generated ticker whose 40 posts arrive by fetch() after load;
//   * a generated blog showing 10 posts with a "Load more" button (4 more clicks: 50 posts).
//
//   npm run build && node bench/render.js            # 3 runs per page and mode
//   node bench/render.js --runs 5
//
// Needs a built dist/ and Chromium (/usr/bin/chromium). Plain Node ESM.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '../shared');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

const REAL = [
  'seeds/cnn-live-2025-11-25-B.html',
  'corpus/guardian/live-2023-05-15-russia-ukraine-war.html.gz',
  'corpus/corkbeo/live-2020-10-06-level-3-cork.html',
];

function read(path) {
  const bytes = readFileSync(join(shared, path));
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

const post = (i) => `<article id="p${i}"><time datetime="${new Date(Date.UTC(2025, 5, 1, 18) - i * 600_000).toISOString()}"></time>`
  + `<h2>Update ${i}</h2><p>Generated update number ${i}: a paragraph long enough to be read as the body of a post.</p></article>`;
const range = (from, n) => Array.from({ length: n }, (_, k) => from + k);

const tickerPage = `<!doctype html><html><head><title>Bench ticker</title><link rel="canonical" href="https://bench.example/ticker"></head>
<body><main><h1>Bench ticker</h1><div id="feed"></div></main>
<script>fetch('/ticker.json').then((r) => r.json()).then((items) => { document.getElementById('feed').innerHTML = items.join(''); });</script></body></html>`;

const morePage = `<!doctype html><html><head><title>Bench load more</title><link rel="canonical" href="https://bench.example/more"></head>
<body><main><h1>Bench load more</h1><div id="feed">${range(0, 10).map(post).join('')}</div><button id="more">Load more</button></main>
<script>let page = 1; document.getElementById('more').onclick = () => fetch('/more?page=' + page++).then((r) => r.text()).then((t) => {
  document.getElementById('feed').insertAdjacentHTML('beforeend', t); if (page === 5) document.getElementById('more').remove(); });</script></body></html>`;

function serve() {
  const routes = new Map([
    ['/ticker', ['text/html', tickerPage]],
    ['/ticker.json', ['application/json', JSON.stringify(range(0, 40).map(post))]],
    ['/more', ['text/html', morePage]],
    ...REAL.map((p, i) => [`/real/${i}`, ['text/html; charset=utf-8', read(p)]]),
  ]);
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/more' && url.searchParams.has('page')) {
      const p = Number(url.searchParams.get('page'));
      return res.writeHead(200, { 'content-type': 'text/html' }).end(range(p * 10, 10).map(post).join(''));
    }
    const hit = routes.get(url.pathname);
    if (!hit) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': hit[0] }).end(hit[1]);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** PSS (kB) of a process and all its descendants, from /proc. */
function treePss(pid) {
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch { /* gone */ }
  }
  let kb = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    try {
      kb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch { /* gone */ }
    stack.push(...(children.get(p) ?? []));
  }
  return kb;
}

/** One CLI run: seconds, peak MB of the process tree, what it printed. */
function runCli(args) {
  return new Promise((ok, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin/livearchive.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    let peak = 0;
    const timer = setInterval(() => { peak = Math.max(peak, treePss(child.pid)); }, 50);
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) return fail(new Error(`exit ${code}: ${out}`));
      ok({ seconds: (performance.now() - started) / 1000, mb: peak / 1024, out });
    });
  });
}

function stored(db) {
  const d = new Database(db, { readonly: true });
  // Every part: the page (rendered or not) and, for a rendered one, the server's response (part -1).
  const raw = d.prepare('SELECT COALESCE(SUM(length(bytes)), 0) AS n FROM snapshot_raw').get().n;
  d.close();
  return raw / 1024;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(name, args) {
  const results = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'livearchive-bench-'));
    const db = join(dir, 'b.db');
    const r = await runCli([...args, '--db', db, '--delay', '0']);
    results.push({ ...r, kb: stored(db), posts: Number(/: (\d+) posts?/.exec(r.out)?.[1] ?? 0) });
    rmSync(dir, { recursive: true, force: true });
  }
  return { name, seconds: median(results.map((r) => r.seconds)), mb: median(results.map((r) => r.mb)), kb: median(results.map((r) => r.kb)), posts: results[0].posts };
}

const server = await serve();
const url = (p) => `http://127.0.0.1:${server.address().port}${p}`;
const pages = [
  ...REAL.map((p, i) => [p.replace(/^(?:corpus|seeds)\//, ''), url(`/real/${i}`), []]),
  ['generated: 40 posts by fetch()', url('/ticker'), []],
  ['generated: "Load more" ×4, 50 posts', url('/more'), ['--render-expand', '10']],
];
console.log(`node ${process.version}, ${RUNS} runs per row (median); times include starting node and, rendered, Chromium\n`);
console.log('| page | mode | s | peak MB (PSS, all processes) | stored KB | posts |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const [name, target, extra] of pages) {
  for (const [mode, args] of [['plain', []], ['--render', ['--render', ...extra]]]) {
    const m = await measure(name, ['ingest', target, ...args]);
    console.log(`| ${name} | ${mode} | ${m.seconds.toFixed(2)} | ${Math.round(m.mb)} | ${Math.round(m.kb)} | ${m.posts} |`);
  }
}
// Many pages in one run share one browser: the cost per page once it is running.
const batch = REAL.map((_, i) => url(`/real/${i}`));
for (const [mode, args] of [['plain', []], ['--render', ['--render', '--concurrency', '1']]]) {
  const m = await measure('batch', ['ingest', ...batch, ...args]);
  console.log(`| ${batch.length} real pages in one run, per page | ${mode} | ${(m.seconds / batch.length).toFixed(2)} | ${Math.round(m.mb)} (peak of the run) | ${Math.round(m.kb / batch.length)} | |`);
}
server.close();

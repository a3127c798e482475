// The archive at scale: builds an archive of N posts (default 100,000) from the real pages'
// posts with varied text, then measures search (50 fixed queries, in-process and via the CLI),
// `posts`, `export`, peak RSS and the bytes each post costs on disk.
//
//   node bench/scale.js [--posts 1000000] [--lib other/dist/index.js] [--bin other/bin/livearchive.js] [--keep]
//
// How the archive is made (the same every run: a seeded PRNG):
// - The real pages (../shared corpus and seeds) are parsed once; their posts give a sentence
//   pool and a word pool (every word occurrence, so sampling keeps the real word frequencies).
// - Each page is a live blog of 200 posts (every 20th an article of one post), by one of the
//   real publishers, starting 2 h after the previous page. A post is a real post's text with a
//   quarter of its words replaced by words drawn from the pool, a headline from the sentence
//   pool, a contributor out of ~1,500 names, and in 3 of 10 posts an image with a caption.
// - Each live blog is captured 5 times as it grows (40 more posts each time, newest first);
//   from the second capture on, 2 earlier posts are edited (a new version each). The capture's
//   bytes are a real page's markup around the rendered posts, so raw storage is realistic.
// - Pages are ingested with the library (ingestCaptures with the page already parsed: this
//   measures the store, not the parser).

import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPages, loadLibrary, mb, median, ms, num, quantile, repoRoot, rng } from './common.js';

const POSTS_PER_PAGE = 200;
const CAPTURES_PER_PAGE = 5;
const EDITS_PER_CAPTURE = 2;
const PUBLISHERS = ['CNN', 'The Guardian', 'Mirror', 'CorkBeo', 'BR24', 'Reuters', 'BBC News', 'WP SportoweFakty', 'The Independent', 'Manchester Evening News'];

// ---------------------------------------------------------------- the material

export function material(parsePage) {
  const sentences = [];
  const words = [];
  const names = new Set();
  const templates = [];
  for (const page of listPages({ data: false })) {
    const parsed = parsePage({ source: page.file, bytes: page.bytes, capturedAt: page.capturedAt });
    for (const post of parsed.posts) {
      for (const s of post.bodyText.split(/(?<=[.!?])\s+/)) if (s.split(' ').length >= 5) sentences.push(s.trim());
      for (const w of post.bodyText.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []) words.push(w);
      for (const c of post.contributors) names.add(c.name);
    }
    const html = page.bytes.toString('utf8');
    const body = html.search(/<body[^>]*>/i);
    templates.push({ head: html.slice(0, Math.min(body > 0 ? body + 2000 : 60_000, 60_000)), tail: html.slice(-8000) });
  }
  // Real names, and first and last names recombined, for a realistic number of contributors.
  const real = [...names].filter((n) => /^\p{Lu}\p{L}+ \p{Lu}\p{L}+$/u.test(n));
  const first = [...new Set(real.map((n) => n.split(' ')[0]))];
  const last = [...new Set(real.map((n) => n.split(' ')[1]))];
  const contributors = [...names];
  for (const f of first) for (const l of last) if (contributors.length < 1500) contributors.push(`${f} ${l}`);
  return { sentences, words, contributors, templates };
}

// ---------------------------------------------------------------- one generated page

function varied(text, m, r) {
  return text.replace(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu, (w) => (r() < 0.25 ? m.words[Math.floor(r() * m.words.length)] : w));
}

const pick = (xs, r) => xs[Math.floor(r() * xs.length)];
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function makePost(m, r, pageNo, k, at) {
  const parts = [];
  const n = 2 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) parts.push(varied(pick(m.sentences, r), m, r));
  const bodyText = parts.join('\n\n');
  const media = r() < 0.3 ? [{ kind: 'image', url: `https://images.example.org/${pageNo}/${k}.jpg`, name: null, alt: null, caption: varied(pick(m.sentences, r), m, r), credit: 'Photo agency', description: null, duration: null, thumbnail: null }] : [];
  return {
    id: `p${pageNo}-${k}`, url: null, headline: varied(pick(m.sentences, r).split(' ').slice(0, 10).join(' '), m, r),
    bodyText, bodyHtml: parts.map((p) => `<p>${escape(p)}</p>`).join(''),
    publishedAt: at.toISOString(), updatedAt: null, displayTime: null,
    contributors: [{ name: pick(m.contributors, r), role: 'author' }], media, origin: 'page', pinned: false, keyEvent: false,
  };
}

function render(template, url, posts) {
  const items = posts.map((p) => `<article class="post" id="${p.id}"><time datetime="${p.publishedAt}"></time><h2>${escape(p.headline)}</h2>${p.bodyHtml}`
    + `${p.media.map((x) => `<figure><img src="${x.url}"><figcaption>${escape(x.caption)}</figcaption></figure>`).join('')}<p class="byline">${escape(p.contributors[0].name)}</p></article>`).join('\n');
  return Buffer.from(`${template.head}<link rel="canonical" href="${url}"><main>${items}</main>${template.tail}`);
}

/** The captures of page number pageNo: [capture, parsed page] pairs, oldest first. */
export function* pageCaptures(m, pageNo) {
  const r = rng(pageNo + 1);
  const article = pageNo % 20 === 19;
  const publisher = PUBLISHERS[pageNo % PUBLISHERS.length];
  const url = `https://www.example-news.org/${publisher.toLowerCase().replace(/\W+/g, '-')}/${article ? 'article' : 'live'}/${pageNo}`;
  const start = Date.UTC(2024, 0, 1) + pageNo * 2 * 3600_000;
  const total = article ? 1 : POSTS_PER_PAGE;
  const captures = article ? 1 : CAPTURES_PER_PAGE;
  const posts = Array.from({ length: total }, (_, k) => makePost(m, r, pageNo, k, new Date(start + k * 180_000)));
  const template = m.templates[pageNo % m.templates.length];
  for (let c = 0; c < captures; c++) {
    const shown = posts.slice(0, Math.round(((c + 1) * total) / captures));
    if (c > 0) {
      for (let e = 0; e < EDITS_PER_CAPTURE; e++) {
        const k = Math.floor(r() * shown.length * 0.8);
        const p = shown[k];
        shown[k] = posts[k] = { ...p, bodyText: `${p.bodyText}\n\nUpdate: ${varied(pick(m.sentences, r), m, r)}`, bodyHtml: `${p.bodyHtml}<p>Update</p>`, updatedAt: new Date(start + (k + 30) * 180_000).toISOString() };
      }
    }
    const capturedAt = new Date(start + shown.length * 180_000 + 60_000);
    const newestFirst = [...shown].reverse();
    const parsed = {
      url, canonicalUrl: url, savedFromUrl: null, publisher, title: `${publisher} ${article ? 'article' : 'live'} ${pageNo}`, headline: null, language: 'en',
      kind: article ? 'article' : 'liveblog', keyPoints: [], coverageStart: null, coverageEnd: null, authors: [], posts: newestFirst, pageLinks: [], warnings: [],
      adapter: { id: 'generic', version: '1' }, encoding: 'UTF-8',
    };
    const capture = { source: `${url}#${c}`, origin: 'file', bytes: render(template, url, newestFirst), capturedAt, capturedAtSource: 'option' };
    yield [capture, parsed];
  }
}

export function plannedPages(posts) {
  let n = 0;
  let pages = 0;
  while (n < posts) n += pages++ % 20 === 19 ? 1 : POSTS_PER_PAGE;
  return pages;
}

// ---------------------------------------------------------------- the 50 queries

/** Ten each: rare words, common words, phrases, prefixes, and common words with each filter. Derived from the pool, so fixed. */
export function queries(m) {
  const counts = new Map();
  for (const w of m.words) counts.set(w.toLowerCase(), (counts.get(w.toLowerCase()) ?? 0) + 1);
  const byFreq = [...counts].filter(([w]) => /^\p{L}+$/u.test(w)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const rareAll = byFreq.filter(([w, c]) => c === 1 && w.length >= 7).map(([w]) => w).sort();
  const rare = Array.from({ length: 10 }, (_, i) => rareAll[Math.floor((i * rareAll.length) / 10)]);
  const common = [0, 1, 2, 3, 4, 20, 40, 60, 80, 100].map((i) => byFreq[i][0]);
  const bigrams = new Map();
  for (const s of m.sentences) {
    const ws = s.toLowerCase().match(/\p{L}+/gu) ?? [];
    for (let i = 0; i + 1 < ws.length; i++) if (ws[i].length > 3 && ws[i + 1].length > 3) bigrams.set(`${ws[i]} ${ws[i + 1]}`, (bigrams.get(`${ws[i]} ${ws[i + 1]}`) ?? 0) + 1);
  }
  const phrases = [...bigrams].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).filter((_, i) => i % 7 === 0).slice(0, 10).map(([p]) => `"${p}"`);
  const prefixes = byFreq.filter(([w]) => w.length >= 6).filter((_, i) => i % 5 === 0).slice(0, 10).map(([w]) => `${w.slice(0, 4)}*`);
  const mid = byFreq[200][0];
  const filtered = [
    [common[5], { page: 'https://www.example-news.org/cnn/live/0' }],
    [common[0], { page: 'https://www.example-news.org/the-guardian/live/1' }],
    [common[6], { publisher: 'Mirror' }],
    [mid, { publisher: 'CorkBeo' }],
    [common[7], { since: new Date(Date.UTC(2024, 0, 1) + 4000 * 2 * 3600_000) }],
    [common[1], { until: new Date(Date.UTC(2024, 0, 3)) }],
    [common[8], { contributor: m.contributors[3] }],
    [common[2], { kind: 'article' }],
    [mid, { publisher: 'BBC', since: new Date(Date.UTC(2024, 6, 1)) }],
    [common[9], { since: new Date(Date.UTC(2024, 2, 1)), until: new Date(Date.UTC(2024, 2, 8)) }],
  ];
  return [
    ...rare.map((q) => ['rare', q, {}]), ...common.map((q) => ['common', q, {}]), ...phrases.map((q) => ['phrase', q, {}]),
    ...prefixes.map((q) => ['prefix', q, {}]), ...filtered.map(([q, f]) => ['filtered', q, f]),
  ];
}

// ---------------------------------------------------------------- phases

/** The bytes of each table (with its indexes) and of the whole archive: dbstat on SQLite, the relation sizes on PostgreSQL. */
async function sizes(archive, db) {
  if (archive.backend === 'sqlite') {
    archive.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { tables: archive.sqlite.prepare(`SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC`).all(), fileBytes: statSync(db).size };
  }
  await archive.db.query('VACUUM ANALYZE');
  const tables = await archive.db.query(`SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY bytes DESC`);
  return { tables, fileBytes: tables.reduce((n, t) => n + t.bytes, 0) };
}

async function build(lib, db, posts) {
  const m = material(lib.parsePage);
  const archive = await lib.openArchive(db);
  const pages = plannedPages(posts);
  const t0 = performance.now();
  let snapshots = 0;
  let rawBytes = 0;
  for (let p = 0; p < pages; p++) {
    for (const [capture, parsed] of pageCaptures(m, p)) {
      await lib.ingestCaptures(archive, [capture], {}, [parsed]);
      snapshots++;
      rawBytes += capture.bytes.length;
    }
    if (p % 100 === 99) process.stderr.write(`\r  built ${p + 1}/${pages} pages (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  process.stderr.write('\n');
  const seconds = (performance.now() - t0) / 1000;
  const [counts] = await archive.db.query(`SELECT (SELECT COUNT(*) FROM posts) AS posts, (SELECT COUNT(*) FROM post_versions) AS versions, (SELECT COUNT(*) FROM pages) AS pages`);
  const size = await sizes(archive, db);
  await archive.close();
  return { seconds, snapshots, rawBytes, ...counts, ...size, maxRss: process.resourceUsage().maxRSS * 1024, queries: queries(m) };
}

/** Queries a backend's syntax reads as meant: FTS5's prefix* has no websearch_to_tsquery form. */
export const supported = (backend, kind) => backend === 'sqlite' || kind !== 'prefix';

async function measure(lib, db, queryList, bin) {
  // Dates crossed the process boundary as strings.
  const qs = queryList.map(([k, q, f]) => [k, q, Object.fromEntries(Object.entries(f).map(([key, v]) => [key, key === 'since' || key === 'until' ? new Date(v) : v]))]);
  const archive = await lib.openArchive(db, { readonly: true });
  const result = {};
  for (const rank of [false, true]) {
    const times = qs.map(() => []);
    const hits = [];
    for (let pass = 0; pass < 4; pass++) {
      for (const [i, [kind, q, f]] of qs.entries()) {
        if (!supported(archive.backend, kind)) continue;
        const opts = { ...f, limit: 20, ...(rank ? { rank: true } : {}) };
        const t0 = performance.now();
        const h = await lib.searchPosts(archive, q, opts);
        if (pass > 0) times[i].push(performance.now() - t0);
        if (pass === 0) hits.push(h.length);
      }
    }
    result[rank ? 'rank' : 'recent'] = { times, hits };
  }
  // Matches per query (how broad each is), counted once.
  const matches = [];
  for (const [kind, q] of qs) {
    if (archive.backend === 'postgres') {
      matches.push(supported('postgres', kind) ? (await archive.db.query(`SELECT COUNT(*) AS n FROM post_search WHERE document @@ websearch_to_tsquery('simple', ?)`, [q]))[0].n : null);
      continue;
    }
    try {
      matches.push(archive.sqlite.prepare('SELECT COUNT(*) AS n FROM post_search WHERE post_search MATCH ?').get(q).n);
    } catch {
      matches.push(archive.sqlite.prepare('SELECT COUNT(*) AS n FROM post_search WHERE post_search MATCH ?').get(`"${q}"`).n);
    }
  }
  const pageUrls = (await archive.db.query('SELECT url FROM pages ORDER BY id LIMIT 20')).map((r) => r.url);
  const postsTimes = [];
  for (let pass = 0; pass < 2; pass++) {
    for (const url of pageUrls) {
      const t0 = performance.now();
      const n = (await lib.listPosts(archive, url)).length;
      if (pass > 0) postsTimes.push(performance.now() - t0);
      if (n === 0) throw new Error(`no posts for ${url}`);
    }
  }
  await archive.close();
  // Via the CLI: the whole process, as a user waits for it (10 common and 10 rare queries).
  const cli = [];
  for (const [kind, q] of qs.filter(([k]) => k === 'common' || k === 'rare')) {
    const t0 = performance.now();
    execFileSync(process.execPath, [bin, 'search', q, '--db', db, '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
    cli.push({ kind, ms: performance.now() - t0 });
  }
  return { search: result, matches, postsTimes, cli, maxRss: process.resourceUsage().maxRSS * 1024 };
}

async function exportRate(lib, db) {
  const archive = await lib.openArchive(db, { readonly: true });
  let bytes = 0;
  let lines = 0;
  const sink = { write(chunk) { bytes += chunk.length; lines += (chunk.match(/\n/g) ?? []).length; return true; }, once() { return this; } };
  const t0 = performance.now();
  await lib.exportPosts(archive, sink, { format: 'ndjson' });
  const seconds = (performance.now() - t0) / 1000;
  await archive.close();
  return { seconds, bytes, lines, maxRss: process.resourceUsage().maxRSS * 1024 };
}

/** Each phase in a fresh process, so each peak RSS is its own. */
function inChild(phase, args) {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url).pathname, ['--child', phase, JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=8192'] });
    child.once('message', resolve);
    child.once('exit', (code) => code !== 0 && reject(new Error(`${phase} child exited ${code}`)));
  });
}

async function child(phase, args) {
  const lib = await loadLibrary(args.lib);
  const out = phase === 'build' ? await build(lib, args.db, args.posts)
    : phase === 'measure' ? await measure(lib, args.db, args.queries, args.bin)
    : await exportRate(lib, args.db);
  process.send(out, () => process.exit(0));
}

// ---------------------------------------------------------------- report

/** `db`: where to build it (default a new SQLite file; a postgres:// URL of an empty database or schema). */
export async function scaleRun({ posts = 100_000, lib = join(repoRoot, 'dist/index.js'), bin = join(repoRoot, 'bin/livearchive.js'), keep = false, db: target } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'livearchive-scale-'));
  const db = target ?? join(dir, 'scale.db');
  process.stderr.write(`  building ${num(posts)} posts in ${db}\n`);
  const built = await inChild('build', { lib, db, posts });
  process.stderr.write(`  built in ${built.seconds.toFixed(0)} s; searching\n`);
  const measured = await inChild('measure', { lib, db, queries: built.queries.map(([k, q, f]) => [k, q, f]), bin });
  process.stderr.write('  exporting\n');
  const exported = await inChild('export', { lib, db });
  if (!keep) rmSync(dir, { recursive: true, force: true });
  return { posts, db, built, measured, exported };
}

export function scaleTable({ built, measured, exported }) {
  const out = [];
  const qs = built.queries;
  out.push(`Archive: ${num(built.posts)} posts (${num(built.versions)} versions) on ${num(built.pages)} pages, ${num(built.snapshots)} snapshots, `
    + `${mb(built.rawBytes)} MB of page bytes captured. Built in ${built.seconds.toFixed(0)} s (${num(built.posts / built.seconds)} posts/s; peak RSS ${mb(built.maxRss)} MB).`);
  out.push('');
  out.push(`**Size: ${mb(built.fileBytes)} MB, ${(built.fileBytes / built.posts / 1024).toFixed(2)} KB per post.**`);
  out.push('');
  out.push('| table or index | MB | bytes per post | share |');
  out.push('| --- | ---: | ---: | ---: |');
  for (const t of built.tables.slice(0, 14)) out.push(`| ${t.name} | ${mb(t.bytes)} | ${num(t.bytes / built.posts)} | ${((100 * t.bytes) / built.fileBytes).toFixed(1)} % |`);
  out.push('');
  out.push('| search, top 20 (in-process) | newest first p50 / p95 ms | `--rank` p50 / p95 ms | matches (median of the 10) |');
  out.push('| --- | ---: | ---: | ---: |');
  const stat = (mode, pred) => {
    const xs = qs.flatMap(([k], i) => (pred(k) ? measured.search[mode].times[i] : []));
    return xs.length ? `${ms(quantile(xs, 0.5))} / ${ms(quantile(xs, 0.95))}` : 'n/a';
  };
  for (const kind of ['rare', 'common', 'phrase', 'prefix', 'filtered']) {
    const counted = qs.flatMap(([k], i) => (k === kind && measured.matches[i] !== null ? [measured.matches[i]] : []));
    out.push(`| ${kind} | ${stat('recent', (k) => k === kind)} | ${stat('rank', (k) => k === kind)} | ${counted.length ? num(median(counted)) : 'n/a'} |`);
  }
  out.push(`| **all ${qs.filter(([, , ], i) => measured.search.recent.times[i].length > 0).length}** | **${stat('recent', () => true)}** | **${stat('rank', () => true)}** | |`);
  out.push('');
  const slowest = qs.map(([k, q, f], i) => ({ k, q, f, t: median(measured.search.recent.times[i]), n: measured.matches[i] })).filter((x) => x.n !== null).sort((a, b) => b.t - a.t).slice(0, 3);
  out.push(`Slowest newest-first queries: ${slowest.map((s) => `\`${s.q}\`${Object.keys(s.f).length ? ` ${JSON.stringify(s.f)}` : ''} (${s.k}, ${num(s.n)} matches) ${ms(s.t)} ms`).join('; ')}.`);
  out.push('');
  const cliMs = measured.cli.map((c) => c.ms);
  out.push(`Search via the CLI (\`livearchive search … --json\`, whole process, 10 common + 10 rare words): p50 ${ms(quantile(cliMs, 0.5))} ms, p95 ${ms(quantile(cliMs, 0.95))} ms. `
    + `\`posts\` of a 200-post page (in-process): p50 ${ms(quantile(measured.postsTimes, 0.5))} ms, p95 ${ms(quantile(measured.postsTimes, 0.95))} ms. `
    + `Query process peak RSS ${mb(measured.maxRss)} MB.`);
  out.push('');
  out.push(`Export (NDJSON, whole archive): ${num(exported.lines)} posts, ${mb(exported.bytes)} MB in ${exported.seconds.toFixed(1)} s = ${num(exported.lines / exported.seconds)} posts/s; peak RSS ${mb(exported.maxRss)} MB.`);
  out.push('');
  out.push('The 50 queries:');
  out.push('');
  for (const kind of ['rare', 'common', 'phrase', 'prefix', 'filtered']) {
    out.push(`- ${kind}: ${qs.filter(([k]) => k === kind).map(([, q, f]) => `\`${q}\`${Object.keys(f).length ? ` ${JSON.stringify(f)}` : ''}`).join(', ')}`);
  }
  return out.join('\n');
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], JSON.parse(process.argv[4]));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const r = await scaleRun({
    posts: Number(arg('--posts') ?? 100_000), keep: process.argv.includes('--keep'),
    ...(arg('--lib') ? { lib: arg('--lib') } : {}), ...(arg('--bin') ? { bin: arg('--bin') } : {}),
  });
  console.log(scaleTable(r));
  if (process.argv.includes('--keep')) console.log(`\n(archive kept: ${r.db})`);
}

#!/usr/bin/env node
// How well the generic reader does without a page's adapter, on the real live blogs of the
// shared corpus and the seeds: each page is read by its adapter (exact on these pages, checked
// against facts read from the pages in test/corpus/facts.json) and with --adapter generic, and
// the two compared post by post (matched by id, else by headline, else by opening words).
//
//   npm run build && node bench/generic-accuracy.js        # a Markdown table on stdout
//
// Figures for docs/generic-reader.md. Needs a built dist/.

import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parsePage } from '../dist/parse/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const shared = resolve(here, '../../shared');

/** The live blogs with an adapter, and when each was captured (their crawl times; the seeds' stated times). */
const PAGES = [
  ['seeds/cnn-live-2025-11-25-A.html', '2025-11-25T12:05:00Z'],
  ['seeds/cnn-live-2025-11-25-B.html', '2025-11-25T15:10:00Z'],
  ['corpus/guardian/live-2023-05-15-russia-ukraine-war.html.gz', '2023-05-15T12:00:00Z'],
  ['corpus/mirror/live-2024-08-05-uk-riots.html.gz', '2024-08-05T22:00:00Z'],
  ['corpus/corkbeo/live-2020-10-06-level-3-cork.html', '2020-10-06T18:00:00Z'],
  ['corpus/br/ticker-2024-08-27-nahost.html.gz', '2024-08-27T13:09:00Z'],
  ['corpus/sportowefakty/live-2020-09-28-speedway-relacja.html', '2020-09-29T12:00:00Z'],
];

function read(path) {
  const bytes = readFileSync(path);
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

const norm = (s) => (s ?? '').toLowerCase().replace(/\s+/g, ' ').trim();

/** The generic post that is this adapter post. */
function counterpart(post, candidates) {
  return candidates.find((g) => g.id === post.id)
    ?? (post.headline ? candidates.find((g) => norm(g.headline) === norm(post.headline)) : undefined)
    ?? candidates.find((g) => norm(g.bodyText).slice(0, 60) !== '' && norm(g.bodyText).slice(0, 60) === norm(post.bodyText).slice(0, 60));
}

const sameTime = (a, b) => a === b || (a !== null && b !== null && Math.abs(Date.parse(a) - Date.parse(b)) <= 60_000);
const names = (p) => p.contributors.map((c) => c.name).sort().join('; ');

const rows = [];
let sum = { truth: 0, found: 0, matched: 0, timed: 0, withTime: 0, people: 0 };
for (const [rel, capturedAt] of PAGES) {
  const source = resolve(shared, rel);
  const input = { source, bytes: read(source), capturedAt: new Date(capturedAt) };
  const truth = parsePage(input);
  const generic = parsePage(input, { adapter: 'generic' });
  // Posts a reader sees: those on the page (the structured data's older ones are counted apart).
  const shown = truth.posts.filter((p) => p.origin === 'page');
  const free = [...generic.posts];
  let matched = 0;
  let timed = 0;
  let withTime = 0;
  let people = 0;
  for (const p of shown) {
    const g = counterpart(p, free);
    if (!g) continue;
    free.splice(free.indexOf(g), 1);
    matched++;
    if (p.publishedAt !== null) {
      withTime++;
      if (sameTime(p.publishedAt, g.publishedAt)) timed++;
    }
    if (names(p) === names(g)) people++;
  }
  const genericShown = generic.posts.filter((p) => p.origin === 'page').length;
  rows.push([basename(rel), truth.adapter.id, shown.length, genericShown, matched, `${timed}/${withTime}`, `${people}/${matched}`,
    generic.posts.length - genericShown, truth.posts.length - shown.length]);
  sum = { truth: sum.truth + shown.length, found: sum.found + genericShown, matched: sum.matched + matched, timed: sum.timed + timed, withTime: sum.withTime + withTime, people: sum.people + people };
}

console.log('| page | adapter | posts shown | generic found | matched | time exact (±60 s) | contributors alike | structured-only posts (generic / adapter) |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3]} | ${r[4]} | ${r[5]} | ${r[6]} | ${r[7]} / ${r[8]} |`);
const pct = (a, b) => (b === 0 ? '–' : `${((100 * a) / b).toFixed(1)} %`);
console.log(`| **all** | | ${sum.truth} | ${sum.found} | ${sum.matched} | ${sum.timed}/${sum.withTime} | ${sum.people}/${sum.matched} | |`);
console.log(`\nrecall ${pct(sum.matched, sum.truth)}, precision ${pct(sum.matched, sum.found)}, times exact ${pct(sum.timed, sum.withTime)}, contributors alike ${pct(sum.people, sum.matched)}`);

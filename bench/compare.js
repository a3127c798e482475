// livearchive's parsePage against other ways of reading the same page, per corpus page:
// cheerio's load (htmlparser2 and parse5 backends: the DOM build livearchive starts from),
// htmlparser2's bare Parser (tokenizing with no handler: the floor), Readability on JSDOM,
// and @extractus/article-extractor (Readability on linkedom). Ratios are per page.
//
//   node bench/compare.js [--runs N]     (default 5 timed runs after 1 warm-up, per page and tool)

import { JSDOM, VirtualConsole } from 'jsdom';
import { Readability } from '@mozilla/readability';
import { extractFromHtml } from '@extractus/article-extractor';
import { load } from 'cheerio';
import { Parser } from 'htmlparser2';
import { listPages, loadLibrary, median, ms, num, timeIt } from './common.js';

async function timeAsync(fn, { runs, warmup = 1 }) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { median: median(times) };
}

const quiet = new VirtualConsole();

export async function compareParsers({ runs = 5, lib } = {}) {
  const { parsePage } = lib ?? await loadLibrary();
  const pages = listPages({ data: false });
  const rows = [];
  for (const page of pages) {
    const html = page.bytes.toString('utf8');
    const url = 'https://example.org/page';
    const input = { source: page.file, bytes: page.bytes, capturedAt: page.capturedAt };
    const la = timeIt(() => parsePage(input), { runs });
    const h2 = timeIt(() => load(html, { xml: { xmlMode: false, decodeEntities: true, lowerCaseAttributeNames: true } }), { runs });
    const p5 = timeIt(() => load(html), { runs });
    const tok = timeIt(() => { const p = new Parser({}); p.end(html); }, { runs });
    const rd = timeIt(() => new Readability(new JSDOM(html, { url, virtualConsole: quiet }).window.document).parse(), { runs: Math.min(runs, 3), warmup: 1 });
    const ax = await timeAsync(() => extractFromHtml(html, url), { runs: Math.min(runs, 3) });
    rows.push({ page, posts: la.out.posts.length, la: la.median, h2: h2.median, p5: p5.median, tok: tok.median, rd: rd.median, ax: ax.median });
    process.stderr.write(`  ${page.label}: livearchive ${ms(la.median)} ms, cheerio/h2 ${ms(h2.median)} ms, Readability+JSDOM ${ms(rd.median)} ms\n`);
  }
  return rows;
}

export function compareTable(rows) {
  const out = [];
  out.push('| page | bytes | posts | livearchive ms | cheerio (htmlparser2) ms | cheerio (parse5) ms | htmlparser2 Parser ms | Readability+JSDOM ms | article-extractor ms | livearchive ÷ cheerio/h2 | Readability ÷ livearchive | extractor ÷ livearchive |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const sum = { la: 0, h2: 0, p5: 0, tok: 0, rd: 0, ax: 0, bytes: 0, posts: 0 };
  for (const r of rows) {
    for (const k of ['la', 'h2', 'p5', 'tok', 'rd', 'ax']) sum[k] += r[k];
    sum.bytes += r.page.bytes.length;
    sum.posts += r.posts;
    out.push(`| ${r.page.label} | ${num(r.page.bytes.length)} | ${r.posts} | ${ms(r.la)} | ${ms(r.h2)} | ${ms(r.p5)} | ${ms(r.tok)} | ${ms(r.rd)} | ${ms(r.ax)} | ${(r.la / r.h2).toFixed(2)} | ${(r.rd / r.la).toFixed(1)} | ${(r.ax / r.la).toFixed(1)} |`);
  }
  const ratios = rows.map((r) => r.la / r.h2);
  out.push(`| **total (${rows.length} pages)** | ${num(sum.bytes)} | ${sum.posts} | ${ms(sum.la)} | ${ms(sum.h2)} | ${ms(sum.p5)} | ${ms(sum.tok)} | ${ms(sum.rd)} | ${ms(sum.ax)} | ${(sum.la / sum.h2).toFixed(2)} | ${(sum.rd / sum.la).toFixed(1)} | ${(sum.ax / sum.la).toFixed(1)} |`);
  out.push('');
  out.push(`livearchive ÷ cheerio load (htmlparser2): median ${median(ratios).toFixed(2)}×, max ${Math.max(...ratios).toFixed(2)}× (goal ≤ 1.5× median, ≤ 2× every page). ` +
    `Readability+JSDOM ÷ livearchive in total: ${(sum.rd / sum.la).toFixed(1)}× (goal ≥ 30×). Times are per-page medians; the others get the page as a UTF-8 string, livearchive its bytes (it decodes them itself).`);
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--runs');
  const rows = await compareParsers({ runs: i > 0 ? Number(process.argv[i + 1]) : 5 });
  console.log(compareTable(rows));
}

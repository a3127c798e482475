// The fuzzer's engine, shared by the vitest sample (test/fuzz/fuzz.test.ts) and the large run
// (bench/fuzz.js): seed pages, seeded mutators, and the checks every parse must pass. Plain
// JavaScript so that the benchmark runs it on the built library without a TypeScript loader.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '../..');
const SHARED = resolve(ROOT, '../shared');

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same mutations everywhere. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
}

function read(path) {
  const bytes = readFileSync(path);
  try {
    return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  } catch {
    return bytes; // fixtures/bad holds a damaged gzip on purpose
  }
}

function files(dir, pattern) {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => pattern.test(f)).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/**
 * The pages mutations start from: the seeds, the real corpus (both read from ../shared, never
 * copied) and the project's fixtures, each with the capture time its answer key or name gives.
 */
/** @returns {Array<{ name: string, bytes: Buffer, capturedAt: Date }>} */
export function seedPages() {
  const pages = [];
  for (const path of [...files(join(SHARED, 'seeds'), /\.html$/), ...files(join(SHARED, 'corpus'), /\.(?:html(?:\.gz)?|json)$/), ...files(join(ROOT, 'fixtures'), /\.(?:html(?:\.gz)?|json)$/)]) {
    if (path.endsWith('.expected.json')) continue;
    let capturedAt = `${/(\d{4}-\d{2}-\d{2})/.exec(path)?.[1] ?? '2025-06-01'}T12:00:00Z`;
    const key = path.replace(/\.(?:html(?:\.gz)?|json)$/, '.expected.json');
    try {
      capturedAt = JSON.parse(readFileSync(key, 'utf8')).capturedAt ?? capturedAt;
    } catch {
      // no answer key beside it
    }
    pages.push({ name: relative(ROOT, path), bytes: read(path), capturedAt: new Date(capturedAt) });
  }
  return pages;
}

const enc = (s) => Buffer.from(s, 'latin1');

/** Offsets of "<" in a page, sampled: where tags start. */
function tagStarts(bytes, r, max = 400) {
  const out = [];
  for (let i = bytes.indexOf(0x3c); i !== -1 && out.length < 20_000; i = bytes.indexOf(0x3c, i + 1)) out.push(i);
  if (out.length <= max) return out;
  return Array.from({ length: max }, () => r.pick(out)).sort((a, b) => a - b);
}

function insertAt(bytes, at, piece) {
  return Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at)]);
}

/** Impossible values for each shape of time a page writes. */
const IMPOSSIBLE_ISO = ['2025-02-30T10:15:00Z', '2025-13-01T10:15:00Z', '2025-04-31T10:15:00+01:00', '2025-06-10T25:61:00Z', '2025-06-10T24:00:00Z', '2025-06-10T10:15:00+25:00', '2025-06-10T10:15:00+05:99', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00Z', '0000-00-00T00:00:00Z', '2025-00-10T10:15:00Z'];
const IMPOSSIBLE_CLOCKS = ['25:61', '99:99', '13:75 pm', '24:60 BST', '7.61pm', '00:60 Uhr'];
const IMPOSSIBLE_EPOCHS = ['100000000000000000000', '-1', '99999999999999', 'NaN', '1e400'];

/**
 * Mutators: each takes the page's bytes and the PRNG and returns new bytes, plus what it
 * injected where a check needs to know (the impossible dates).
 */
export const MUTATORS = {
  flip(bytes, r) {
    const out = Buffer.from(bytes);
    for (let n = r.int(1, 24); n > 0; n--) out[r.int(0, out.length - 1)] ^= 1 << r.int(0, 7);
    return { bytes: out };
  },
  truncate(bytes, r) {
    return { bytes: bytes.subarray(0, r.int(0, bytes.length - 1)) };
  },
  deleteSpan(bytes, r) {
    const starts = tagStarts(bytes, r);
    if (starts.length < 2) return { bytes };
    const a = r.pick(starts);
    const b = Math.min(bytes.length, a + r.int(1, Math.max(1, Math.floor(bytes.length / 5))));
    return { bytes: Buffer.concat([bytes.subarray(0, a), bytes.subarray(b)]) };
  },
  duplicateSpan(bytes, r) {
    const starts = tagStarts(bytes, r);
    if (starts.length < 2) return { bytes };
    const a = r.pick(starts);
    const span = bytes.subarray(a, Math.min(bytes.length, a + r.int(1, 50_000)));
    let out = bytes;
    for (let n = r.int(1, 20); n > 0; n--) out = insertAt(out, r.pick(starts), span);
    return { bytes: out };
  },
  deepNesting(bytes, r) {
    const tag = r.pick(['div', 'span', 'p', 'section', 'b', 'li', 'table', 'a', 'svg', 'font']);
    const n = r.int(600, 20_000);
    const closed = r.next() < 0.5;
    const at = r.pick(tagStarts(bytes, r).concat([0]));
    const piece = `${`<${tag} class="n">`.repeat(n)}deep 12:05 text${closed ? `</${tag}>`.repeat(n) : ''}`;
    return { bytes: insertAt(bytes, at, enc(piece)) };
  },
  hugeAttribute(bytes, r) {
    const starts = tagStarts(bytes, r).filter((i) => /[a-z]/i.test(String.fromCharCode(bytes[i + 1] ?? 0)));
    if (starts.length === 0) return { bytes };
    const at = r.pick(starts) + 1;
    let end = at;
    while (end < bytes.length && /[\w-]/.test(String.fromCharCode(bytes[end]))) end++;
    const size = r.int(10_000, 1_000_000);
    const value = r.next() < 0.5 ? 'x'.repeat(size) : Array.from({ length: size / 8 }, (_, k) => `c${k % 97}`).join(' ');
    const name = r.pick(['data-x', 'class', 'id', 'datetime', 'href', 'title', 'data-timestamp', 'content']);
    return { bytes: insertAt(bytes, end, enc(` ${name}="${value}"`)) };
  },
  invalidUtf8(bytes, r) {
    const junk = [[0x80], [0xbf, 0xbf], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xff], [0xfe, 0xff], [0xe2, 0x82], [0xf0, 0x9f, 0x98]];
    let out = bytes;
    for (let n = r.int(1, 40); n > 0; n--) out = insertAt(out, r.int(0, out.length), Buffer.from(r.pick(junk)));
    return { bytes: out };
  },
  wrongCharset(bytes, r) {
    const label = r.pick(['utf-16le', 'utf-16be', 'shift_jis', 'iso-2022-jp', 'x-user-defined', 'utf-7', 'windows-1251', 'gb18030', 'bogus-charset', 'replacement', 'euc-kr']);
    const s = bytes.toString('latin1');
    const replaced = s.replace(/<meta[^>]*charset=["']?[\w-]+["']?[^>]*>/i, `<meta charset="${label}">`);
    return { bytes: enc(replaced === s ? s.replace(/<head[^>]*>/i, (h) => `${h}<meta charset="${label}">`) : replaced) };
  },
  nuls(bytes, r) {
    let out = bytes;
    for (let n = r.int(1, 30); n > 0; n--) out = insertAt(out, r.int(0, out.length), Buffer.from(r.next() < 0.3 ? [0, 0, 0, 0] : [0]));
    return { bytes: out };
  },
  jsonLdTypes(bytes, r) {
    // Stands for an array nested thousands deep, spliced into the JSON text after it is written.
    const DEEP = '\u0000deep\u0000';
    const depth = r.int(1000, 20_000);
    const deepArray = '['.repeat(depth) + ']'.repeat(depth);
    const s = bytes.toString('utf8');
    const scripts = [...s.matchAll(/(<script[^>]*ld\+json[^>]*>)([\s\S]*?)(<\/script>)/gi)];
    const wrongs = [() => 42, () => -1e308, () => true, () => null, () => [], () => ({}), () => 'x'.repeat(r.int(0, 50_000)), () => [[[[[[]]]]]], () => ({ '@type': 42 }),
      () => DEEP, () => '2025-02-30T10:00:00Z', () => ({ '@value': 'v' }), () => ['LiveBlogPosting', 7]];
    const mutate = (v, depth) => {
      if (r.next() < 0.15) return r.pick(wrongs)();
      if (depth > 30 || v === null || typeof v !== 'object') return v;
      if (Array.isArray(v)) return v.map((x) => mutate(x, depth + 1));
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mutate(x, depth + 1)]));
    };
    let text;
    if (scripts.length === 0) {
      const ld = JSON.stringify(mutate({ '@type': 'LiveBlogPosting', liveBlogUpdate: [{ '@type': 'BlogPosting', headline: 'h', datePublished: '2025-06-01T10:00:00Z', articleBody: 'b' }] }, 0)).replaceAll(JSON.stringify(DEEP), deepArray);
      text = s.replace(/<\/head>/i, `<script type="application/ld+json">${ld}</script></head>`);
    } else {
      const m = r.pick(scripts);
      let body;
      try {
        body = JSON.stringify(mutate(JSON.parse(m[2]), 0)).replaceAll(JSON.stringify(DEEP), deepArray);
      } catch {
        body = m[2].slice(0, r.int(0, m[2].length));
      }
      text = s.slice(0, m.index) + m[1] + body + m[3] + s.slice(m.index + m[0].length);
    }
    return { bytes: Buffer.from(text, 'utf8') };
  },
  fragmentLinks(bytes, r) {
    // Links to posts by fragment, percent-encoded, some malformed: decoding them must not throw.
    const hrefs = ['#%E0%A4%A', '#%', '#%ZZ', '%23%E0', '#block-%C3%A9t%C3%A9', '#%F0%9F%98', '#post-%00', `#${'%41'.repeat(r.int(1, 5000))}`];
    const links = Array.from({ length: r.int(1, 30) }, () => `<a href="${r.pick(hrefs)}">Key event ${r.int(1, 99)}</a>`).join('');
    const box = r.pick(['<div class="key-events">', '<nav class="timeline">', '<ul class="key-events-list"><li>', '<div>']);
    const starts = tagStarts(bytes, r);
    const at = starts.length ? r.pick(starts) : 0;
    return { bytes: insertAt(bytes, at, enc(`${box}${links}</div>`)) };
  },
  repeatedProps(bytes, r) {
    // One item with thousands of values of a property: the reader's lists must grow in place.
    const n = r.int(1_000, 20_000);
    const prop = r.pick(['keywords', 'author', 'about', 'liveBlogUpdate', 'articleBody']);
    const item = r.next() < 0.5
      ? `<div itemscope itemtype="https://schema.org/LiveBlogPosting">${`<span itemprop="${prop}">v</span>`.repeat(n)}</div>`
      : `<div vocab="https://schema.org/" typeof="LiveBlogPosting">${`<span property="${prop}">v</span>`.repeat(n)}</div>`;
    const starts = tagStarts(bytes, r);
    return { bytes: insertAt(bytes, starts.length ? r.pick(starts) : 0, enc(item)) };
  },
  manyUpdates(bytes, r) {
    // Thousands of posts on the page and in its JSON-LD, matched by content: no pair-by-pair search.
    const n = r.int(200, 1_500);
    const words = ['council', 'river', 'storm', 'vote', 'rescue', 'road', 'bridge', 'market', 'school', 'power'];
    const text = (k, salt) => Array.from({ length: 12 }, (_, j) => words[(k * 7 + j * 3 + salt) % words.length]).join(' ') + ` ${k}`;
    const updates = [];
    const blocks = [];
    for (let k = 0; k < n; k++) {
      const at = new Date(Date.UTC(2025, 5, 1, 10, 0) + k * 60_000).toISOString();
      updates.push({ '@type': 'BlogPosting', headline: r.next() < 0.5 ? `Update ${k}` : undefined, datePublished: at, articleBody: text(k, 0), url: `https://example.org/live#u${k}` });
      if (r.next() < 0.6) blocks.push(`<article id="p${k}"><time datetime="${at}">${at.slice(11, 16)}</time><h2>${r.next() < 0.5 ? `Update ${k}` : `Other ${k}`}</h2><p>${text(k, r.next() < 0.7 ? 0 : 1)}</p></article>`);
    }
    const ld = `<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'LiveBlogPosting', liveBlogUpdate: updates })}</script>`;
    const s = bytes.toString('latin1');
    const withLd = /<\/head>/i.test(s) ? s.replace(/<\/head>/i, `${ld}</head>`) : ld + s;
    const out = /<body[^>]*>/i.test(withLd) ? withLd.replace(/<body[^>]*>/i, (b) => `${b}<main>${blocks.join('')}</main>`) : withLd + blocks.join('');
    return { bytes: enc(out) };
  },
  impossibleDates(bytes, r) {
    const injected = [];
    const s = bytes.toString('latin1');
    const out = s
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, (m) => {
        if (r.next() > 0.5) return m;
        const v = r.pick(IMPOSSIBLE_ISO);
        injected.push(v);
        return v;
      })
      .replace(/(>\s*)(\d{1,2}[:.]\d{2})(?=\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?\s*<)/gi, (m, pre) => (r.next() > 0.5 ? m : `${pre}${r.pick(IMPOSSIBLE_CLOCKS)}`))
      .replace(/(data-[\w-]*(?:time|date)[\w-]*=")(\d{9,13})"/gi, (m, pre) => (r.next() > 0.5 ? m : `${pre}${r.pick(IMPOSSIBLE_EPOCHS)}"`));
    return { bytes: enc(out), injected };
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/** The mutated page for (seed page, mutator, seed): the same triple gives the same bytes on every machine. */
/**
 * @param {{ bytes: Buffer }} page
 * @param {string} mutator
 * @param {number} seed
 * @returns {{ bytes: Buffer, injected?: string[] }}
 */
export function mutate(page, mutator, seed) {
  const r = rng(seed);
  return MUTATORS[mutator](page.bytes, r);
}

/**
 * Fixed pseudo-random cases: which page, which mutator, which seed. Mutators are taken in turn
 * so every kind gets its share; pages at random.
 */
/**
 * @template P
 * @param {P[]} pages
 * @param {number} count
 * @returns {Generator<{ page: P, mutator: string, seed: number }>}
 */
export function* cases(pages, count, seed = 1) {
  const r = rng(seed);
  for (let i = 0; i < count; i++) yield { page: r.pick(pages), mutator: /** @type {string} */ (MUTATOR_NAMES[i % MUTATOR_NAMES.length]), seed: r.int(1, 2 ** 31) };
}

/** The UTC instants an impossible date would wrongly become if normalized (2025-02-30 → 2025-03-02), at any whole or half-hour offset. */
function rollovers(value) {
  const m = /^([+-]?\d{4,6})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return [];
  const base = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (!Number.isFinite(base)) return [];
  return Array.from({ length: 57 }, (_, k) => base + (k - 28) * 30 * 60_000);
}

/**
 * What every parse must satisfy. `result` is a ParsedPage, or the error parsing threw;
 * `isInputError` tells a refusal of bad input (fine) from an internal error (a bug). Returns
 * the problems found, empty when all is well.
 */
/**
 * @param {object | Error} result
 * @param {{ injected?: string[], original?: object | Error | null, isInputError: (e: Error) => boolean }} context
 * @returns {string[]}
 */
export function check(result, { injected = [], original = null, isInputError }) {
  if (result instanceof Error) return isInputError(result) ? [] : [`internal error: ${result.message}`];
  const problems = [];
  const known = new Set(original && !(original instanceof Error) ? original.posts.flatMap((p) => [p.publishedAt, p.updatedAt]) : []);
  const forbidden = new Set(injected.flatMap(rollovers));
  for (const p of result.posts) {
    for (const t of [p.publishedAt, p.updatedAt]) {
      if (t === null) continue;
      const ms = Date.parse(t);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(t) || Number.isNaN(ms)) problems.push(`post ${p.id}: malformed time ${t}`);
      else if (ms < Date.UTC(1990, 0, 1) || ms >= Date.UTC(2100, 0, 1)) problems.push(`post ${p.id}: time out of range ${t}`);
      else if (forbidden.has(ms) && !known.has(t)) problems.push(`post ${p.id}: ${t} is an impossible date made real`);
    }
    for (const u of [p.url, ...p.media.flatMap((m) => [m.url, m.thumbnail])]) {
      if (u !== null && !/^https?:\/\//.test(u)) problems.push(`post ${p.id}: URL with another scheme ${u.slice(0, 80)}`);
    }
  }
  return problems;
}

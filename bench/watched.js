// The raw bytes a watched page costs: one capture every 2 minutes for 6 hours (180 captures),
// simulated from the CNN seeds, stored by the real ingest, against one gzip per capture.
//
//   node bench/watched.js
//
// The simulated page is the seed "B" page (216 KB, 19 posts). It starts with its 8 oldest
// posts; every 10 minutes a post appears at the top (first B's own 11 newer posts, then copies
// of its posts with a new id and a tenth of their words changed); every capture renews each
// post's "N min ago", a request id and a timestamp in the markup (as CMSs and CDNs do); every
// 15th capture edits a word of a visible post. Every capture is then read back and compared
// byte for byte.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadLibrary, mb, median, ms, repoRoot, rng, seedsDir } from './common.js';

const CAPTURES = 180;
const EVERY_MS = 120_000;

export function* watchedCaptures() {
  const html = readFileSync(join(seedsDir, 'cnn-live-2025-11-25-B.html'), 'utf8');
  const blocks = [...html.matchAll(/<article[^>]*live-story-post[^>]*>[\s\S]*?<\/article>/g)];
  const first = blocks[0].index;
  const last = blocks.at(-1).index + blocks.at(-1)[0].length;
  const [before, after] = [html.slice(0, first), html.slice(last)];
  const posts = blocks.map((b) => b[0]); // newest first, as the page shows them
  const r = rng(42);
  const words = html.replace(/<[^>]+>/g, ' ').match(/\b[a-z]{4,}\b/g);
  const shown = posts.slice(11); // the 8 oldest
  const waiting = posts.slice(0, 11).reverse(); // B's newer posts, oldest first
  const start = Date.UTC(2025, 10, 25, 9, 0);
  for (let i = 0; i < CAPTURES; i++) {
    if (i > 0 && i % 5 === 0) {
      let post = waiting.shift();
      if (!post) {
        const id = createHash('md5').update(String(i)).digest('hex');
        post = posts[Math.floor(r() * posts.length)].replace(/h_[0-9a-f]{32}/g, `h_${id}`)
          .replace(/>([^<]{20,})</g, (m, text) => `>${text.replace(/\b[a-z]{4,}\b/g, (w) => (r() < 0.1 ? words[Math.floor(r() * words.length)] : w))}<`);
      }
      shown.unshift(post);
    }
    if (i > 0 && i % 15 === 0) {
      const k = Math.floor(r() * shown.length);
      shown[k] = shown[k].replace(/\b(the|a|and|of)\b/, (w) => (w === 'the' ? 'a' : 'the'));
    }
    let minutes = 3;
    const page = shown.map((p) => p.replace(/\d+ (?:min|hr) ago/g, () => {
      minutes += 7;
      return minutes < 60 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} hr ago`;
    })).join('');
    const at = new Date(start + i * EVERY_MS);
    const stamp = `<meta name="generated" content="${at.toISOString()}"><!-- request ${createHash('sha1').update(`${i}`).digest('hex')} -->`;
    yield { source: `capture-${i}.html`, origin: 'file', bytes: Buffer.from(before.replace('</head>', `${stamp}</head>`) + page + after), capturedAt: at, capturedAtSource: 'option' };
  }
}

export async function watchedRun({ lib } = {}) {
  const { openArchive, ingestCapture } = lib ?? await loadLibrary();
  const { readRaw } = await import(join(repoRoot, 'dist/store/raw.js'));
  const dir = mkdtempSync(join(tmpdir(), 'livearchive-watched-'));
  const archive = await openArchive(join(dir, 'w.db'));
  const captures = [...watchedCaptures()];
  let gzip = 0;
  const writes = [];
  for (const c of captures) {
    gzip += gzipSync(c.bytes).length;
    const t0 = performance.now();
    if ((await ingestCapture(archive, c)).status !== 'new') throw new Error(`${c.source} not new`);
    writes.push(performance.now() - t0);
  }
  const rows = archive.sqlite.prepare('SELECT snapshot_id, encoding, chain, length(bytes) AS size FROM snapshot_raw ORDER BY snapshot_id').all();
  const reads = [];
  let exact = 0;
  for (const [i, row] of rows.entries()) {
    const t0 = performance.now();
    const bytes = await readRaw(archive, row.snapshot_id, 0);
    reads.push({ ms: performance.now() - t0, chain: row.chain });
    if (bytes.equals(captures[i].bytes)) exact++;
  }
  await archive.close();
  rmSync(dir, { recursive: true, force: true });
  const stored = rows.reduce((n, r) => n + r.size, 0);
  const raw = captures.reduce((n, c) => n + c.bytes.length, 0);
  const deltas = rows.filter((r) => r.encoding === 'delta').map((r) => r.size);
  return { captures: captures.length, raw, gzip, stored, exact, deltas, fulls: rows.length - deltas.length, writes, reads };
}

export function watchedTable(w) {
  const whole = w.reads.filter((r) => r.chain === 0).map((r) => r.ms);
  const delta = w.reads.filter((r) => r.chain > 0).map((r) => r.ms);
  return [
    '| captures | page bytes (uncompressed) | one gzip per capture | stored (delta-encoded) | stored ÷ gzip | byte-exact on read |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${w.captures} | ${mb(w.raw)} MB | ${mb(w.gzip)} MB | ${(w.stored / 1024).toFixed(0)} KB | ${((100 * w.stored) / w.gzip).toFixed(1)} % | ${w.exact}/${w.captures} |`,
    '',
    `${w.fulls} whole copies (gzip) and ${w.deltas.length} deltas (median ${(median(w.deltas) / 1024).toFixed(1)} KB, largest ${(Math.max(...w.deltas) / 1024).toFixed(1)} KB). `
      + `Ingest of a capture (parse, posts, delta): median ${ms(median(w.writes))} ms. Reading a capture back (readRaw, SHA-256 check included): `
      + `median ${ms(median(whole))} ms for a whole copy, ${ms(median(delta))} ms for a delta (max ${ms(Math.max(...delta))} ms).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(watchedTable(await watchedRun()));
}

#!/usr/bin/env node
// WARC ingest benchmark: does a large WARC stream through at flat memory?
//
//   npm run build && node bench/warc.js                  # a 2 GiB WARC, 200 pages
//   node bench/warc.js --size-mb 512 --pages 50 --keep   # smaller; keep the files
//
// Builds a crawl-like .warc.gz (one gzip member per record, as wget and Heritrix write):
// a warcinfo record, then --pages live-blog page responses (the two CNN seed pages, each copy
// made distinct so that every one is parsed and archived as a new snapshot) among image
// responses of 256 KiB – 2 MiB of random bytes (not pages: read through and skipped), each
// response after its request record, up to --size-mb. Then ingests it into a fresh archive in a
// child process (node bin/livearchive.js ingest) and reports records/s, MB/s of the file and
// the child's peak RSS (getrusage ru_maxrss, which includes the V8 heap, SQLite's page cache
// and the parser's DOMs). Needs a built dist/ and ../shared/seeds.

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const seeds = resolve(root, '../shared/seeds');

function parseArgs(argv) {
  const opts = { sizeMb: 2048, pages: 200, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--size-mb') opts.sizeMb = Number(argv[++i]);
    else if (a === '--pages') opts.pages = Number(argv[++i]);
    else if (a === '--keep') opts.keep = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node bench/warc.js [--size-mb 2048] [--pages 200] [--keep]');
      process.exit(0);
    } else {
      console.error(`unknown argument ${a}`);
      process.exit(2);
    }
  }
  if (!(opts.sizeMb > 0) || !(opts.pages > 0)) {
    console.error('--size-mb and --pages want positive numbers');
    process.exit(2);
  }
  return opts;
}

function record(type, uri, date, contentType, block) {
  const head = `WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Target-URI: ${uri}\r\nWARC-Date: ${date}\r\nWARC-Record-ID: <urn:uuid:${randomUUID()}>\r\n`
    + `Content-Type: ${contentType}\r\nContent-Length: ${block.length}\r\n\r\n`;
  // Level 1: the benchmark measures reading, not how long building the file takes.
  return gzipSync(Buffer.concat([Buffer.from(head, 'latin1'), block, Buffer.from('\r\n\r\n')]), { level: 1 });
}

function exchange(uri, date, contentType, body) {
  const u = new URL(uri);
  const request = Buffer.from(`GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nUser-Agent: bench\r\n\r\n`);
  const response = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
  return [record('request', uri, date, 'application/http;msgtype=request', request), record('response', uri, date, 'application/http;msgtype=response', response)];
}

async function build(file, opts) {
  const pages = [readFileSync(join(seeds, 'cnn-live-2025-11-25-A.html')), readFileSync(join(seeds, 'cnn-live-2025-11-25-B.html'))];
  const out = createWriteStream(file);
  const write = async (buf) => {
    if (!out.write(buf)) await once(out, 'drain');
  };
  const limit = opts.sizeMb * 1024 * 1024;
  let size = 0;
  let records = 0;
  let pageCount = 0;
  let images = 0;
  const start = Date.parse('2025-11-25T06:00:00Z');
  await write(record('warcinfo', 'urn:bench', '2025-11-25T06:00:00Z', 'application/warc-fields', Buffer.from('software: bench/warc.js\r\n')));
  records++;
  // Pages spread evenly among the images, up to the size.
  const imageBytesPerPage = limit / opts.pages;
  for (let p = 0; p < opts.pages; p++) {
    const date = new Date(start + p * 60_000).toISOString().replace('.000Z', 'Z');
    const page = Buffer.concat([pages[p % 2], Buffer.from(`\n<!-- bench copy ${p} -->\n`)]);
    for (const r of exchange(`https://www.cnn.com/world/live-news/bench-${Math.floor(p / 2)}/index.html`, date, 'text/html; charset=utf-8', page)) {
      await write(r);
      size += r.length;
      records++;
    }
    pageCount++;
    let budget = imageBytesPerPage;
    while (budget > 0 && size < limit) {
      const n = 256 * 1024 + Math.floor(Math.random() * (2 * 1024 * 1024 - 256 * 1024));
      for (const r of exchange(`https://media.example.com/img/${images}.jpg`, date, 'image/jpeg', randomBytes(n))) {
        await write(r);
        size += r.length;
        records++;
      }
      images++;
      budget -= n;
    }
  }
  out.end();
  await once(out, 'finish');
  return { records, pages: pageCount, images };
}

async function ingest(file, db) {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', `
    const { run } = await import(${JSON.stringify(join(root, 'dist/cli/main.js'))});
    const sink = { write: () => true, once: () => undefined };
    const code = await run(['ingest', ${JSON.stringify(file)}, '--db', ${JSON.stringify(db)}, '--quiet'], { stdout: sink, stderr: process.stderr });
    process.stdout.write(JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS }));
  `, '--input-type=module'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => { out += c; });
  await once(child, 'exit');
  return { ms: performance.now() - started, ...JSON.parse(out) };
}

const opts = parseArgs(process.argv.slice(2));
const dir = mkdtempSync(join(tmpdir(), 'livearchive-bench-warc-'));
const file = join(dir, 'crawl.warc.gz');
try {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  const t0 = performance.now();
  const built = await build(file, opts);
  const bytes = statSync(file).size;
  console.log(`built ${file}: ${(bytes / 2 ** 20).toFixed(0)} MiB, ${built.records} records (${built.pages} pages, ${built.images} images) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const r = await ingest(file, join(dir, 'bench.db'));
  if (r.code !== 0) throw new Error(`ingest exited ${r.code}`);
  const snapshots = execFileSync('sqlite3', [join(dir, 'bench.db'), 'SELECT COUNT(*) FROM snapshots'], { encoding: 'utf8' }).trim();
  const s = r.ms / 1000;
  console.log(`ingest: ${s.toFixed(1)} s, ${(built.records / s).toFixed(0)} records/s, ${(bytes / 2 ** 20 / s).toFixed(1)} MiB/s, ${snapshots} snapshots, peak RSS ${(r.maxRssKiB / 1024).toFixed(0)} MiB`);
} finally {
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}

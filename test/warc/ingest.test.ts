import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../http/server.js';
import { cli, tempDir } from '../helpers.js';
import { A, B, nextSecond, PAGE, pythonServer, recordOffsets, responseDates, serve, wget, type PythonServer } from './producers.js';

let server: PythonServer;
let dir: string;
/** wget's WARCs of A, then (a second later) B, at the same URL; gzip per record, and plain. */
let warcA: string;
let warcB: string;
let plainA: string;
let plainB: string;
let both: string;
let bothPlain: string;
let dates: string[];

function rows<T>(db: string, sql: string): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all() as T[];
  } finally {
    d.close();
  }
}

function integrity(db: string): string {
  return execFileSync('sqlite3', [db, 'PRAGMA integrity_check; PRAGMA foreign_key_check;'], { encoding: 'utf8' }).trim();
}

beforeAll(async () => {
  server = await pythonServer();
  dir = tempDir();
  serve(server, 'live/index.html', A);
  warcA = await wget(dir, 'a', [server.url('/live/index.html')], ['--warc-cdx']);
  plainA = await wget(dir, 'a-plain', [server.url('/live/index.html')], ['--no-warc-compression']);
  await nextSecond();
  serve(server, 'live/index.html', B);
  warcB = await wget(dir, 'b', [server.url('/live/index.html')], ['--warc-cdx']);
  plainB = await wget(dir, 'b-plain', [server.url('/live/index.html')], ['--no-warc-compression']);
  both = join(dir, 'cap.warc.gz');
  writeFileSync(both, Buffer.concat([readFileSync(warcA), readFileSync(warcB)]));
  bothPlain = join(dir, 'cap.warc');
  writeFileSync(bothPlain, Buffer.concat([readFileSync(plainA), readFileSync(plainB)]));
  dates = [...responseDates(warcA), ...responseDates(warcB)];
}, 60_000);

afterAll(async () => {
  await server.close();
});

describe('ingest of WARCs written by wget', () => {
  it('A then B at one URL in one WARC: two snapshots at their WARC-Dates, then 19 posts, 8 new, 1 edited', async () => {
    expect(dates).toHaveLength(2);
    expect(dates[0]! < dates[1]!).toBe(true);
    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', both, '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${both}#\\d+: new snapshot of ${PAGE} \\[live blog; cnn-live@2023-01\\] captured ${dates[0]} \\(WARC-Date\\): 11 posts \\(11 new, 0 edited, 0 removed\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^${both}#\\d+: new snapshot of ${PAGE} \\[live blog; cnn-live@2023-01\\] captured ${dates[1]} \\(WARC-Date\\): 19 posts \\(8 new, 1 edited, 0 removed\\)$`));
    expect(lines[2]).toBe(`${both}: 10 records: 2 captures, 0 revisits, 8 skipped`);
    expect(lines[3]).toBe('2 sources: 2 new, 0 unchanged, 0 failed');
    const snaps = rows<{ captured_at: string; captured_at_source: string; origin: string; title: string; post_count: number; final_url: string; warc_record_id: string; provenance: string }>(db,
      'SELECT captured_at, captured_at_source, origin, title, post_count, final_url, warc_record_id, provenance FROM snapshots ORDER BY captured_at');
    expect(snaps.map((s) => [s.captured_at, s.captured_at_source, s.origin, s.post_count])).toEqual([[dates[0], 'warc', 'warc', 11], [dates[1], 'warc', 'warc', 19]]);
    expect(snaps[0]!.final_url).toBe(server.url('/live/index.html'));
    // Each snapshot names its WARC record: file, offset, WARC-Record-ID (wget's CDX says where B's response is).
    const cdxB = readFileSync(join(dir, 'b.cdx'), 'utf8').trim().split('\n')[1]!.split(' ');
    const offsetB = readFileSync(warcA).length + Number(cdxB[8]);
    expect(JSON.parse(snaps[1]!.provenance)).toEqual({ warc: { file: both, offset: offsetB, recordId: cdxB[10] } });
    expect(snaps[1]!.warc_record_id).toBe(cdxB[10]);
    // The page's posts are B's, and A's edited post has two versions.
    const posts = await cli(['posts', PAGE, '--db', db, '--json']);
    expect((JSON.parse(posts.stdout) as unknown[]).length).toBe(19);
    expect(integrity(db)).toBe('ok');
  });

  it('reads the same records from a plain WARC and from one gzip member for the whole file', async () => {
    const single = join(dir, 'single.warc.gz');
    writeFileSync(single, gzipSync(readFileSync(bothPlain)));
    for (const file of [bothPlain, single]) {
      const db = join(tempDir(), 'x.db');
      const r = await cli(['ingest', file, '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${file}: 10 records: 2 captures, 0 revisits, 8 skipped`);
      expect(r.stdout).toContain('19 posts (8 new, 1 edited, 0 removed)');
      expect(rows<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM snapshots')[0]!.n).toBe(2);
    }
  });

  it('takes a WARC from stdin, and a WARC named like a page is still read as a WARC', async () => {
    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', '-', '--db', db], { stdin: readFileSync(both) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('-: 10 records: 2 captures, 0 revisits, 8 skipped');
    const disguised = join(tempDir(), 'page.html');
    writeFileSync(disguised, readFileSync(both));
    const again = await cli(['ingest', disguised, '--db', join(tempDir(), 'y.db')]);
    expect(again.stdout).toContain(`${disguised}: 10 records: 2 captures`);
  });

  it('the same WARC again changes nothing', async () => {
    const db = join(tempDir(), 'x.db');
    await cli(['ingest', both, '--db', db]);
    const r = await cli(['ingest', both, '--db', db]);
    expect(r.stdout).toContain('2 sources: 0 new, 2 unchanged, 0 failed');
    expect(rows<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM snapshots')[0]!.n).toBe(2);
  });

  it('a --warc-dedup revisit is recorded as an unchanged check at its date, resolved through WARC-Refers-To', async () => {
    serve(server, 'live/index.html', A);
    await nextSecond();
    const dedup = await wget(dir, 'dedup', [server.url('/live/index.html')], [`--warc-dedup=${join(dir, 'a.cdx')}`]);
    const text = gunzipSync(readFileSync(dedup)).toString('latin1');
    expect(text).toContain('WARC-Type: revisit');
    const revisitDate = new Date(/WARC-Type: revisit[\s\S]*?WARC-Date: (\S+)/.exec(text)![1]!).toISOString();
    const refersTo = /WARC-Refers-To: (\S+)/.exec(text)![1]!;

    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', warcA, dedup, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${dedup}#\\d+: unchanged \\(revisit: the same payload as the capture of ${PAGE} at ${dates[0]}; check recorded\\)`));
    expect(r.stdout).toContain(`${dedup}: 5 records: 0 captures, 1 revisit, 4 skipped`);
    expect(rows<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM snapshots')[0]!.n).toBe(1);
    const checks = rows<{ checked_at: string; outcome: string; status: number; provenance: string }>(db, 'SELECT checked_at, outcome, status, provenance FROM http_checks ORDER BY checked_at');
    expect(checks.map((c) => [c.checked_at, c.outcome, c.status])).toEqual([[dates[0], 'new', 200], [revisitDate, 'unchanged', 200]]);
    expect(JSON.parse(checks[1]!.provenance).warc.refersTo).toBe(refersTo);

    // Alone, with nothing to resolve it to: no longer "not an HTML page", but the check, said plainly.
    const alone = join(tempDir(), 'y.db');
    const only = await cli(['ingest', dedup, '--db', alone]);
    expect(only.code, only.stderr).toBe(0);
    expect(only.stdout).toMatch(/revisit of http:\/\/127\.0\.0\.1:\d+\/live\/index\.html at \S+: recorded as an unchanged check \(the record it repeats is in neither this input nor the archive\)/);
    expect(rows<{ outcome: string }>(alone, 'SELECT outcome FROM http_checks')).toEqual([{ outcome: 'unchanged' }]);
  });

  it('undoes chunked transfer and gzip content encoding, as wget --compression=gzip stores them', async () => {
    const page = readFileSync(A);
    const gz = gzipSync(page);
    const node = await startServer();
    // No Content-Length: Node sends the gzip body in chunks.
    node.route('/live', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
      res.write(gz.subarray(0, 1000));
      setTimeout(() => res.end(gz.subarray(1000)), 10);
    });
    try {
      const warc = await wget(dir, 'chunked', [node.url('/live')], ['--compression=gzip', '--no-warc-compression']);
      const raw = readFileSync(warc).toString('latin1');
      expect(raw).toMatch(/Transfer-Encoding: chunked\r\n/i);
      expect(raw).toMatch(/content-encoding: gzip\r\n/i);
      const db = join(tempDir(), 'x.db');
      const r = await cli(['ingest', warc, '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('11 posts (11 new, 0 edited, 0 removed)');
      expect(rows<{ sha256: string }>(db, 'SELECT sha256 FROM snapshots')).toEqual([{ sha256: createHash('sha256').update(page).digest('hex') }]);
    } finally {
      await node.close();
    }
  });

  it('a page with its images: only the page is a capture, the rest is counted as skipped', async () => {
    serve(server, 'gallery/index.html', Buffer.from('<!doctype html><html><head><title>Gallery</title><link rel="stylesheet" href="style.css"></head><body><article><h1>Pictures</h1><p>Two pictures of the harbour at dawn.</p><img src="harbour.png" alt="harbour"><img src="missing.png"></article></body></html>'));
    serve(server, 'gallery/style.css', Buffer.from('p { margin: 0 }'));
    serve(server, 'gallery/harbour.png', Buffer.from('\x89PNG\r\n\x1a\n....', 'latin1'));
    const warc = await wget(dir, 'gallery', [server.url('/gallery/index.html')], ['-p']);
    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', warc, '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { results: Array<Record<string, unknown>> };
    const read = summary.results.find((x) => x['status'] === 'read')!;
    // warcinfo, request+response for the page, robots.txt (404), the CSS, the PNG, the missing PNG (404), wget's metadata and resource records.
    expect(read).toMatchObject({ captures: 1, revisits: 0, complete: true });
    // One request record per response, and one more when wget sent a request again (a busy machine).
    const requests = gunzipSync(readFileSync(warc)).toString('latin1').match(/^WARC-Type: request\r$/gm)?.length ?? 0;
    expect(requests).toBeGreaterThanOrEqual(5);
    expect(read['skipped']).toMatchObject({ 'warcinfo record': 1, 'request record': requests, 'not a page': 2, 'HTTP 4xx response': 2, 'metadata record': 1, 'not a web page (no http(s) target)': 1 });
    expect(rows<{ final_url: string }>(db, 'SELECT final_url FROM snapshots')).toEqual([{ final_url: server.url('/gallery/index.html') }]);
  });
});

describe('damaged WARCs: a clear error naming the file and offset; what came before stays archived', () => {
  async function expectDamage(file: string, message: RegExp): Promise<string> {
    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', file, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    // A (the first capture) is archived; B is not.
    expect(rows<{ post_count: number }>(db, 'SELECT post_count FROM snapshots')).toEqual([{ post_count: 11 }]);
    expect(integrity(db)).toBe('ok');
    return r.stdout;
  }

  it('a truncated WARC', async () => {
    const whole = readFileSync(bothPlain);
    const bAt = recordOffsets(whole, 'response')[1]!;
    const cut = join(tempDir(), 'cut.warc');
    writeFileSync(cut, whole.subarray(0, bAt + 5000));
    const out = await expectDamage(cut, new RegExp(`^livearchive: ${cut}: truncated record \\(the file ends before its Content-Length\\) at offset ${bAt} \\(the \\d+ records before it were read\\)\\n$`));
    expect(out).toContain(`${cut}: 7 records: 1 capture, 0 revisits, 6 skipped (reading stopped at the damage)`);
  });

  it('a record with a wrong Content-Length', async () => {
    const whole = readFileSync(bothPlain);
    const bAt = recordOffsets(whole, 'response')[1]!;
    const head = whole.subarray(bAt, bAt + 2000).toString('latin1');
    const length = Number(/Content-Length: (\d+)\r\n\r\nHTTP/.exec(head)![1]);
    const wrong = join(tempDir(), 'wrong.warc');
    const text = whole.toString('latin1');
    const at = text.indexOf(`Content-Length: ${length}\r\n\r\nHTTP`, bAt);
    writeFileSync(wrong, Buffer.concat([whole.subarray(0, at), Buffer.from(`Content-Length: ${length - 40}`), whole.subarray(at + `Content-Length: ${length}`.length)]));
    await expectDamage(wrong, new RegExp(`^livearchive: ${wrong}: record whose Content-Length does not match its content at offset ${bAt} `));
  });

  it('a corrupt gzip member in the middle', async () => {
    const whole = readFileSync(both);
    const cdxB = readFileSync(join(dir, 'b.cdx'), 'utf8').trim().split('\n')[1]!.split(' ');
    const bAt = readFileSync(warcA).length + Number(cdxB[8]);
    const broken = Buffer.from(whole);
    // Garble the deflate data of B's response member, past its gzip header.
    for (let i = bAt + 200; i < bAt + 260; i++) broken[i] = broken[i]! ^ 0x5a;
    const file = join(tempDir(), 'broken.warc.gz');
    writeFileSync(file, broken);
    await expectDamage(file, new RegExp(`^livearchive: ${file}: corrupt gzip member at offset ${bAt} `));
  });
});

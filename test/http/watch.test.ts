import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, ROOT, SEEDS, tempDir } from '../helpers.js';
import { startServer, type TestServer } from './server.js';

const A = readFileSync(join(SEEDS, 'cnn-live-2025-11-25-A.html'));
const B = readFileSync(join(SEEDS, 'cnn-live-2025-11-25-B.html'));

let server: TestServer;
let db: string;
beforeEach(async () => {
  server = await startServer();
  db = join(tempDir(), 'w.db');
});
afterEach(async () => server.close());

describe('watch', () => {
  it('checks at every interval and records the versions as the page changes', async () => {
    server.route('/live', (req, res, hit) => res.writeHead(200, { 'content-type': 'text/html' }).end(hit === 1 ? A : B));
    const r = await cli(['watch', server.url('/live'), '--every', '0.3s', '--count', '3', '--delay', '0', '--db', db]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/11 posts \(11 new, 0 edited, 0 removed\)$/);
    expect(lines[1]).toMatch(/19 posts \(8 new, 1 edited, 0 removed\)$/);
    expect(lines[2]).toMatch(/unchanged \(same bytes already archived/);
    expect(lines[3]).toBe('watch ended: 3 rounds, 2 new snapshots, 0 failed checks');
    const d = new Database(db, { readonly: true });
    expect(d.prepare(`SELECT COUNT(*) AS n FROM post_versions`).get()).toEqual({ n: 20 });
    expect(d.prepare(`SELECT outcome FROM http_checks ORDER BY id`).all().map((x) => (x as { outcome: string }).outcome)).toEqual(['new', 'new', 'unchanged']);
    d.close();
  });

  it('--nl and --json print one JSON object per round, and nothing else', async () => {
    server.route('/live', (req, res, hit) => res.writeHead(200, { 'content-type': 'text/html' }).end(hit === 1 ? A : B));
    server.route('/gone', (req, res) => res.writeHead(404).end());
    for (const flag of ['--nl', '--json']) {
      const r = await cli(['watch', server.url('/live'), server.url('/gone'), '--every', '0.2s', '--count', '2', '--delay', '0', '--retries', '0', '--db', join(tempDir(), 'w.db'), flag]);
      expect(r.code, flag).toBe(1);
      expect(r.stderr).toBe('');
      const rounds = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { round: number; finishedAt: string; results: Array<{ source: string; status: string; posts?: { new: number }; error?: { code: string } }> });
      expect(rounds.map((x) => x.round)).toEqual([1, 2]);
      expect(rounds[0]!.results.map((x) => [x.source, x.status]).sort()).toEqual([[server.url('/gone'), 'failed'], [server.url('/live'), 'new']]);
      expect(rounds[0]!.results.find((x) => x.status === 'failed')!.error!.code).toBe('E_FETCH');
      expect(rounds[1]!.results.find((x) => x.source === server.url('/live'))!.status).toBe('new');
      server.hits.clear();
    }
  });

  it('skips the rounds a slow check overran instead of running them late, and keeps to --for', async () => {
    server.route('/slow', (req, res) => { setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end(A), 700); });
    const r = await cli(['watch', server.url('/slow'), '--every', '0.1s', '--for', '1s', '--delay', '0', '--db', db]);
    expect(r.code).toBe(0);
    // Checks start at 0 and (unless the first overran the whole second) at about 0.8 s; run
    // late and back to back they would have been about ten.
    expect(server.hits.get('/slow')).toBeGreaterThanOrEqual(1);
    expect(server.hits.get('/slow')).toBeLessThanOrEqual(2);
  });

  it('stops watching a page whose coverage has ended', async () => {
    const ended = `<!doctype html><html><head><link rel="canonical" href="https://example.org/live/final">
      <script type="application/ld+json">{"@type":"LiveBlogPosting","coverageStartTime":"2025-01-01T08:00:00Z","coverageEndTime":"2025-01-01T20:00:00Z"}</script></head>
      <body><main><article id="a1"><time datetime="2025-01-01T09:00:00Z"></time><p>The first and only update of a finished event.</p></article>
      <article id="a2"><time datetime="2025-01-01T10:00:00Z"></time><p>The second update of a finished event, for good measure.</p></article></main></body></html>`;
    server.route('/final', (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(ended));
    const r = await cli(['watch', server.url('/final'), '--every', '0.2s', '--stop-at-coverage-end', '--delay', '0', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${server.url('/final')}: coverage ended at 2025-01-01T20:00:00.000Z; no longer watched`);
    expect(server.hits.get('/final')).toBe(1);
  });

  it('stops cleanly on SIGINT, leaving a consistent archive', async () => {
    server.route('/live', (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(A));
    const child = spawn(process.execPath, [join(ROOT, 'bin/livearchive.js'), 'watch', server.url('/live'), '--every', '0.2s', '--delay', '0', '--db', db]);
    let out = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('11 posts') && !interrupted) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/watch ended: \d+ rounds?, 1 new snapshot, 0 failed checks\n$/);
    const d = new Database(db, { readonly: true });
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(d.prepare('SELECT COUNT(*) AS n FROM snapshots').get()).toEqual({ n: 1 });
    d.close();
  });
});

describe('a page that goes back to an earlier state', () => {
  it('is recorded as a new snapshot, so the archive shows the page as it is', async () => {
    server.route('/live', (req, res, hit) => res.writeHead(200, { 'content-type': 'text/html' }).end(hit === 2 ? B : A));
    const r = await cli(['watch', server.url('/live'), '--every', '0.3s', '--count', '3', '--delay', '0', '--db', db]);
    const lines = r.stdout.trim().split('\n');
    expect(lines[2]).toMatch(/11 posts \(0 new, 1 edited, 8 removed\)$/);
    const posts = JSON.parse((await cli(['posts', 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html', '--db', db])).stdout) as Array<{ removedAt: string | null; headline: string; id: string }>;
    expect(posts.filter((p) => p.removedAt === null)).toHaveLength(11);
    expect(posts.find((p) => p.id === 'h_01aee11ad206d3f1fe2af23da8cbf9af')!.headline).toContain('six');
  });
});

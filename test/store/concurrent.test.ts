import { spawn } from 'node:child_process';
import { copyFileSync, utimesSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newPgArchive, TEST_PG } from '../backends.js';
import { cli, CORPUS, ROOT, SEEDS, tempDir } from '../helpers.js';

/** Two captures of one live blog, and pages of four others: each process writes all of them. */
const FILES: Array<[string, string]> = [
  [join(SEEDS, 'cnn-live-2025-11-25-A.html'), '2025-11-25T12:05:00Z'],
  [join(SEEDS, 'cnn-live-2025-11-25-B.html'), '2025-11-25T15:10:00Z'],
  [join(CORPUS, 'guardian/live-2023-05-15-russia-ukraine-war.html.gz'), '2023-05-15T18:00:00Z'],
  [join(CORPUS, 'mirror/live-2024-08-05-uk-riots.html.gz'), '2024-08-05T20:00:00Z'],
  [join(CORPUS, 'corkbeo/live-2020-10-06-level-3-cork.html'), '2020-10-06T20:00:00Z'],
  [join(CORPUS, 'cnn/article-2023-12-12-zelensky-takeaways.html'), '2023-12-12T20:00:00Z'],
];
const WRITERS = 8;

/** The captures as saved files, each timed by its modification time (as a crawler's folder is). */
function savedCaptures(): string[] {
  const dir = tempDir();
  return FILES.map(([file, at]) => {
    const copy = join(dir, basename(file));
    copyFileSync(file, copy);
    utimesSync(copy, new Date(at), new Date(at));
    return copy;
  });
}

/** `livearchive ingest` in a process of its own, as a cron job on another machine runs it. */
function ingestProcess(files: string[], db: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/livearchive.js'), 'ingest', ...files, '--json', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Ids differ between archives written in another order: everything else must not. */
function withoutIds(stdout: string): unknown {
  const doc = JSON.parse(stdout) as { generatedAt?: string };
  delete doc.generatedAt;
  return JSON.parse(JSON.stringify(doc, (key, value: unknown) => (key === 'snapshotId' ? undefined : value)));
}

describe.skipIf(!TEST_PG)('many writers, one PostgreSQL archive', () => {
  it(`${WRITERS} processes ingesting the same and different pages at once: no errors, each capture stored once, the same archive as one SQLite writer`, async () => {
    const files = savedCaptures();
    const db = await newPgArchive();
    // Each writer takes the captures in another order, so that they meet on every page.
    const orders = Array.from({ length: WRITERS }, (_, w) => {
      const rotated = files.map((_, i) => files[(i + w) % files.length]!);
      return w % 2 ? rotated.reverse() : rotated;
    });
    const runs = await Promise.all(orders.map((order) => ingestProcess(order, db)));
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    const results = runs.flatMap((r) => (JSON.parse(r.stdout) as { results: Array<{ source: string; status: string }> }).results);
    expect(results.every((r) => r.status === 'new' || r.status === 'unchanged')).toBe(true);
    // Every capture was stored by exactly one of the writers.
    const stored = results.filter((r) => r.status === 'new').map((r) => r.source).sort();
    expect(stored).toEqual([...files].sort());
    const dupes = await cli(['sql', 'SELECT page_id, sha256, captured_at, COUNT(*) AS n FROM snapshots GROUP BY page_id, sha256, captured_at HAVING COUNT(*) > 1', '--db', db]);
    expect(JSON.parse(dupes.stdout)).toEqual([]);
    const counts = await cli(['sql', `SELECT (SELECT COUNT(*) FROM snapshots) AS snapshots, (SELECT COUNT(*) FROM snapshot_raw) AS raw,
      (SELECT COUNT(*) FROM post_search) AS indexed, (SELECT COUNT(*) FROM post_versions) AS versions`, '--db', db]);
    const [c] = JSON.parse(counts.stdout) as Array<{ snapshots: number; raw: number; indexed: number; versions: number }>;
    expect(c).toMatchObject({ snapshots: files.length, raw: files.length });
    expect(c!.indexed).toBe(c!.versions);

    const sequential = join(tempDir(), 'one-writer.db');
    expect((await cli(['ingest', ...files, '--db', sequential])).code).toBe(0);
    for (const args of [['export'], ['export', '--history']]) {
      expect(withoutIds((await cli([...args, '--db', db])).stdout), args.join(' ')).toEqual(withoutIds((await cli([...args, '--db', sequential])).stdout));
    }
  }, 120_000);
});

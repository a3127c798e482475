import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, SEEDS, tempDir } from '../helpers.js';

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/livearchive.js'), ...args]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('two ingest processes on one archive', () => {
  it('both finish: no "database is locked", no duplicate snapshot', async () => {
    const db = join(tempDir(), 'shared.db');
    const pages = [join(SEEDS, 'cnn-live-2025-11-25-A.html'), join(SEEDS, 'cnn-live-2025-11-25-B.html'), join(FIXTURES, 'cnn-live/cnn-live_2025-06-01.html'),
      join(FIXTURES, 'generic/generic-time-elements_2025-03-10.html'), join(FIXTURES, 'reach-live/reach-live_2024-09-14.html')];
    // Both processes ingest the same five pages at the same time.
    const [a, b] = await Promise.all([run(['ingest', ...pages, '--db', db]), run(['ingest', ...pages.reverse(), '--db', db])]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    const all = `${a.stdout}${b.stdout}`;
    expect(all.match(/: new snapshot of /g)).toHaveLength(5);
    expect(all.match(/: unchanged \(same bytes/g)).toHaveLength(5);
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT sha256) AS distinct_n FROM snapshots').get()).toEqual({ n: 5, distinct_n: 5 });
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    d.close();
  });
});

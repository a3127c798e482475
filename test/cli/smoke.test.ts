import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, tempDir } from '../helpers.js';

// The one test that runs the real launcher (bin/ → dist/), as the README's first command does.
describe('bin/livearchive.js', () => {
  it('archives the README sample and lists its posts', () => {
    const db = join(tempDir(), 'smoke.db');
    const run = (...args: string[]): string => execFileSync(process.execPath, [join(ROOT, 'bin/livearchive.js'), ...args, '--db', db], { encoding: 'utf8' });
    expect(run('ingest', join(FIXTURES, 'cnn-live/cnn-live_2025-06-01.html'), '--captured-at', '2025-06-01T16:00:00Z'))
      .toContain('7 posts (7 new, 0 edited, 0 removed)');
    const posts = JSON.parse(run('posts', 'https://edition.cnn.com/weather/live-news/example-storm-06-01-25/index.html')) as unknown[];
    expect(posts).toHaveLength(7);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, CORPUS, FIXTURES, SEEDS, tempDir } from '../helpers.js';

describe('inspect', () => {
  it('shows what a page yields, without an archive', async () => {
    const r = await cli(['inspect', join(SEEDS, 'cnn-live-2025-11-25-B.html'), '--captured-at', '2025-11-25T15:10:00Z']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 7)).toEqual([
      'page:      https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html',
      'adapter:   cnn-live@2023-01',
      'kind:      live blog',
      'publisher: CNN',
      'title:     Live updates: Ukraine agrees to peace proposal according to US official | CNN',
      'encoding:  UTF-8',
      'posts:     19 (0 only in structured data), 20 media, 15 contributors',
    ]);
  });

  it('--adapter generic shows how a page reads without its adapter', async () => {
    const r = await cli(['inspect', join(CORPUS, 'sportowefakty/live-2020-09-28-speedway-relacja.html'), '--adapter', 'generic', '--captured-at', '2020-09-29T12:00:00Z', '--json']);
    const page = JSON.parse(r.stdout) as { adapter: { id: string }; posts: Array<{ id: string }> };
    expect(page.adapter.id).toBe('generic');
    // Entries without a time of their own (status lines, heat results) are kept beside the timed ones.
    expect(page.posts.length).toBeGreaterThanOrEqual(40);
    expect(page.posts[0]!.id).toBe('904253');
  });

  it('says where each post\'s id and time came from, and what other sources said', async () => {
    const r = await cli(['inspect', join(FIXTURES, 'generic/skytg24-style-datetime-z-is-local_2025-10-08.html'), '--captured-at', '2025-10-08T18:00:00Z']);
    const first = r.stdout.split('\n').find((l) => l.includes('post-77412'))!;
    expect(first).toMatch(/^ {2}2025-10-08T14:42:00\.000Z {2}post-77412 .* {2}id:dom-id time:(?:text|jsonld) \(attr said 2025-10-08T16:42:00\.000Z\)$/);
    expect(r.stdout).toContain('warning: post post-77412: attr time 2025-10-08T16:42:00.000Z disagrees with');
    const ld = await cli(['inspect', join(FIXTURES, 'generic/news18-style-post-id-gaps_2025-02-26.html'), '--captured-at', '2025-02-26T16:00:00Z']);
    expect(ld.stdout).toContain('post23  Solanki to meet legislators tomorrow morning  [0 media, 0 people]  id:dom-id time:jsonld');
  });

  it('names the adapters when asked for one that does not exist', async () => {
    const r = await cli(['inspect', join(SEEDS, 'cnn-live-2025-11-25-B.html'), '--adapter', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^livearchive: no adapter "nope" \(known: cnn-live, guardian-live, guardian-live-data, reach-live, br-ticker, sportowefakty-live, generic\)\n$/);
  });

  it('refuses a directory, and a source that holds no page, in one line', async () => {
    expect(await cli(['inspect', SEEDS])).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${SEEDS}: is a directory: inspect reads one page (ingest reads every page of a directory)\n` });
    const warc = join(tempDir(), 'info.warc');
    writeFileSync(warc, 'WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n');
    expect(await cli(['inspect', warc])).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${warc}: holds no page to inspect\n` });
  });
});

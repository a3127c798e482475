import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile, SEEDS, words } from '../helpers.js';

interface SeedMedia {
  kind: string;
  name: string;
  url: string;
  caption: string;
  credit?: string | null;
  duration?: string;
  source?: string;
  videoUrl?: string;
  description?: string | null;
}

interface SeedPost {
  id: string;
  headline: string;
  publishedAt: string;
  firstPublishedAt: string;
  displayTimestamp: string;
  permalink: string;
  bodyFirstWords: string;
  bodyLastWords: string;
  contributors: string[];
  media: SeedMedia[];
  inJsonLd: boolean;
}

interface SeedKey {
  capturedAt: string;
  page: { url: string; canonicalUrl: string; title: string; headline: string; keyPoints: string[] };
  posts: SeedPost[];
  postCount: number;
}

/** "00:20" → "PT20S", "01:09" → "PT1M9S": the answer key gives clock durations. */
function isoDuration(clock: string): string {
  const [m, s] = clock.split(':').map(Number) as [number, number];
  return `PT${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}

for (const snapshot of ['A', 'B']) {
  const key = JSON.parse(readFileSync(join(SEEDS, `cnn-live-2025-11-25-${snapshot}.expected.json`), 'utf8')) as SeedKey;
  const page = parseFile(join(SEEDS, `cnn-live-2025-11-25-${snapshot}.html`), key.capturedAt);

  describe(`CNN seed snapshot ${snapshot}`, () => {
    it('reads the page: URL, title, headline, key points, adapter', () => {
      expect(page.url).toBe(key.page.canonicalUrl);
      expect(page.title).toBe(key.page.title);
      expect(page.headline).toBe(key.page.headline);
      expect(page.keyPoints).toEqual(key.page.keyPoints);
      expect(page.kind).toBe('liveblog');
      expect(page.adapter.id).toBe('cnn-live');
      expect(page.warnings).toEqual([]);
    });

    it('finds exactly the posts of the answer key, in page order', () => {
      expect(page.posts.map((p) => p.id)).toEqual(key.posts.map((p) => p.id));
      expect(page.posts).toHaveLength(key.postCount);
    });

    it.each(key.posts.map((p, i) => [p.id, i] as const))('post %s matches the key', (_id, i) => {
      const want = key.posts[i]!;
      const got = page.posts[i]!;
      expect(got.headline).toBe(want.headline);
      expect(got.url).toBe(want.permalink);
      expect(got.updatedAt).toBe(want.publishedAt);
      // First publication is only known for posts the JSON-LD lists.
      expect(got.publishedAt).toBe(want.inJsonLd ? want.firstPublishedAt : null);
      expect(got.displayTime).toBe(want.displayTimestamp);
      expect(got.origin).toBe('page');
      const w = words(got.bodyText);
      expect(w.slice(0, 8).join(' ')).toBe(want.bodyFirstWords);
      expect(w.slice(-8).join(' ')).toBe(want.bodyLastWords);
      expect(got.contributors).toEqual(want.contributors.map((name) => ({ name, role: 'contributor' })));
      expect(got.media.map((m) => [m.kind, m.name, m.caption])).toEqual(want.media.map((m) => [m.kind, m.name, m.caption]));
      got.media.forEach((m, j) => {
        const k = want.media[j]!;
        if (k.kind === 'video') {
          expect(m.url).toBe(k.videoUrl);
          expect(m.thumbnail).toBe(k.url);
          expect(m.duration).toBe(isoDuration(k.duration!));
          expect(m.credit).toBe(k.source);
          expect(m.description).toBe(k.description ? k.description.replace(/<[^>]+>/g, '') : null);
        } else {
          expect(m.url).toBe(k.url);
          expect(m.credit).toBeNull();
        }
      });
    });

    it('keeps captions, video text and share widgets out of the body', () => {
      for (const p of page.posts) {
        expect(p.bodyText).not.toMatch(/Link Copied|Advertisement|Ad Feedback|Source: CNN/);
        for (const m of p.media) if (m.caption) expect(p.bodyText).not.toContain(m.caption);
      }
    });

    it('sanitizes body HTML: no scripts, handlers or data attributes; absolute links', () => {
      for (const p of page.posts) {
        expect(p.bodyHtml).not.toMatch(/<script|<style|\son\w+=|data-uri|class=/i);
        for (const href of p.bodyHtml.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^https?:\/\//);
      }
    });
  });
}

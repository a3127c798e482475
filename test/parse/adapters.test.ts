import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../src/parse/adapters/index.js';
import { FIXTURES, parseFile, ROOT } from '../helpers.js';

interface KeyPost {
  id?: string;
  headline?: string | null;
  publishedAt?: string | null;
  updatedAt?: string | null;
  bodyStartsWith?: string;
  bodyEndsWith?: string;
  contributors?: Array<{ name: string; role: string }>;
  media?: Array<Record<string, unknown>>;
  pinned?: boolean;
  keyEvent?: boolean;
  origin?: string;
}

interface AnswerKey {
  capturedAt: string;
  adapter?: string;
  page: Record<string, unknown>;
  posts: KeyPost[];
  minPosts?: number;
  maxPosts?: number;
  warnings?: string[];
}

/** Every answer key in fixtures/, with the page it belongs to. */
function answerKeys(): Array<{ page: string; key: AnswerKey; dir: string }> {
  const out: Array<{ page: string; key: AnswerKey; dir: string }> = [];
  for (const dir of readdirSync(FIXTURES)) {
    const files = readdirSync(join(FIXTURES, dir));
    for (const f of files.filter((x) => x.endsWith('.expected.json'))) {
      const stem = f.replace(/\.expected\.json$/, '');
      const page = files.find((x) => [`${stem}.html`, `${stem}.html.gz`, `${stem}.json`].includes(x));
      if (!page) throw new Error(`${dir}/${f} has no page beside it`);
      out.push({ page: join(FIXTURES, dir, page), key: JSON.parse(readFileSync(join(FIXTURES, dir, f), 'utf8')) as AnswerKey, dir });
    }
  }
  return out;
}

const keys = answerKeys();

describe('adapter registry', () => {
  it('registers every adapter file, once per id and version', () => {
    const files = readdirSync(join(ROOT, 'src/parse/adapters')).filter((f) => f.endsWith('.ts') && !['index.ts', 'types.ts'].includes(f));
    const registry = readFileSync(join(ROOT, 'src/parse/adapters/index.ts'), 'utf8');
    for (const f of files) expect(registry, `${f} is not imported by the registry`).toContain(`from './${f.replace(/\.ts$/, '.js')}'`);
    const ids = ADAPTERS.map((a) => `${a.id}@${a.version}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ADAPTERS.at(-1)!.id).toBe('generic');
  });

  it('keeps the date ranges of one publisher\'s layout versions apart', () => {
    for (const a of ADAPTERS) {
      for (const b of ADAPTERS) {
        if (a === b || a.id !== b.id) continue;
        const overlap = a.validFrom < (b.validUntil ?? '9999') && b.validFrom < (a.validUntil ?? '9999');
        expect(overlap, `${a.id}@${a.version} overlaps ${b.id}@${b.version}`).toBe(false);
      }
    }
  });

  it.each(ADAPTERS.map((a) => [`${a.id}@${a.version}`, a] as const))('%s has a fixture dated in its range, with an answer key', (_, a) => {
    const dated = keys.filter(({ page, dir }) => dir === a.id && basename(page).startsWith(a.id)).map(({ page }) => /_(\d{4}-\d{2}-\d{2})\./.exec(basename(page))?.[1] ?? '');
    expect(dated.some((d) => d >= a.validFrom && (a.validUntil === undefined || d < a.validUntil)), `no fixtures/${a.id}/${a.id}_<date>.html in range`).toBe(true);
  });
});

describe.each(keys.map(({ page, key }) => [basename(page), page, key] as const))('fixture %s', (_name, page, key) => {
  const parsed = parseFile(page, key.capturedAt);

  it('has the page facts of its answer key', () => {
    expect(parsed.adapter.id).toBe(key.adapter ?? 'generic');
    const { keyPoints, ...facts } = key.page;
    expect({ ...parsed, keyPoints: parsed.keyPoints }).toMatchObject({ ...facts, ...(keyPoints ? { keyPoints } : {}) });
    for (const w of key.warnings ?? []) expect(parsed.warnings.join('\n')).toContain(w);
    if (key.warnings && key.warnings.length === 0) expect(parsed.warnings).toEqual([]);
  });

  it('finds the posts of its answer key', () => {
    if (key.minPosts !== undefined) {
      expect(parsed.posts.length).toBeGreaterThanOrEqual(key.minPosts);
      expect(parsed.posts.length).toBeLessThanOrEqual(key.maxPosts ?? key.minPosts);
    } else {
      expect(parsed.posts).toHaveLength(key.posts.length);
    }
    key.posts.forEach((want, i) => {
      const got = parsed.posts[i]!;
      const where = `post ${i} (${want.id ?? want.headline})`;
      if (want.id !== undefined) expect(got.id, where).toBe(want.id);
      for (const f of ['headline', 'publishedAt', 'updatedAt', 'pinned', 'keyEvent', 'origin', 'contributors'] as const) {
        if (want[f] !== undefined) expect(got[f], `${where}: ${f}`).toEqual(want[f]);
      }
      if (want.bodyStartsWith !== undefined) expect(got.bodyText.startsWith(want.bodyStartsWith), `${where}: body starts "${got.bodyText.slice(0, 60)}"`).toBe(true);
      if (want.bodyEndsWith !== undefined) expect(got.bodyText.endsWith(want.bodyEndsWith), `${where}: body ends "${got.bodyText.slice(-60)}"`).toBe(true);
      if (want.media !== undefined) {
        expect(got.media.length, `${where}: media ${JSON.stringify(got.media.map((m) => m.url))}`).toBe(want.media.length);
        want.media.forEach((m, j) => expect(got.media[j], `${where}: media ${j}`).toMatchObject(m));
      }
    });
  });
});

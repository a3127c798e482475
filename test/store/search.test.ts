import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { openArchive, type Archive } from '../../src/store/archive.js';
import { FILTER_SQL, filterParams, type PostFilters } from '../../src/store/filters.js';
import { ingestCapture } from '../../src/store/ingest-capture.js';
import { ftsQuery, indexSearchSql, searchPosts, type SearchOptions } from '../../src/store/search.js';
import { CORPUS, readPage, SEEDS, tempDir } from '../helpers.js';

const CNN = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
let archive: Archive;

beforeAll(() => {
  archive = openArchive(join(tempDir(), 'search.db'));
  const pages: Array<[string, string]> = [
    [join(SEEDS, 'cnn-live-2025-11-25-A.html'), '2025-11-25T12:05:00Z'],
    [join(CORPUS, 'guardian/live-2023-05-15-russia-ukraine-war.html.gz'), '2023-05-15T18:00:00Z'],
    [join(CORPUS, 'mirror/live-2024-08-05-uk-riots.html.gz'), '2024-08-05T20:00:00Z'],
    [join(CORPUS, 'corkbeo/live-2020-10-06-level-3-cork.html'), '2020-10-06T20:00:00Z'],
    [join(CORPUS, 'cnn/article-2023-12-12-zelensky-takeaways.html'), '2023-12-12T20:00:00Z'],
    [join(SEEDS, 'cnn-live-2025-11-25-B.html'), '2025-11-25T15:10:00Z'],
  ];
  for (const [source, at] of pages) ingestCapture(archive, { source, origin: 'file', bytes: readPage(source), capturedAt: new Date(at), capturedAtSource: 'option' });
});

/**
 * What a search must return, by brute force: every match in one plain query (SQLite free to
 * plan it), in the promised order, cut at the limit.
 */
function expected(query: string, options: SearchOptions): Array<[string, string, number]> {
  const order = options.rank ? 'bm25(post_search), v.id DESC' : 'v.id DESC';
  return archive.db.prepare(`SELECT g.url, p.post_key, v.version FROM post_search JOIN post_versions v ON v.id = post_search.rowid
    JOIN posts p ON p.id = v.post_id JOIN pages g ON g.id = p.page_id
    WHERE post_search MATCH @query AND (@all = 1 OR v.id = p.latest_version_id) AND ${FILTER_SQL} ORDER BY ${order} LIMIT @limit`)
    .raw().all({ query: ftsQuery(query), all: options.allVersions ? 1 : 0, limit: options.limit ?? 20, ...filterParams(options) }) as Array<[string, string, number]>;
}

const got = (query: string, options: SearchOptions): Array<[string, string, number]> => searchPosts(archive, query, options).map((h) => [h.page, h.id, h.version]);

describe('search order', () => {
  it('is newest first by default: the versions archived last come first, exactly', () => {
    for (const query of ['police', 'Ukraine', '"peace plan"', 'riot*', 'Cork OR Kyiv']) {
      const hits = got(query, { limit: 30 });
      expect(hits.length, query).toBeGreaterThan(0);
      expect(hits, query).toEqual(expected(query, { limit: 30 }));
    }
    // The seed archived last (B) comes before the pages archived earlier.
    expect(searchPosts(archive, 'Ukraine', { limit: 1 })[0]!.page).toBe(CNN);
  });

  it('is bm25, best first, with --rank, exactly', () => {
    for (const query of ['police', 'Ukraine', '"peace plan"', 'riot*']) {
      const hits = searchPosts(archive, query, { rank: true, limit: 25 });
      expect(hits.map((h) => [h.page, h.id, h.version]), query).toEqual(expected(query, { rank: true, limit: 25 }));
      expect(hits.map((h) => h.score), query).toEqual([...hits.map((h) => h.score)].sort((a, b) => a - b));
    }
  });

  it('reads the index in its own order when unfiltered: no sort of all matches', () => {
    const plan = (order: 'recent' | 'rank'): string => (archive.db.prepare(`EXPLAIN QUERY PLAN ${indexSearchSql(order)}`).all({ query: 'police', all_versions: 0, limit: 20, lo: 0, hi: 1e15, versions: null, ...filterParams({}) }) as Array<{ detail: string }>)
      .map((r) => r.detail).join('\n');
    expect(plan('recent')).not.toMatch(/TEMP B-TREE/);
    expect(plan('recent')).toMatch(/^SCAN post_search VIRTUAL TABLE/);
    expect(plan('recent')).not.toMatch(/SCAN (?:v|p|g)\b/);
    // Ranking does sort every match: that is what --rank costs.
    expect(plan('rank')).toMatch(/TEMP B-TREE FOR ORDER BY/);
  });
});

describe('search filters', () => {
  const filters: Array<PostFilters & { allVersions?: boolean }> = [
    { page: CNN },
    { publisher: 'mirror' },
    { kind: 'article' },
    { kind: 'liveblog', publisher: 'cnn' },
    { contributor: 'a' },
    { since: new Date('2024-01-01T00:00:00Z') },
    { until: new Date('2024-08-05T12:00:00Z') },
    { since: new Date('2020-10-06T00:00:00Z'), until: new Date('2020-10-07T00:00:00Z'), publisher: 'cork' },
    { page: CNN, allVersions: true },
    { contributor: 'Vlasova', since: new Date('2025-11-25T00:00:00Z') },
  ];
  it.each(filters)('give the same exact results whether the index read is narrowed to their versions or not: %j', (f) => {
    for (const query of ['police', 'Ukraine', 'the', 'peace* OR riot*']) {
      for (const rank of [false, true]) {
        const want = expected(query, { ...f, rank, limit: 15 });
        expect(got(query, { ...f, rank, limit: 15 }), `${query} ${rank}`).toEqual(want);
        expect(got(query, { ...f, rank, limit: 15, narrowTo: 0 }), `${query} ${rank} checked as matches come`).toEqual(want);
        expect(got(query, { ...f, rank, limit: 15, narrowTo: 1e9 }), `${query} ${rank} narrowed to the filter's versions`).toEqual(want);
      }
    }
  });

  it('find something for the filters that should match', () => {
    expect(got('the', { publisher: 'mirror', limit: 5 }).every(([page]) => page.includes('mirror'))).toBe(true);
    expect(got('the', { publisher: 'mirror', limit: 5 })).toHaveLength(5);
    expect(got('Ukraine', { contributor: 'Vlasova' }).length).toBeGreaterThan(0);
  });
});

describe('search --timeout', () => {
  it('stops a search whose time is up inside the statement, with a TimeoutError, and the next search runs', () => {
    const now = Date.now();
    let calls = 0;
    // The clock jumps past the deadline once the search has begun: the check inside the statement sees it.
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => (calls++ === 0 ? now : now + 60_000));
    try {
      expect(() => searchPosts(archive, 'the OR a OR and', { rank: true, limit: 5, timeoutMs: 1000 }))
        .toThrow(expect.objectContaining({ code: 'E_TIMEOUT', message: 'stopped after 1 s (--timeout); narrow the query, or allow it longer (--timeout 0: no limit)' }));
    } finally {
      spy.mockRestore();
    }
    expect(got('the', { rank: true, limit: 5, timeoutMs: 1000 })).toEqual(expected('the', { rank: true, limit: 5 }));
    expect(got('the', { limit: 5 })).toEqual(expected('the', { limit: 5 }));
  });
});

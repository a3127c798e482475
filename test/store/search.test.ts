import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Archive } from '../../src/store/archive.js';
import { DIALECTS } from '../../src/store/db.js';
import { filterParams, filterSql, type PostFilters } from '../../src/store/filters.js';
import { ingestCapture } from '../../src/store/ingest-capture.js';
import { reparse } from '../../src/store/reparse.js';
import { ftsQuery, indexSearchSql, searchPosts, type SearchOptions } from '../../src/store/search.js';
import { describeBackends, newArchive, SQLITE } from '../backends.js';
import { CORPUS, readPage, SEEDS } from '../helpers.js';

const CNN = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
const PAGES = (): Array<[string, string]> => [
  [join(SEEDS, 'cnn-live-2025-11-25-A.html'), '2025-11-25T12:05:00Z'],
  [join(CORPUS, 'guardian/live-2023-05-15-russia-ukraine-war.html.gz'), '2023-05-15T18:00:00Z'],
  [join(CORPUS, 'mirror/live-2024-08-05-uk-riots.html.gz'), '2024-08-05T20:00:00Z'],
  [join(CORPUS, 'corkbeo/live-2020-10-06-level-3-cork.html'), '2020-10-06T20:00:00Z'],
  [join(CORPUS, 'cnn/article-2023-12-12-zelensky-takeaways.html'), '2023-12-12T20:00:00Z'],
  [join(SEEDS, 'cnn-live-2025-11-25-B.html'), '2025-11-25T15:10:00Z'],
];

async function archiveOf(backend: typeof SQLITE): Promise<Archive> {
  const archive = await newArchive(backend);
  for (const [source, at] of PAGES()) await ingestCapture(archive, { source, origin: 'file', bytes: readPage(source), capturedAt: new Date(at), capturedAtSource: 'option' });
  return archive;
}

/**
 * What a search must return, by brute force: every match in one plain query (the database free
 * to plan it), in the promised order, cut at the limit.
 */
async function expected(archive: Archive, query: string, options: SearchOptions): Promise<Array<[string, string, number]>> {
  const params = { all: options.allVersions ? 1 : 0, limit: options.limit ?? 20, ...filterParams(options) };
  const rows = archive.backend === 'sqlite'
    ? await archive.db.query<{ url: string; post_key: string; version: number }>(`SELECT g.url, p.post_key, v.version FROM post_search JOIN post_versions v ON v.id = post_search.rowid
      JOIN posts p ON p.id = v.post_id JOIN pages g ON g.id = p.page_id
      WHERE post_search MATCH @query AND (@all = 1 OR v.id = p.latest_version_id) AND ${filterSql(DIALECTS.sqlite)}
      ORDER BY ${options.rank ? 'bm25(post_search), v.id DESC' : 'v.id DESC'} LIMIT @limit`, { query: ftsQuery(query), ...params })
    : await archive.db.query<{ url: string; post_key: string; version: number }>(`SELECT g.url, p.post_key, v.version FROM post_search ps JOIN post_versions v ON v.id = ps.version_id
      JOIN posts p ON p.id = v.post_id JOIN pages g ON g.id = p.page_id
      WHERE ps.document @@ websearch_to_tsquery('simple', @query) AND (@all = 1 OR v.id = p.latest_version_id) AND ${filterSql(DIALECTS.postgres)}
      ORDER BY ${options.rank ? `-ts_rank(ps.document, websearch_to_tsquery('simple', @query)), v.id DESC` : 'v.id DESC'} LIMIT @limit`, { query, ...params });
  return rows.map((r) => [r.url, r.post_key, r.version]);
}

/** Queries each backend's syntax reads alike: FTS5's prefix* has no websearch equivalent. */
const QUERIES = {
  sqlite: { order: ['police', 'Ukraine', '"peace plan"', 'riot*', 'Cork OR Kyiv'], filters: ['police', 'Ukraine', 'the', 'peace* OR riot*'] },
  postgres: { order: ['police', 'Ukraine', '"peace plan"', 'riots', 'Cork OR Kyiv'], filters: ['police', 'Ukraine', 'the', 'peace OR riots'] },
};

/**
 * PostgreSQL takes a word's matches from the GIN index first, or reads in order until enough
 * match, as the planner's estimate of the matches says (undefined): each way is checked.
 */
const MATCHES_FIRST = { sqlite: [undefined], postgres: [undefined, true, false] };

describeBackends('search order', (backend) => {
  let archive: Archive;
  beforeAll(async () => {
    archive = await archiveOf(backend);
  });
  const got = async (query: string, options: SearchOptions): Promise<Array<[string, string, number]>> => (await searchPosts(archive, query, options)).map((h) => [h.page, h.id, h.version]);

  it('is newest first by default: the versions archived last come first, exactly', async () => {
    for (const query of QUERIES[backend.name].order) {
      for (const matchesFirst of MATCHES_FIRST[backend.name]) {
        const hits = await got(query, { limit: 30, matchesFirst });
        expect(hits.length, query).toBeGreaterThan(0);
        expect(hits, `${query} matchesFirst=${matchesFirst}`).toEqual(await expected(archive, query, { limit: 30 }));
      }
    }
    // The seed archived last (B) comes before the pages archived earlier.
    expect((await searchPosts(archive, 'Ukraine', { limit: 1 }))[0]!.page).toBe(CNN);
  });

  it('is by relevance, best first, with --rank, exactly', async () => {
    for (const [query, matchesFirst] of QUERIES[backend.name].order.slice(0, 4).flatMap((q) => MATCHES_FIRST[backend.name].map((m) => [q, m] as const))) {
      const hits = await searchPosts(archive, query, { rank: true, limit: 25, matchesFirst });
      expect(hits.map((h) => [h.page, h.id, h.version]), query).toEqual(await expected(archive, query, { rank: true, limit: 25 }));
      expect(hits.map((h) => h.score), query).toEqual([...hits.map((h) => h.score)].sort((a, b) => a - b));
      expect(hits.every((h) => /\[[^\]]+\]/.test(h.snippet)), `${query}: every snippet marks a match`).toBe(true);
    }
  });
});

describeBackends('search order after reparse', (backend) => {
  it('is the same: reparse keeps the order in which the versions were archived', async () => {
    const archive = await newArchive(backend);
    // Captures archived out of their time order, pages interleaved: the order archived is none of page, url or time.
    const pages = PAGES();
    for (const [source, at] of [pages[5]!, pages[1]!, pages[0]!, pages[3]!, pages[2]!, pages[4]!]) {
      await ingestCapture(archive, { source, origin: 'file', bytes: readPage(source), capturedAt: new Date(at), capturedAtSource: 'option' });
    }
    const queries = [...QUERIES[backend.name].order, 'the'];
    const hits = async (query: string): Promise<Array<[string, string, number]>> =>
      (await searchPosts(archive, query, { limit: 40, allVersions: true })).map((h) => [h.page, h.id, h.version]);
    const before = await Promise.all(queries.map(hits));
    expect(new Set(before.flat().map(([page]) => page)).size, 'results from several pages').toBeGreaterThan(3);
    for await (const r of reparse(archive)) expect(r.skipped).toBeNull();
    expect(await Promise.all(queries.map(hits))).toEqual(before);
    // Versions an older parser read otherwise (another content hash) keep their place too: the capture that first showed them.
    await archive.db.query(`UPDATE post_versions SET content_hash = 'older parser ' || content_hash`);
    for await (const r of reparse(archive)) expect(r.skipped).toBeNull();
    expect(await Promise.all(queries.map(hits))).toEqual(before);
    for (const query of QUERIES[backend.name].order) expect(await hits(query), query).toEqual(await expected(archive, query, { limit: 40, allVersions: true }));
    await archive.close();
  });
});

describeBackends('a column filter naming no column', (backend) => {
  it('is refused, not searched as words that find nothing', async () => {
    const archive = await newArchive(backend);
    const source = join(SEEDS, 'cnn-live-2025-11-25-A.html');
    await ingestCapture(archive, { source, origin: 'file', bytes: readPage(source), capturedAt: new Date('2025-11-25T12:05:00Z'), capturedAtSource: 'option' });
    // The words alone are there: "hedline peace" read as words would find a post, or nothing, silently.
    await expect(searchPosts(archive, 'hedline:peace')).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringContaining('(to find "hedline:" as text, quote it: "hedline:…")') });
    expect(await searchPosts(archive, '"hedline:peace"')).toEqual([]);
    await archive.close();
  });
});

describe('an FTS5 search (SQLite)', () => {
  it('reads the index in its own order when unfiltered: no sort of all matches', async () => {
    const archive = await archiveOf(SQLITE);
    // A search defines la_in_time(), which the statement calls.
    await searchPosts(archive, 'police');
    const plan = (order: 'recent' | 'rank'): string => (archive.sqlite!.prepare(`EXPLAIN QUERY PLAN ${indexSearchSql(order)}`).all({ query: 'police', all_versions: 0, limit: 20, lo: 0, hi: 1e15, versions: null, ...filterParams({}) }) as Array<{ detail: string }>)
      .map((r) => r.detail).join('\n');
    expect(plan('recent')).not.toMatch(/TEMP B-TREE/);
    expect(plan('recent')).toMatch(/^SCAN post_search VIRTUAL TABLE/);
    expect(plan('recent')).not.toMatch(/SCAN (?:v|p|g)\b/);
    // Ranking does sort every match: that is what --rank costs.
    expect(plan('rank')).toMatch(/TEMP B-TREE FOR ORDER BY/);
    await archive.close();
  });
});

describeBackends('search filters', (backend) => {
  let archive: Archive;
  beforeAll(async () => {
    archive = await archiveOf(backend);
  });
  const got = async (query: string, options: SearchOptions): Promise<Array<[string, string, number]>> => (await searchPosts(archive, query, options)).map((h) => [h.page, h.id, h.version]);
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
  it.each(filters)('give the same exact results whether the index read is narrowed to their versions or not: %j', async (f) => {
    for (const query of QUERIES[backend.name].filters) {
      for (const rank of [false, true]) {
        const want = await expected(archive, query, { ...f, rank, limit: 15 });
        for (const matchesFirst of MATCHES_FIRST[backend.name]) {
          const how = `${query} ${rank} matchesFirst=${matchesFirst}`;
          expect(await got(query, { ...f, rank, limit: 15, matchesFirst }), how).toEqual(want);
          expect(await got(query, { ...f, rank, limit: 15, matchesFirst, narrowTo: 0 }), `${how} checked as matches come`).toEqual(want);
          expect(await got(query, { ...f, rank, limit: 15, matchesFirst, narrowTo: 1e9 }), `${how} narrowed to the filter's versions`).toEqual(want);
        }
      }
    }
  });

  it('find something for the filters that should match', async () => {
    expect((await got('the', { publisher: 'mirror', limit: 5 })).every(([page]) => page.includes('mirror'))).toBe(true);
    expect(await got('the', { publisher: 'mirror', limit: 5 })).toHaveLength(5);
    expect((await got('Ukraine', { contributor: 'Vlasova' })).length).toBeGreaterThan(0);
  });
});

describe('search --timeout (SQLite)', () => {
  it('stops a search whose time is up inside the statement, with a TimeoutError, and the next search runs', async () => {
    const archive = await archiveOf(SQLITE);
    const got = async (query: string, options: SearchOptions): Promise<Array<[string, string, number]>> => (await searchPosts(archive, query, options)).map((h) => [h.page, h.id, h.version]);
    const now = Date.now();
    let calls = 0;
    // The clock jumps past the deadline once the search has begun: the check inside the statement sees it.
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => (calls++ === 0 ? now : now + 60_000));
    try {
      await expect(searchPosts(archive, 'the OR a OR and', { rank: true, limit: 5, timeoutMs: 1000 }))
        .rejects.toThrow(expect.objectContaining({ code: 'E_TIMEOUT', message: 'stopped after 1 s (--timeout); narrow the query, or allow it longer (--timeout 0: no limit)' }));
    } finally {
      spy.mockRestore();
    }
    expect(await got('the', { rank: true, limit: 5, timeoutMs: 1000 })).toEqual(await expected(archive, 'the', { rank: true, limit: 5 }));
    expect(await got('the', { limit: 5 })).toEqual(await expected(archive, 'the', { limit: 5 }));
    await archive.close();
  });
});

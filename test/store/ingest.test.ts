import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openArchive, type Archive } from '../../src/store/archive.js';
import { describeBackends, newArchive, tableCounts } from '../backends.js';
import { ingestCapture } from '../../src/store/ingest-capture.js';
import { listPosts } from '../../src/store/read.js';
import { SCHEMA_VERSION } from '../../src/store/migrate.js';
import type { Capture } from '../../src/types.js';
import { readPage, SEEDS, tempDir } from '../helpers.js';

const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
const EDITED = 'h_01aee11ad206d3f1fe2af23da8cbf9af';

function seed(name: 'A' | 'B'): Capture {
  const source = join(SEEDS, `cnn-live-2025-11-25-${name}.html`);
  return {
    source, origin: 'file', bytes: readPage(source),
    capturedAt: new Date(name === 'A' ? '2025-11-25T12:05:00Z' : '2025-11-25T15:10:00Z'), capturedAtSource: 'option',
  };
}

const TABLES = ['pages', 'snapshots', 'posts', 'post_versions', 'snapshot_posts', 'contributors', 'post_version_contributors', 'media', 'post_version_media', 'post_search'];
const counts = (a: Archive): Promise<Record<string, number>> => tableCounts(a, TABLES);

function sqlite3(db: string, sql: string): string {
  return execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();
}

let archive: Archive | undefined;
afterEach(async () => {
  await archive?.close();
  archive = undefined;
});

/** A statement that makes the 5th post of a snapshot fail inside the ingest transaction, and its undoing. */
const FAIL_MIDWAY = {
  sqlite: [`CREATE TRIGGER fail_midway BEFORE INSERT ON snapshot_posts WHEN NEW.position = 5 BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`, 'DROP TRIGGER fail_midway'],
  postgres: [`CREATE FUNCTION fail_midway() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.position = 5 THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$;
    CREATE TRIGGER fail_midway BEFORE INSERT ON snapshot_posts FOR EACH ROW EXECUTE FUNCTION fail_midway()`, 'DROP TRIGGER fail_midway ON snapshot_posts'],
};

describeBackends('ingesting snapshots A then B', (backend) => {
  it('records new posts, one edited post with two versions, nothing removed', async () => {
    archive = await newArchive(backend);
    const a = await ingestCapture(archive, seed('A'));
    expect(a).toMatchObject({ status: 'new', page: PAGE, posts: { total: 11, new: 11, edited: 0, removed: 0 } });
    const b = await ingestCapture(archive, seed('B'));
    expect(b).toMatchObject({ status: 'new', page: PAGE, posts: { total: 19, new: 8, edited: 1, removed: 0 } });

    const posts = await listPosts(archive, PAGE);
    expect(posts).toHaveLength(19);
    expect(posts.filter((p) => p.removedAt !== null)).toEqual([]);
    const edited = posts.find((p) => p.id === EDITED)!;
    expect(edited.versionCount).toBe(2);
    expect(edited.headline).toBe("Death toll in Ukraine climbs to seven after Russia's latest strikes");
    expect(edited.firstSeenAt).toBe('2025-11-25T12:05:00.000Z');
    expect(posts.filter((p) => p.versionCount > 1).map((p) => p.id)).toEqual([EDITED]);
    const versions = await archive.db.query(`SELECT v.version, v.headline FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.post_key = ? ORDER BY v.version`, [EDITED]);
    expect(versions).toEqual([
      { version: 1, headline: "Death toll in Ukraine climbs to six after Russia's latest strikes" },
      { version: 2, headline: "Death toll in Ukraine climbs to seven after Russia's latest strikes" },
    ]);
  });

  it('B again is unchanged and adds no rows', async () => {
    archive = await newArchive(backend);
    await ingestCapture(archive, seed('A'));
    await ingestCapture(archive, seed('B'));
    const before = await counts(archive);
    const again = await ingestCapture(archive, { ...seed('B'), capturedAt: new Date('2025-11-26T00:00:00Z') });
    expect(again).toMatchObject({ status: 'unchanged', page: PAGE, capturedAt: '2025-11-25T15:10:00.000Z', posts: null });
    expect(await counts(archive)).toEqual(before);
  });

  it('records the same bytes at a strong time after the page changed: a genuine revert', async () => {
    archive = await newArchive(backend);
    await ingestCapture(archive, seed('A'));
    await ingestCapture(archive, seed('B'));
    // The page goes back to A, then to B, and so on: each time its bytes are ones archived before.
    const sources = ['option', 'http', 'warc', 'archive'] as const;
    for (const [i, capturedAtSource] of sources.entries()) {
      const at = new Date(Date.parse('2025-11-25T16:00:00Z') + i * 3_600_000);
      const back = await ingestCapture(archive, { ...seed(i % 2 === 0 ? 'A' : 'B'), capturedAt: at, capturedAtSource });
      expect(back, capturedAtSource).toMatchObject({ status: 'new', capturedAt: at.toISOString(), posts: { total: i % 2 === 0 ? 11 : 19, removed: i % 2 === 0 ? 8 : 0 } });
    }
    expect((await counts(archive))['snapshots']).toBe(6);
  });

  it('gives the same archive when the captures arrive out of order', async () => {
    const inOrder = await newArchive(backend);
    await ingestCapture(inOrder, seed('A'));
    await ingestCapture(inOrder, seed('B'));
    archive = await newArchive(backend);
    await ingestCapture(archive, seed('B'));
    const late = await ingestCapture(archive, seed('A'));
    // Against the capture before it (none), A's posts are all new.
    expect(late.posts).toMatchObject({ total: 11, new: 11 });
    const strip = async (a: Archive) => (await listPosts(a, PAGE)).map(({ id, headline, version, versionCount, firstSeenAt, lastSeenAt, removedAt }) => ({ id, headline, version, versionCount, firstSeenAt, lastSeenAt, removedAt }));
    expect(await strip(archive)).toEqual(await strip(inOrder));
    await inOrder.close();
  });

  it('marks a post missing from a later snapshot as removed, without deleting it', async () => {
    archive = await newArchive(backend);
    await ingestCapture(archive, seed('A'));
    await ingestCapture(archive, seed('B'));
    // A third capture that lost one post: B's bytes with the oldest article (one the JSON-LD
    // does not list) cut out.
    const html = seed('B').bytes.toString('utf8');
    const start = html.lastIndexOf('<article class="live-story-post');
    const end = html.indexOf('</article>', start) + '</article>'.length;
    const c = await ingestCapture(archive, { ...seed('B'), bytes: Buffer.from(html.slice(0, start) + html.slice(end)), capturedAt: new Date('2025-11-25T16:00:00Z') });
    expect(c.posts).toMatchObject({ total: 18, new: 0, edited: 0, removed: 1 });
    const posts = await listPosts(archive, PAGE);
    expect(posts).toHaveLength(19);
    const gone = posts.filter((p) => p.removedAt !== null);
    expect(gone.map((p) => [p.id, p.removedAt, p.lastSeenAt])).toEqual([
      ['h_1918dc2457f4dd5f890aa32b411c3fd3', '2025-11-25T16:00:00.000Z', '2025-11-25T15:10:00.000Z'],
    ]);
    expect(posts.at(-1)!.id).toBe('h_1918dc2457f4dd5f890aa32b411c3fd3');
  });

  it('leaves the archive exactly as before when a snapshot fails half-way', async () => {
    archive = await newArchive(backend);
    await ingestCapture(archive, seed('A'));
    const before = await counts(archive);
    // Make the 5th post insert fail inside the transaction.
    const [create, drop] = FAIL_MIDWAY[backend.name];
    for (const statement of create!.split(/;\n\s*(?=CREATE)/)) await archive.db.query(statement);
    await expect(ingestCapture(archive, seed('B'))).rejects.toThrow(/disk on fire/);
    await archive.db.query(drop!);
    expect(await counts(archive)).toEqual(before);
    expect(await ingestCapture(archive, seed('B'))).toMatchObject({ status: 'new', posts: { new: 8, edited: 1 } });
  });
});

describe('a SQLite archive', () => {
  it('is a plain SQLite database the sqlite3 shell can check and query', async () => {
    const db = join(tempDir(), 'a.db');
    archive = await openArchive(db);
    await ingestCapture(archive, seed('A'));
    await ingestCapture(archive, seed('B'));
    await archive.close();
    archive = undefined;
    expect(sqlite3(db, 'PRAGMA integrity_check;')).toBe('ok');
    expect(sqlite3(db, 'PRAGMA foreign_key_check;')).toBe('');
    expect(sqlite3(db, 'PRAGMA user_version;')).toBe(String(SCHEMA_VERSION));
    expect(sqlite3(db, `SELECT COUNT(*) FROM posts WHERE post_key LIKE 'h\\_%' ESCAPE '\\';`)).toBe('19');
    expect(sqlite3(db, `SELECT GROUP_CONCAT(c.name, '|') FROM post_version_contributors x JOIN contributors c ON c.id = x.contributor_id
      JOIN post_versions v ON v.id = x.post_version_id JOIN posts p ON p.id = v.post_id WHERE p.post_key = 'h_d3b16248467405f5dce291b46d0b5350' ORDER BY x.position;`))
      .toBe('Svitlana Vlasova|Catherine Nicholls|Kara Fox');
  });
});

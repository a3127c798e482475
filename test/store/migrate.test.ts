import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/store/archive.js';
import { ingestCapture } from '../../src/store/ingest-capture.js';
import { searchPosts } from '../../src/store/search.js';
import { SCHEMA_VERSION } from '../../src/store/migrate.js';
import { gzipSync } from 'node:zlib';
import { readdirSync } from 'node:fs';
import { readRaw } from '../../src/store/raw.js';
import { reparse } from '../../src/store/reparse.js';
import { gather } from '../../src/store/read.js';
import { readPage, ROOT, SEEDS, tempDir } from '../helpers.js';

const MIGRATIONS = readdirSync(join(ROOT, 'src/store/migrations'));
/** The migration that keeps the search text once and raw captures as deltas, and the schema before it. */
const COMPACT = Number(MIGRATIONS.find((f) => f.endsWith('-compact.sql'))!.slice(0, 3));
const BEFORE_COMPACT = Math.max(...MIGRATIONS.map((f) => Number(f.slice(0, 3))).filter((v) => v < COMPACT));

/**
 * Undo the compact migration: the search index holds its own copy of the text again, and every
 * raw part is one gzip copy (the bytes given), in the table's earlier shape.
 */
function toSchemaBeforeCompact(db: Database.Database, raw: Map<string, Buffer>): void {
  db.exec(`
    DROP TABLE post_search; DROP VIEW post_search_text; DROP INDEX posts_published_at;
    CREATE VIRTUAL TABLE post_search USING fts5(headline, body, captions, contributors, tokenize = 'unicode61 remove_diacritics 2');
    INSERT INTO post_search (rowid, headline, body, captions, contributors)
    SELECT v.id, COALESCE(v.headline, ''), v.body_text,
      COALESCE((SELECT group_concat(t, ' ') FROM (SELECT trim(COALESCE(m.caption, '') || ' ' || COALESCE(m.credit, '') || ' ' || COALESCE(m.description, '')) AS t
        FROM post_version_media x JOIN media m ON m.id = x.media_id WHERE x.post_version_id = v.id ORDER BY x.position)), ''),
      COALESCE((SELECT group_concat(name, ' ') FROM (SELECT c.name FROM post_version_contributors x JOIN contributors c ON c.id = x.contributor_id
        WHERE x.post_version_id = v.id ORDER BY x.position)), '')
    FROM post_versions v;
    CREATE TABLE snapshot_raw_old (snapshot_id INTEGER NOT NULL REFERENCES snapshots(id), part INTEGER NOT NULL, url TEXT, content_type TEXT,
      sha256 TEXT NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (snapshot_id, part)) WITHOUT ROWID;
    INSERT INTO snapshot_raw_old SELECT snapshot_id, part, url, content_type, sha256, x'' FROM snapshot_raw;
    DROP TABLE snapshot_raw; ALTER TABLE snapshot_raw_old RENAME TO snapshot_raw;
    CREATE INDEX snapshot_raw_sha256 ON snapshot_raw (sha256) WHERE part = 0;`);
  const put = db.prepare('UPDATE snapshot_raw SET bytes = ? WHERE snapshot_id = ? AND part = ?');
  for (const [key, bytes] of raw) put.run(gzipSync(bytes), ...key.split(':').map(Number));
  db.pragma(`user_version = ${BEFORE_COMPACT}`);
}

/** Undo migrations 2 and 3: what an archive of livearchive's first schema holds. */
const SCHEMA_1 = `
  DROP VIEW latest_posts; DROP VIEW post_timeline; DROP TABLE post_search; DROP VIEW post_search_text; DROP INDEX posts_published_at;
  DROP TABLE http_checks; DROP TABLE snapshot_raw;
  ALTER TABLE snapshots DROP COLUMN requested_url; ALTER TABLE snapshots DROP COLUMN final_url;
  ALTER TABLE snapshots DROP COLUMN http_status; ALTER TABLE snapshots DROP COLUMN http_headers; ALTER TABLE snapshots DROP COLUMN fetch_ms;`;

describe('migrations', () => {
  it('upgrades a schema-1 archive: the search index is filled from what is archived, views appear', async () => {
    const db = join(tempDir(), 'old.db');
    const a = await openArchive(db);
    const source = join(SEEDS, 'cnn-live-2025-11-25-B.html');
    await ingestCapture(a, { source, origin: 'file', bytes: readPage(source), capturedAt: new Date('2025-11-25T15:10:00Z'), capturedAtSource: 'option' });
    await a.close();
    // Take it back to schema 1 as an older livearchive left it.
    const raw = new Database(db);
    raw.exec(SCHEMA_1);
    raw.pragma('user_version = 1');
    raw.close();

    const upgraded = await openArchive(db);
    expect(upgraded.sqlite!.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect((await searchPosts(upgraded, 'Moldova')).map((h) => h.id)).toEqual(['h_7a5e5f6e317e48ef791a17a18a51eb7d']);
    expect((await searchPosts(upgraded, 'contributors:"Kara Fox"')).map((h) => h.id)).toEqual(['h_d3b16248467405f5dce291b46d0b5350']);
    await upgraded.close();
    expect(execFileSync('sqlite3', [db, 'SELECT COUNT(*) FROM latest_posts; SELECT COUNT(*) FROM post_timeline; PRAGMA integrity_check;'], { encoding: 'utf8' }).trim().split('\n'))
      .toEqual(['19', '19', 'ok']);
  });

  it('upgrades an older archive before a read-only open, so read commands work on it', async () => {
    const db = join(tempDir(), 'old.db');
    await (await openArchive(db)).close();
    const raw = new Database(db);
    raw.exec(SCHEMA_1);
    raw.pragma('user_version = 1');
    raw.close();
    const a = await openArchive(db, { readonly: true });
    expect(a.sqlite!.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(await searchPosts(a, 'anything')).toEqual([]);
    await a.close();
  });

  it('upgrades an archive of the schema before the compact one: the search index is rebuilt without a copy of the text, old gzip captures stay readable and become delta bases', async () => {
    const db = join(tempDir(), 'old.db');
    const a = await openArchive(db);
    const page = (name: string, at: string): Parameters<typeof ingestCapture>[1] => {
      const source = join(SEEDS, name);
      return { source, origin: 'file', bytes: readPage(source), capturedAt: new Date(at), capturedAtSource: 'option' };
    };
    await ingestCapture(a, page('cnn-live-2025-11-25-A.html', '2025-11-25T12:05:00Z'));
    await ingestCapture(a, page('cnn-live-2025-11-25-B.html', '2025-11-25T15:10:00Z'));
    const raw = new Map([[`1:0`, await readRaw(a, 1, 0)], [`2:0`, await readRaw(a, 2, 0)]]);
    const before = await searchPosts(a, 'Moldova OR Kremlin', { rank: true });
    await a.close();
    const old = new Database(db);
    toSchemaBeforeCompact(old, raw);
    old.close();

    const upgraded = await openArchive(db);
    expect(upgraded.sqlite!.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // The index is an external-content table: no second copy of the text.
    expect(upgraded.sqlite!.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'post_search%' ORDER BY name`).pluck().all())
      .toEqual(['post_search', 'post_search_config', 'post_search_data', 'post_search_docsize', 'post_search_idx', 'post_search_text']);
    expect(() => upgraded.sqlite!.prepare(`INSERT INTO post_search (post_search, rank) VALUES ('integrity-check', 1)`).run()).not.toThrow();
    expect(await searchPosts(upgraded, 'Moldova OR Kremlin', { rank: true })).toEqual(before);
    expect(upgraded.sqlite!.prepare('SELECT encoding FROM snapshot_raw ORDER BY snapshot_id').pluck().all()).toEqual(['gzip', 'gzip']);
    expect((await readRaw(upgraded, 2, 0)).equals(raw.get('2:0')!)).toBe(true);
    // The next capture is stored as a delta against the old gzip copy.
    const c = page('cnn-live-2025-11-25-B.html', '2025-11-25T15:20:00Z');
    c.bytes = Buffer.concat([c.bytes, Buffer.from('<!-- later -->')]);
    await ingestCapture(upgraded, c);
    expect(upgraded.sqlite!.prepare('SELECT encoding, base_snapshot_id FROM snapshot_raw WHERE snapshot_id = 3').get()).toEqual({ encoding: 'delta', base_snapshot_id: 2 });
    expect((await readRaw(upgraded, 3, 0)).equals(c.bytes)).toBe(true);
    expect((await gather(reparse(upgraded))).map((r) => [r.snapshots, r.posts, r.skipped])).toEqual([[3, 19, null]]);
    expect(() => upgraded.sqlite!.prepare(`INSERT INTO post_search (post_search, rank) VALUES ('integrity-check', 1)`).run()).not.toThrow();
    await upgraded.close();
  });
});

describe('migration 004 (web archives)', () => {
  it('rebuilds snapshots with the new origins, keeping every row, reference and view of a schema-3 archive', async () => {
    const db = join(tempDir(), 'v3.db');
    const a = await openArchive(db);
    for (const [name, at] of [['A', '2025-11-25T12:05:00Z'], ['B', '2025-11-25T15:10:00Z']] as const) {
      const source = join(SEEDS, `cnn-live-2025-11-25-${name}.html`);
      await ingestCapture(a, { source, origin: 'file', bytes: readPage(source), capturedAt: new Date(at), capturedAtSource: 'option' });
    }
    // Schema 3 kept every part as one gzip copy.
    const whole = [gzipSync(await readRaw(a, 1, 0)), gzipSync(await readRaw(a, 2, 0))];
    await a.close();
    // The same archive as livearchive 3 wrote it: schema 1–3 from their migration files, the rows copied over.
    const v3 = join(tempDir(), 'v3-old.db');
    const raw = new Database(v3);
    for (const f of ['001-init.sql', '002-search-and-views.sql', '003-http.sql']) raw.exec(readFileSync(join(ROOT, 'src/store/migrations', f), 'utf8'));
    raw.pragma('user_version = 3');
    raw.pragma('foreign_keys = OFF');
    raw.exec(`ATTACH '${db}' AS cur`);
    for (const t of ['pages', 'snapshots', 'posts', 'post_versions', 'snapshot_posts', 'contributors', 'post_version_contributors', 'media', 'post_version_media', 'snapshot_raw', 'http_checks']) {
      const cols = (raw.prepare(`SELECT name FROM pragma_table_info('${t}', 'main')`).all() as Array<{ name: string }>).map((c) => c.name).join(', ');
      raw.exec(`INSERT INTO main.${t} (${cols}) SELECT ${cols} FROM cur.${t}`);
    }
    raw.exec(`INSERT INTO main.post_search (rowid, headline, body, captions, contributors) SELECT rowid, headline, body, captions, contributors FROM cur.post_search; DETACH cur`);
    whole.forEach((bytes, i) => raw.prepare('UPDATE snapshot_raw SET bytes = ? WHERE snapshot_id = ? AND part = 0').run(bytes, i + 1));
    const before = raw.prepare('SELECT id, sha256, captured_at FROM snapshots ORDER BY id').all();
    expect(before).toHaveLength(2);
    expect(() => raw.prepare(`UPDATE snapshots SET origin = 'warc'`).run()).toThrow(/CHECK/);
    raw.close();
    copyFileSync(v3, db);
    rmSync(`${db}-wal`, { force: true });
    rmSync(`${db}-shm`, { force: true });

    const upgraded = await openArchive(db);
    expect(upgraded.sqlite!.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(upgraded.sqlite!.prepare('SELECT id, sha256, captured_at FROM snapshots ORDER BY id').all()).toEqual(before);
    expect(upgraded.sqlite!.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(upgraded.sqlite!.pragma('foreign_key_check')).toEqual([]);
    const source = join(SEEDS, 'cnn-live-2025-11-25-B.html');
    const out = await ingestCapture(upgraded, {
      source: 'cap.warc#0', origin: 'warc', bytes: Buffer.concat([readPage(source), Buffer.from(' ')]), capturedAt: new Date('2025-11-25T16:00:00Z'), capturedAtSource: 'warc',
      provenance: { warc: { file: '/x/cap.warc', offset: 0, recordId: '<urn:uuid:1>' } },
    });
    expect(out.status).toBe('new');
    expect(upgraded.sqlite!.prepare('SELECT origin, captured_at_source, warc_record_id, provenance FROM snapshots WHERE id = ?').get(out.snapshotId)).toEqual({
      origin: 'warc', captured_at_source: 'warc', warc_record_id: '<urn:uuid:1>', provenance: '{"warc":{"file":"/x/cap.warc","offset":0,"recordId":"<urn:uuid:1>"}}',
    });
    await upgraded.close();
    expect(execFileSync('sqlite3', [db, 'SELECT COUNT(*) FROM latest_posts; SELECT COUNT(*) FROM post_timeline; PRAGMA integrity_check;'], { encoding: 'utf8' }).trim().split('\n'))
      .toEqual(['19', '49', 'ok']);
  });
});

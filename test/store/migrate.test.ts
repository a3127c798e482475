import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/store/archive.js';
import { ingestCapture } from '../../src/store/ingest.js';
import { searchPosts } from '../../src/store/research.js';
import { SCHEMA_VERSION } from '../../src/store/migrate.js';
import { readPage, ROOT, SEEDS, tempDir } from '../helpers.js';

/** Undo migrations 2 and 3: what an archive of livearchive's first schema holds. */
const SCHEMA_1 = `
  DROP VIEW latest_posts; DROP VIEW post_timeline; DROP TABLE post_search;
  DROP TABLE http_checks; DROP TABLE snapshot_raw;
  ALTER TABLE snapshots DROP COLUMN requested_url; ALTER TABLE snapshots DROP COLUMN final_url;
  ALTER TABLE snapshots DROP COLUMN http_status; ALTER TABLE snapshots DROP COLUMN http_headers; ALTER TABLE snapshots DROP COLUMN fetch_ms;`;

describe('migrations', () => {
  it('upgrades a schema-1 archive: the search index is filled from what is archived, views appear', () => {
    const db = join(tempDir(), 'old.db');
    const a = openArchive(db);
    const source = join(SEEDS, 'cnn-live-2025-11-25-B.html');
    ingestCapture(a, { source, origin: 'file', bytes: readPage(source), capturedAt: new Date('2025-11-25T15:10:00Z'), capturedAtSource: 'option' });
    a.close();
    // Take it back to schema 1 as an older livearchive left it.
    const raw = new Database(db);
    raw.exec(SCHEMA_1);
    raw.pragma('user_version = 1');
    raw.close();

    const upgraded = openArchive(db);
    expect(upgraded.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(searchPosts(upgraded, 'Moldova').map((h) => h.id)).toEqual(['h_7a5e5f6e317e48ef791a17a18a51eb7d']);
    expect(searchPosts(upgraded, 'contributors:"Kara Fox"').map((h) => h.id)).toEqual(['h_d3b16248467405f5dce291b46d0b5350']);
    upgraded.close();
    expect(execFileSync('sqlite3', [db, 'SELECT COUNT(*) FROM latest_posts; SELECT COUNT(*) FROM post_timeline; PRAGMA integrity_check;'], { encoding: 'utf8' }).trim().split('\n'))
      .toEqual(['19', '19', 'ok']);
  });

  it('upgrades an older archive before a read-only open, so read commands work on it', () => {
    const db = join(tempDir(), 'old.db');
    openArchive(db).close();
    const raw = new Database(db);
    raw.exec(SCHEMA_1);
    raw.pragma('user_version = 1');
    raw.close();
    const a = openArchive(db, { readonly: true });
    expect(a.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(searchPosts(a, 'anything')).toEqual([]);
    a.close();
  });
});

describe('migration 004 (web archives)', () => {
  it('rebuilds snapshots with the new origins, keeping every row, reference and view of a schema-3 archive', () => {
    const db = join(tempDir(), 'v3.db');
    const a = openArchive(db);
    for (const [name, at] of [['A', '2025-11-25T12:05:00Z'], ['B', '2025-11-25T15:10:00Z']] as const) {
      const source = join(SEEDS, `cnn-live-2025-11-25-${name}.html`);
      ingestCapture(a, { source, origin: 'file', bytes: readPage(source), capturedAt: new Date(at), capturedAtSource: 'option' });
    }
    a.close();
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
    const before = raw.prepare('SELECT id, sha256, captured_at FROM snapshots ORDER BY id').all();
    expect(before).toHaveLength(2);
    expect(() => raw.prepare(`UPDATE snapshots SET origin = 'warc'`).run()).toThrow(/CHECK/);
    raw.close();
    copyFileSync(v3, db);
    rmSync(`${db}-wal`, { force: true });
    rmSync(`${db}-shm`, { force: true });

    const upgraded = openArchive(db);
    expect(upgraded.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(upgraded.db.prepare('SELECT id, sha256, captured_at FROM snapshots ORDER BY id').all()).toEqual(before);
    expect(upgraded.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(upgraded.db.pragma('foreign_key_check')).toEqual([]);
    const source = join(SEEDS, 'cnn-live-2025-11-25-B.html');
    const out = ingestCapture(upgraded, {
      source: 'cap.warc#0', origin: 'warc', bytes: Buffer.concat([readPage(source), Buffer.from(' ')]), capturedAt: new Date('2025-11-25T16:00:00Z'), capturedAtSource: 'warc',
      provenance: { warc: { file: '/x/cap.warc', offset: 0, recordId: '<urn:uuid:1>' } },
    });
    expect(out.status).toBe('new');
    expect(upgraded.db.prepare('SELECT origin, captured_at_source, warc_record_id, provenance FROM snapshots WHERE id = ?').get(out.snapshotId)).toEqual({
      origin: 'warc', captured_at_source: 'warc', warc_record_id: '<urn:uuid:1>', provenance: '{"warc":{"file":"/x/cap.warc","offset":0,"recordId":"<urn:uuid:1>"}}',
    });
    upgraded.close();
    expect(execFileSync('sqlite3', [db, 'SELECT COUNT(*) FROM latest_posts; SELECT COUNT(*) FROM post_timeline; PRAGMA integrity_check;'], { encoding: 'utf8' }).trim().split('\n'))
      .toEqual(['19', '49', 'ok']);
  });
});

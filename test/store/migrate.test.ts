import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/store/archive.js';
import { ingestCapture } from '../../src/store/ingest.js';
import { searchPosts } from '../../src/store/research.js';
import { SCHEMA_VERSION } from '../../src/store/migrate.js';
import { readPage, SEEDS, tempDir } from '../helpers.js';

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

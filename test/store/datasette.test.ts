import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { searchPosts } from '../../src/store/search.js';
import { openArchive } from '../../src/store/archive.js';
import { cli, ROOT, SEEDS, tempDir } from '../helpers.js';

interface TableConfig {
  fts_table?: string;
  fts_pk?: string;
  facets?: Array<string | { array: string }>;
  sortable_columns?: string[];
  sort_desc?: string;
  label_column?: string;
  columns?: Record<string, string>;
}
type Config = { databases: Record<string, { tables: Record<string, TableConfig> }> };

let db = '';
let config: Config;

beforeAll(async () => {
  db = join(tempDir(), 'news.db');
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--captured-at', '2025-11-25T12:05:00Z', '--db', db]);
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-B.html'), '--captured-at', '2025-11-25T15:10:00Z', '--db', db]);
  const r = await cli(['datasette-metadata', '--db', db]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  config = parse(r.stdout) as Config;
});

function columns(sqlite: Database.Database, table: string): string[] {
  return (sqlite.pragma(`table_xinfo(${table})`) as Array<{ name: string }>).map((c) => c.name);
}

describe('datasette-metadata', () => {
  it('names the database as Datasette does (the file name without extension)', async () => {
    expect(Object.keys(config.databases)).toEqual(['news']);
  });

  it('points post_versions and latest_posts at an FTS table and key that exist and match', async () => {
    const tables = config.databases['news']!.tables;
    const sqlite = new Database(db, { readonly: true });
    for (const name of ['post_versions', 'latest_posts']) {
      const t = tables[name]!;
      const fts = sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(t.fts_table) as { sql: string } | undefined;
      expect(fts?.sql, name).toMatch(/USING fts5/i);
      expect(columns(sqlite, name)).toContain(t.fts_pk);
    }
    // The query Datasette runs for ?_search=: rows whose key is a rowid the index matches.
    const datasette = (table: string): string[] => {
      const t = tables[table]!;
      return (sqlite.prepare(`SELECT ${t.fts_pk} AS k FROM ${table} WHERE ${t.fts_pk} IN (SELECT rowid FROM ${t.fts_table} WHERE ${t.fts_table} MATCH ?)`)
        .all('"climbs to"') as Array<{ k: number }>).map((r) => String(r.k)).sort();
    };
    const versionIds = (sql: string): string[] => (sqlite.prepare(sql).all() as Array<{ id: number }>).map((r) => String(r.id)).sort();
    // Both versions of the edited post mention it; only its latest is in latest_posts.
    expect(datasette('post_versions')).toEqual(versionIds(`SELECT v.id FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.post_key = 'h_01aee11ad206d3f1fe2af23da8cbf9af'`));
    expect(datasette('latest_posts')).toEqual(versionIds(`SELECT p.latest_version_id AS id FROM posts p WHERE p.post_key = 'h_01aee11ad206d3f1fe2af23da8cbf9af'`));
    // And it agrees with livearchive's own search.
    const a = await openArchive(db, { readonly: true });
    expect(datasette('latest_posts')).toHaveLength((await searchPosts(a, '"climbs to"')).length);
    await a.close();
    sqlite.close();
  });

  it('facets, labels, sorts and descriptions name real columns', async () => {
    const sqlite = new Database(db, { readonly: true });
    for (const [table, t] of Object.entries(config.databases['news']!.tables)) {
      const have = columns(sqlite, table);
      expect(have.length, table).toBeGreaterThan(0);
      const named = [
        ...(t.facets ?? []).map((f) => (typeof f === 'string' ? f : f.array)),
        ...(t.sortable_columns ?? []), ...(t.sort_desc ? [t.sort_desc] : []), ...(t.label_column ? [t.label_column] : []), ...Object.keys(t.columns ?? {}),
      ];
      for (const c of named) expect(have, `${table}.${c}`).toContain(c);
    }
    const latest = config.databases['news']!.tables['latest_posts']!;
    expect(latest.facets).toEqual(['publisher', 'page_url', 'kind', { array: 'contributor_names' }]);
    expect(latest.sortable_columns).toEqual(expect.arrayContaining(['published_at', 'updated_at', 'first_seen_at', 'last_seen_at', 'removed_at']));
    // An array facet needs a JSON array in every row.
    for (const r of sqlite.prepare('SELECT contributor_names FROM latest_posts').all() as Array<{ contributor_names: string }>) {
      expect(Array.isArray(JSON.parse(r.contributor_names))).toBe(true);
    }
    sqlite.close();
  });

  it('--json writes the same configuration as JSON', async () => {
    const r = await cli(['datasette-metadata', '--db', db, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(config);
  });

  it('the SQL of docs/datasette.md runs on an archive and finds what it says', async () => {
    const doc = readFileSync(join(ROOT, 'docs/datasette.md'), 'utf8');
    const statements = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split(/;\s*\n/)).map((s) => s.replace(/^--.*$/gm, '').trim()).filter(Boolean);
    expect(statements.length).toBeGreaterThanOrEqual(5);
    const sqlite = new Database(db, { readonly: true });
    const results = statements.map((sql) => sqlite.prepare(sql).all() as Array<Record<string, unknown>>);
    sqlite.close();
    for (const [i, rows] of results.entries()) expect(rows.length, statements[i]).toBeGreaterThan(0);
    // "Every version that ever said 'climbs to six'": the corrected first version.
    expect(results[1]).toEqual([{ post_key: 'h_01aee11ad206d3f1fe2af23da8cbf9af', version: 1, headline: "Death toll in Ukraine climbs to six after Russia's latest strikes" }]);
  });

  it('a missing archive is a one-line error', async () => {
    const missing = join(tempDir(), 'none.db');
    expect(await cli(['datasette-metadata', '--db', missing])).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${missing}: no archive here yet (ingest a page first, or pass --db)\n` });
  });
});

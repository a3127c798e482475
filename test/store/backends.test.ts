import { describe, expect, it } from 'vitest';
import type { Archive } from '../../src/store/archive.js';
import { TABLES } from '../../src/store/copy.js';
import { newArchive, POSTGRES, SQLITE, TEST_PG } from '../backends.js';

/** Columns that only a PostgreSQL archive has, each for a reason docs/schema.md gives. */
const POSTGRES_ONLY: Record<string, string[]> = { pages: ['search_config'] };
const VIEWS = ['latest_posts', 'post_timeline', 'post_search_text'];

async function columns(a: Archive, table: string): Promise<string[]> {
  const rows = a.backend === 'sqlite'
    ? await a.db.query<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
    : await a.db.query<{ name: string }>(`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, [table]);
  return rows.map((r) => r.name);
}

async function tables(a: Archive): Promise<string[]> {
  const rows = a.backend === 'sqlite'
    ? await a.db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'post_search_%' ORDER BY name`)
    : await a.db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`);
  return rows.map((r) => r.name);
}

describe.skipIf(!TEST_PG)('the two backends hold the same schema', () => {
  it('the same tables, each with the columns copy moves (a migration on one backend needs its twin on the other)', async () => {
    const [lite, pg] = [await newArchive(SQLITE), await newArchive(POSTGRES)];
    expect(await tables(lite)).toEqual([...Object.keys(TABLES), 'post_search'].sort());
    expect(await tables(pg)).toEqual([...Object.keys(TABLES), 'post_search', 'livearchive_schema'].sort());
    for (const [table, cols] of Object.entries(TABLES)) {
      expect((await columns(lite, table)).sort(), table).toEqual([...cols].sort());
      expect((await columns(pg, table)).sort(), table).toEqual([...cols, ...POSTGRES_ONLY[table] ?? []].sort());
    }
    for (const view of VIEWS) expect(await columns(pg, view), view).toEqual(await columns(lite, view));
    await lite.close();
    await pg.close();
  });
});

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { openArchive, type Archive, type OpenOptions } from '../src/store/archive.js';
import { tempDir } from './helpers.js';

/**
 * The PostgreSQL server the tests use: $LIVEARCHIVE_TEST_PG, a database URL (.ci/run starts a
 * throwaway cluster with scripts/pg-test-cluster.sh and sets it). Without it the PostgreSQL
 * tests are skipped with a notice (vitest.config.ts), except under CI, where they must run.
 */
export const TEST_PG = process.env['LIVEARCHIVE_TEST_PG'] || undefined;

/**
 * A new, empty PostgreSQL archive location: a schema of its own in the test database (the
 * URL's search_path names it), so that test files running at once never see each other's rows.
 */
export async function newPgArchive(): Promise<string> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.href;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A new archive's --db: a file in a temporary folder, or a fresh PostgreSQL schema. */
  location(): Promise<string>;
}

export const SQLITE: Backend = { name: 'sqlite', location: async () => join(tempDir(), 'a.db') };
export const POSTGRES: Backend = { name: 'postgres', location: newPgArchive };

/** Both backends, PostgreSQL only where a server is there to test against. */
export const BACKENDS: Backend[] = TEST_PG ? [SQLITE, POSTGRES] : [SQLITE];

/** The same tests on each backend (a describe block per backend). */
export function describeBackends(name: string, body: (backend: Backend) => void): void {
  for (const backend of BACKENDS) describe(`${name} [${backend.name}]`, () => body(backend));
}

/** A new archive on the backend. */
export async function newArchive(backend: Backend, options: OpenOptions = {}): Promise<Archive> {
  return openArchive(await backend.location(), options);
}

/** One row count per table, the same way on either backend. */
export async function tableCounts(a: Archive, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (await a.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n;
  return out;
}

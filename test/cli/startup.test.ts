import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newPgArchive, TEST_PG } from '../backends.js';
import { ROOT, SEEDS, tempDir } from '../helpers.js';

const HEAVY = {
  cheerio: /node_modules\/cheerio\//, undici: /node_modules\/undici\//, 'better-sqlite3': /node_modules\/better-sqlite3\//, pg: /node_modules\/pg\//,
  store: /\/dist\/store\//, parser: /\/dist\/parse\/index\.js$/,
};

/**
 * The modules a real `livearchive …` process loads (the built launcher, run with a module
 * hook that logs every load). Spawned, not in-process: only a fresh process shows what a
 * start-up costs.
 */
function loaded(args: string[]): string[] {
  const log = join(tempDir(), 'modules.log');
  execFileSync(process.execPath, ['--import', join(ROOT, 'test/cli/load-log/register.mjs'), join(ROOT, 'bin/livearchive.js'), ...args], {
    env: { ...process.env, LOAD_LOG: log }, encoding: 'utf8',
  });
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

function heavy(urls: string[]): string[] {
  return Object.entries(HEAVY).filter(([, re]) => urls.some((u) => re.test(u))).map(([name]) => name).sort();
}

describe('start-up loads only what the command needs', () => {
  it('--version, --help and a command\'s --help load no parser, HTTP client, SQLite or store', () => {
    for (const args of [['--version'], ['--help'], ['search', '--help'], ['ingest', '--help']]) {
      const urls = loaded(args);
      expect(urls.some((u) => u.endsWith('/dist/cli/main.js')), args.join(' ')).toBe(true);
      expect(heavy(urls), args.join(' ')).toEqual([]);
    }
  });

  it('ingest of an unchanged file opens the archive but loads neither the parser nor the HTTP client', () => {
    const dir = tempDir();
    const page = join(dir, 'b.html');
    copyFileSync(join(SEEDS, 'cnn-live-2025-11-25-B.html'), page);
    const db = join(dir, 'a.db');
    expect(heavy(loaded(['ingest', page, '--db', db]))).toEqual(expect.arrayContaining(['better-sqlite3', 'cheerio', 'parser', 'store']));
    expect(heavy(loaded(['ingest', page, '--db', db]))).toEqual(['better-sqlite3', 'store']);
  });

  it.skipIf(!TEST_PG)('a PostgreSQL archive loads the PostgreSQL client and not SQLite; a SQLite one never loads the PostgreSQL client', async () => {
    const db = await newPgArchive();
    const page = join(SEEDS, 'cnn-live-2025-11-25-B.html');
    const ingest = heavy(loaded(['ingest', page, '--db', db]));
    expect(ingest).toEqual(expect.arrayContaining(['cheerio', 'parser', 'pg', 'store']));
    expect(ingest).not.toContain('better-sqlite3');
    expect(heavy(loaded(['pages', '--db', db]))).toEqual(['pg', 'store']);
  });
});

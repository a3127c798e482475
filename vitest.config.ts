import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The browser tests drive the system's Chromium (Debian's chromium package; .ci/run installs it).
const CHROMIUM = process.env['LIVEARCHIVE_CHROMIUM'] || '/usr/bin/chromium';
const browser = existsSync(CHROMIUM);
if (!browser) {
  // CI must run them: a missing browser there is a broken setup, not a reason to pass.
  if (process.env['CI']) throw new Error(`browser tests need Chromium at ${CHROMIUM} (.ci/run installs it with apt-get)`);
  // Vitest reads its config more than once: say it once.
  if (!process.env['LIVEARCHIVE_BROWSER_NOTICE']) process.stderr.write(`\n*** browser tests NOT RUN: no Chromium at ${CHROMIUM} (apt-get install chromium, or set LIVEARCHIVE_CHROMIUM) ***\n\n`);
  process.env['LIVEARCHIVE_BROWSER_NOTICE'] = '1';
}

// The PostgreSQL tests need a server: $LIVEARCHIVE_TEST_PG (.ci/run starts one with scripts/pg-test-cluster.sh).
if (!process.env['LIVEARCHIVE_TEST_PG']) {
  if (process.env['CI']) throw new Error('PostgreSQL tests need LIVEARCHIVE_TEST_PG (.ci/run starts a throwaway cluster with scripts/pg-test-cluster.sh)');
  if (!process.env['LIVEARCHIVE_PG_NOTICE']) {
    process.stderr.write('\n*** PostgreSQL tests NOT RUN: LIVEARCHIVE_TEST_PG is not set (export LIVEARCHIVE_TEST_PG=$(scripts/pg-test-cluster.sh start /tmp/la-pg)) ***\n\n');
  }
  process.env['LIVEARCHIVE_PG_NOTICE'] = '1';
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // better-sqlite3 is a native addon: forks keep each test file in its own process.
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/browser/**'] } },
      ...(browser ? [{ extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], env: { LIVEARCHIVE_CHROMIUM: CHROMIUM }, testTimeout: 60_000, hookTimeout: 120_000 } }] : []),
    ],
  },
});

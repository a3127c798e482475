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

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../helpers.js';

/** Where the browser tests leave a screenshot of each view for a person to look at (git-ignored). */
export const SCREENSHOTS = join(ROOT, 'screenshots');

/**
 * The system's Chromium (never a downloaded one), headless, quiet: no network of its own, no
 * first-run or sync. Playwright gives each launch a fresh temporary --user-data-dir.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['LIVEARCHIVE_CHROMIUM'] || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The view as a reader sees it on opening it (or the whole page, for short ones). */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

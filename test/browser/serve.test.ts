import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { cli, CORPUS, SEEDS, tempDir } from '../helpers.js';
import { launchChromium, screenshot } from './browser.js';

// The CNN seed page as captured at 12:05 (A, 11 posts) and 15:10 (B, 19 posts), beside the corpus.
const CNN = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
const A = '2025-11-25T12:05:00.000Z';
const B = '2025-11-25T15:10:00.000Z';
const EDITED = 'h_01aee11ad206d3f1fe2af23da8cbf9af';
const NEWEST = 'h_18d305b3151eda04c96c7eff30cfa409';

let browser: Browser;
let server: RunningServer;
let evil: RunningServer;
let noJs: BrowserContext;
let withJs: BrowserContext;

const pagePath = (url: string, sub = ''): string => `page/${encodeURIComponent(url)}${sub}`;

beforeAll(async () => {
  const dir = tempDir();
  const db = join(dir, 'archive.db');
  expect((await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--captured-at', A, '--db', db])).code).toBe(0);
  expect((await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-B.html'), '--captured-at', B, '--db', db])).code).toBe(0);
  expect((await cli(['ingest', CORPUS, '--db', db])).code).toBe(0);
  // A copy whose stored text was tampered with, as an archive from elsewhere might be: the
  // parser would never store these (it drops javascript: links), so they are written directly.
  const tampered = join(dir, 'tampered.db');
  copyFileSync(db, tampered);
  const raw = new Database(tampered);
  raw.prepare(`UPDATE post_versions SET body_html = ? || body_html WHERE id = (SELECT latest_version_id FROM posts WHERE post_key = ?)`)
    .run(`<p>Read <a href="javascript:document.title='pwned'">the trap</a> and <a href=" JaVaScRiPt:window.pwned=1">another</a>.<img src=x onerror="document.title='pwned'"></p>`, NEWEST);
  raw.prepare(`UPDATE pages SET title = ? WHERE url = ?`).run(`<script>document.title='pwned'</script>Tampered <b>title</b>`, CNN);
  raw.prepare(`UPDATE media SET url = 'javascript:document.title=1', caption = '<img src=x onerror=alert(1)>' WHERE id = (SELECT MIN(id) FROM media)`).run();
  raw.close();
  server = await startServer({ path: db, port: 0 });
  evil = await startServer({ path: tampered, port: 0 });
  browser = await launchChromium();
  // The views need no script: most tests run with JavaScript off, as a careful reader might.
  noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 1000 }, timezoneId: 'UTC' });
  withJs = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await evil?.close();
});

async function open(path: string, context = noJs, base = server.url): Promise<Page> {
  const page = await context.newPage();
  const response = await page.goto(base + path);
  expect(response?.status(), path).toBe(200);
  return page;
}

describe('livearchive serve in Chromium', () => {
  it('is bound to 127.0.0.1 by default', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it('lists the pages, sortable and filtered by publisher and kind', async () => {
    const page = await open('');
    const rows = page.locator('table.pages tbody tr');
    // The corpus's pages, and its two Guardian page-data files (a directory ingest reads .json page data).
    expect(await rows.count()).toBe(18);
    await page.getByRole('link', { name: 'Posts' }).click();
    const posts = await page.locator('table.pages tbody tr td:nth-child(7)').allTextContents();
    expect(posts.map(Number)).toEqual([...posts.map(Number)].sort((a, b) => b - a));
    await page.selectOption('select[name=publisher]', 'CNN');
    await page.getByRole('button', { name: 'Filter' }).click();
    // Still sorted by posts, most first.
    expect(await page.locator('table.pages tbody tr td:first-child a').allTextContents()).toEqual([
      'Live updates: Ukraine agrees to peace proposal according to US official | CNN',
      '5 takeaways from Ukrainian President Zelensky’s critical trip to Washington | CNN Politics',
    ]);
    await page.selectOption('select[name=kind]', 'liveblog');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await rows.count()).toBe(1);
    await page.goto(`${server.url}?sort=posts&dir=desc`);
    await screenshot(page, 'pages');
    await page.close();
  });

  it('shows the live blog at capture A, then B through the timeline, posts in page order', async () => {
    const page = await open('');
    await page.getByRole('link', { name: /^Live updates: Ukraine agrees/ }).click();
    // The latest capture by default.
    expect(await page.locator('article.post').count()).toBe(19);
    await page.locator('nav.timeline').getByRole('link', { name: /12:05/ }).click();
    expect(new URL(page.url()).searchParams.get('at')).toBe(A);
    expect(await page.locator('article.post').count()).toBe(11);
    expect(await page.locator(`#post-${EDITED} h2`).textContent()).toBe("Death toll in Ukraine climbs to six after Russia's latest strikes");
    await screenshot(page, 'live-blog-at-A');
    await page.getByRole('link', { name: 'later →' }).click();
    expect(new URL(page.url()).searchParams.get('at')).toBe(B);
    const ids = await page.locator('article.post').evaluateAll((els) => els.map((e) => e.id));
    expect(ids).toHaveLength(19);
    expect(ids[0]).toBe(`post-${NEWEST}`);
    expect(await page.locator(`#post-${EDITED} h2`).textContent()).toBe("Death toll in Ukraine climbs to seven after Russia's latest strikes");
    // Contributors, media with captions linked to the original, and the version.
    const red = page.locator('#post-h_d3b16248467405f5dce291b46d0b5350');
    expect(await red.locator('.people').textContent()).toContain('Kara Fox');
    const media = page.locator(`#post-${EDITED} li.media`).first();
    expect(await media.locator('a.out').first().getAttribute('href')).toBe('https://www.cnn.com/2025/11/25/world/video/kyiv-residential-building-missile-attack-digvid');
    expect(await media.locator('.caption').textContent()).toBe('Residential building hit in deadly Russian missile attack on Kyiv');
    expect(await page.locator(`#post-${EDITED} .version`).textContent()).toContain('version 2 of 2');
    await screenshot(page, 'live-blog-at-B');
    await page.close();
  });

  it('shows times in the chosen zone, with UTC on hover', async () => {
    const page = await open(`${pagePath(CNN)}?at=${B}`);
    const time = page.locator(`#post-${NEWEST} .meta time`).first();
    expect(await time.textContent()).toBe('25 Nov 2025, 15:02 UTC');
    await page.selectOption('form.zone select[name=tz]', 'America/New_York');
    await page.locator('form.zone').getByRole('button', { name: 'Show' }).click();
    expect(new URL(page.url()).searchParams.get('at')).toBe(B);
    expect(await time.textContent()).toBe('25 Nov 2025, 10:02 GMT-5');
    expect(await time.getAttribute('title')).toBe('2025-11-25 15:02:14 UTC');
    // The zone follows the reader from link to link.
    await page.getByRole('link', { name: 'What changed', exact: true }).click();
    expect(new URL(page.url()).searchParams.get('tz')).toBe('America/New_York');
    await page.close();
  });

  it('marks what changed from A to B: 8 new posts and the edited one, word by word', async () => {
    const page = await open(`${pagePath(CNN)}?at=${B}`);
    await page.getByRole('link', { name: 'What changed', exact: true }).click();
    expect(await page.locator('li.change.added').count()).toBe(8);
    expect(await page.locator('li.change.removed').count()).toBe(0);
    const edited = page.locator('li.change.edited');
    expect(await edited.count()).toBe(1);
    expect(await edited.getAttribute('id')).toBe(`change-${EDITED}`);
    expect(await edited.locator('a del').allTextContents()).toEqual(['six']);
    expect(await edited.locator('a ins').allTextContents()).toEqual(['seven']);
    expect(await edited.locator('.diff ins').allTextContents()).toContain('seven');
    await screenshot(page, 'changes-A-to-B');
    // From an added post to the post in its page at B.
    await page.locator('li.change.added a').first().click();
    expect(page.url()).toContain(`#post-${NEWEST}`);
    await page.close();
  });

  it("shows a post's history: both versions, the captures that showed each, the edit", async () => {
    const page = await open(`${pagePath(CNN)}?at=${B}`);
    await page.locator(`#post-${EDITED} .version a`).click();
    expect(await page.locator('li.revision').count()).toBe(2);
    expect(await page.locator('#version-1 .seen a').allTextContents()).toEqual(['25 Nov 2025, 12:05 UTC']);
    expect(await page.locator('#version-2 .headline-diff del').allTextContents()).toEqual(['six']);
    await screenshot(page, 'post-history', true);
    await page.locator('#version-1 .seen a').click();
    expect(new URL(page.url()).searchParams.get('at')).toBe(A);
    await page.close();
  });

  it('charts posts per hour, edits and removals as SVG drawn on the server', async () => {
    const page = await open(`${pagePath(CNN, '/when')}`);
    const bars = page.locator('svg.chart rect.bar.posts');
    // 19 posts between 09:25 and 15:02 UTC: one bar per hour that has posts, adding up to 19.
    const titles = await bars.evaluateAll((els) => els.map((e) => e.querySelector('title')?.textContent ?? ''));
    expect(titles.map((t) => Number(/: (\d+) posts?$/.exec(t)![1])).reduce((a, b) => a + b, 0)).toBe(19);
    expect(await page.locator('svg.chart rect.bar.edits title').allTextContents()).toEqual(['25 Nov, 13:00: 1 edit']);
    expect(await page.locator('svg.chart line.capture title').allTextContents()).toEqual([`capture ${A}`, `capture ${B}`]);
    await screenshot(page, 'when', true);
    await page.close();
  });

  it('searches with the CLI filters and links each snippet to the post at its capture', async () => {
    const page = await open('search');
    await page.fill('input[name=q]', '"peace plan"');
    await page.fill('input[name=publisher]', 'cnn');
    await page.getByRole('button', { name: 'Search' }).click();
    const hits = page.locator('li.hit');
    expect(await hits.count()).toBeGreaterThan(2);
    expect(await hits.first().locator('mark').first().textContent()).toMatch(/^peace plan$/i);
    await screenshot(page, 'search');
    await hits.first().locator('a').first().click();
    const target = new URL(page.url());
    expect(target.pathname).toBe(`/${pagePath(CNN)}`);
    expect(target.hash).toMatch(/^#post-h_/);
    expect(await page.locator(`${target.hash} h2`).count()).toBe(1);
    // A bad query is a message, not a crash.
    const bad = await noJs.newPage();
    const r = await bad.goto(`${server.url}search?q=${encodeURIComponent('"unclosed')}`);
    expect(r?.status()).toBe(400);
    expect(await bad.locator('.error').textContent()).toContain('malformed search query');
    await page.close();
    await bad.close();
  });

  it('offers the view as JSON and CSV through the export writers', async () => {
    const page = await open(`${pagePath(CNN)}?at=${A}`);
    const json = await page.request.get(await page.getByRole('link', { name: 'JSON' }).getAttribute('href').then((h) => new URL(h!, page.url()).href));
    const doc = await json.json() as { format: string; pages: Array<{ url: string; snapshots: unknown[]; posts: Array<{ id: string }> }> };
    expect(doc.format).toBe('livearchive/1');
    expect(doc.pages[0]!.url).toBe(CNN);
    expect(doc.pages[0]!.snapshots).toHaveLength(1);
    expect(doc.pages[0]!.posts).toHaveLength(11);
    const csv = await page.request.get(new URL(await page.getByRole('link', { name: 'CSV' }).getAttribute('href') ?? '', page.url()).href);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\r\n').filter(Boolean)).toHaveLength(12);
    await page.close();
  });

  it('never runs what a tampered archive holds: javascript: links, handlers, markup in titles', async () => {
    const page = await open(`${pagePath(CNN)}?at=${B}`, withJs, evil.url);
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
    const title = await page.title();
    expect(title).toContain("<script>document.title='pwned'</script>Tampered <b>title</b>");
    expect(await page.locator('header.page h1').textContent()).toBe("<script>document.title='pwned'</script>Tampered <b>title</b>");
    const trap = page.locator(`#post-${NEWEST} .body a`, { hasText: 'the trap' });
    expect(await trap.count()).toBe(1);
    expect(await trap.getAttribute('href')).toBeNull();
    await trap.click();
    await page.locator(`#post-${NEWEST} .body a`, { hasText: 'another' }).click();
    expect(await page.locator(`#post-${NEWEST} .body img`).count()).toBe(0);
    expect(await page.locator('li.media a[href^="javascript" i]').count()).toBe(0);
    // And were one to slip through, the Content-Security-Policy forbids inline script outright.
    await page.addScriptTag({ content: "document.title = 'pwned'" }).catch(() => undefined);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    expect(await page.title()).toBe(title);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(dialogs).toBe(0);
    await screenshot(page, 'tampered-archive');
    await page.close();
  });
});

import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { cutToWidth, cutUrl, tableLines } from '../../src/cli/table.js';
import { cli, CORPUS, SEEDS, tempDir } from '../helpers.js';

const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
const ESC = '\u001b[';
let db = '';

beforeAll(async () => {
  db = join(tempDir(), 'x.db');
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--captured-at', '2025-11-25T12:05:00Z', '--db', db]);
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-B.html'), '--captured-at', '2025-11-25T15:10:00Z', '--db', db]);
});

const widths = (text: string): number[] => text.trimEnd().split('\n').map((l) => stringWidth(l));

describe('tables on a terminal', () => {
  it('fit its width: posts on 80 columns, with contributors only when there is room', async () => {
    const narrow = await cli(['posts', PAGE, '--db', db], { tty: true, columns: 80 });
    expect(Math.max(...widths(narrow.stdout))).toBeLessThanOrEqual(80);
    // The id and time whole (they are what people use), the headline cut; the rest waits for room.
    expect(narrow.stdout.split('\n')[0]).toMatch(/^time\s+id\s+headline$/);
    expect(narrow.stdout).toContain('2025-11-25T15:02:14.482Z  h_18d305b3151eda04c96c7eff30cfa409  Watch: Kyiv');
    expect(narrow.stdout.trimEnd().split('\n').at(-1)).toBe('(not shown at this width: version, state, media, contributors; --json has every…');
    const mid = await cli(['posts', PAGE, '--db', db], { tty: true, columns: 120 });
    expect(mid.stdout.split('\n')[0]).toMatch(/^time\s+id\s+version\s+state\s+media\s+headline$/);
    const wide = await cli(['posts', PAGE, '--db', db], { tty: true, columns: 200 });
    expect(Math.max(...widths(wide.stdout))).toBeLessThanOrEqual(200);
    expect(wide.stdout.split('\n')[0]).toMatch(/^time\s+id\s+version\s+state\s+media\s+contributors\s+headline$/);
    expect(wide.stdout).toContain('Kara Fox');
    expect(wide.stdout).not.toContain('not shown');
  });

  it('keep the post id whole in search on 80 columns, as posts does: history takes it; headline and snippet are cut instead', async () => {
    for (const columns of [80, 60]) {
      const r = await cli(['search', 'Moldova', '--db', db], { tty: true, columns });
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^time\s+id\s+headline\s+snippet$/);
      expect(lines[2]).toMatch(columns === 80 ? /^2025-11-25 12:27  h_7a5e5f6e317e48ef791a17a18a51eb7d  Moldova.*…  \S.*…$/ : /^\S+  h_7a5e5f6e317e48ef791a17a18a51eb7d  Moldova.*…  \S.*…$/);
      expect(lines.at(-1)).toMatch(/^\(not shown at this width: rank, version/);
      if (columns === 80) expect(Math.max(...widths(r.stdout))).toBeLessThanOrEqual(80);
    }
    const wide = await cli(['search', 'Moldova', '--db', db], { tty: true, columns: 160 });
    expect(wide.stdout.split('\n')[0]).toMatch(/^rank\s+time\s+id\s+version\s+headline\s+snippet$/);
  });

  it('cut URLs last, in the middle, keeping the host and the end', async () => {
    const pages = await cli(['pages', '--db', db], { tty: true, columns: 80 });
    expect(Math.max(...widths(pages.stdout))).toBeLessThanOrEqual(80);
    const row = pages.stdout.split('\n')[2]!;
    expect(row).toMatch(/^2025-11-25 15:10  19 +CNN +https:\/\/www\.cnn\.com\/\S*…\S*index\.html$/);
    // Wide enough, the URL is whole.
    expect((await cli(['pages', '--db', db], { tty: true, columns: 200 })).stdout).toContain(PAGE);
  });

  it('measure display width (CJK and emoji are two columns) and never split a grapheme', () => {
    const rows = [
      { id: 'a', text: '東京で地震が発生しました', n: 1 },
      { id: 'bb', text: '👩‍👩‍👧 family 🇺🇦 flag', n: 22 },
      { id: 'c', text: 'plain', n: 333 },
    ];
    const lines = [...tableLines(rows, ['id', 'text', 'n'])];
    const at = (line: string): number => stringWidth(line.slice(0, line.lastIndexOf(' ') + 1));
    expect(new Set(lines.map(at)).size).toBe(1);
    expect(cutToWidth('東京で地震が発生しました', 9)).toBe('東京で地…');
    expect(stringWidth(cutToWidth('東京で地震が発生しました', 9))).toBeLessThanOrEqual(9);
    for (let w = 2; w < 20; w++) {
      const cut = cutToWidth('👩‍👩‍👧 family 🇺🇦 flag 👍🏽', w);
      expect(stringWidth(cut), cut).toBeLessThanOrEqual(w);
      expect(cut).not.toMatch(/\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|‍…/);
    }
    expect(cutUrl('https://www.example.com/a/very/long/path/to/the/page/index.html', 40)).toBe('https://www.example.com/…page/index.html');
    expect(cutUrl('https://www.example.com/a/very/long/path/to/the/page/index.html', 60)).toBe('https://www.example.com/a/very/lo…ath/to/the/page/index.html');
  });
});

describe('progress on a terminal', () => {
  it('shows a bar counting the files inside directories, and only the lines remain', async () => {
    const dir = join(tempDir(), 'captures');
    mkdirSync(join(dir, 'more'), { recursive: true });
    cpSync(join(SEEDS, 'cnn-live-2025-11-25-A.html'), join(dir, 'a.html'));
    cpSync(join(CORPUS, 'corkbeo/live-2020-10-06-level-3-cork.html'), join(dir, 'more/cork.html'));
    const page = join(CORPUS, 'guardian/live-2023-05-15-russia-ukraine-war.html.gz');
    const r = await cli(['ingest', dir, page, '--db', join(tempDir(), 'p.db')], { tty: true, ttyErr: true, columns: 100 });
    expect(r.code).toBe(0);
    // Two sources on the command line, three files.
    expect(r.stderr).toContain('1/3 sources');
    expect(r.stderr).toContain('3/3 sources');
    expect(r.stdout.trim().split('\n')).toHaveLength(4);
    expect(r.stdout).toContain('3 sources: 3 new, 0 unchanged, 0 failed');
  });

  it('is quiet when stderr is not a terminal, or with --quiet', async () => {
    const sources = [join(SEEDS, 'cnn-live-2025-11-25-A.html'), join(SEEDS, 'cnn-live-2025-11-25-B.html')];
    expect((await cli(['ingest', ...sources, '--db', join(tempDir(), 'q.db')], { tty: true })).stderr).toBe('');
    expect(await cli(['ingest', ...sources, '--quiet', '--db', join(tempDir(), 'q.db')], { tty: true, ttyErr: true })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('counts the posts of an export to a file, and the pages of a reparse', async () => {
    const out = join(tempDir(), 'all.json');
    const r = await cli(['export', '--out', out, '--db', db], { ttyErr: true, columns: 100 });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('19/19 posts');
    const copy = join(tempDir(), 'two.db');
    await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), join(CORPUS, 'corkbeo/live-2020-10-06-level-3-cork.html'), '--db', copy]);
    const re = await cli(['reparse', '--db', copy], { tty: true, ttyErr: true, columns: 100 });
    expect(re.stderr).toContain('2/2 pages');
    expect(re.stdout.trim().split('\n')).toHaveLength(2);
  });
});

describe('colour', () => {
  it('marks new, edited and removed in diff on a terminal, and is off with NO_COLOR, --no-color or a pipe', async () => {
    const tty = await cli(['diff', PAGE, '--db', db], { tty: true });
    expect(tty.stdout).toContain(`${ESC}32madded`);
    expect(tty.stdout).toContain(`${ESC}33medited`);
    expect(tty.stdout).toContain(`${ESC}31m[-six-]`);
    expect(tty.stdout).toContain(`${ESC}32m{+seven+}`);
    for (const plain of [
      await cli(['diff', PAGE, '--db', db], { tty: true, env: { NO_COLOR: '1' } }),
      await cli(['diff', PAGE, '--db', db, '--no-color'], { tty: true }),
      await cli(['diff', PAGE, '--db', db, '--format', 'table']),
    ]) {
      expect(plain.stdout).not.toContain(ESC);
      expect(plain.stdout).toContain('headline: Death toll in Ukraine climbs to [-six-]{+seven+}');
    }
  });
});

describe('sql -', () => {
  it('reads the query from stdin', async () => {
    const r = await cli(['sql', '-', '--db', db, '--json'], { stdin: 'SELECT COUNT(*) AS n\nFROM latest_posts\n' });
    expect(r).toEqual({ code: 0, stdout: '[\n{"n":19}\n]\n', stderr: '' });
    expect(await cli(['sql', '-', '--db', db], { stdin: '  \n' })).toEqual({ code: 2, stdout: '', stderr: 'livearchive: sql -: no query on stdin\n' });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/store/archive.js';
import { cli, ROOT, SEEDS, tempDir } from '../helpers.js';

const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';
const schema = JSON.parse(readFileSync(join(ROOT, 'src/export/export.schema.json'), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true });
const validate = ajv.compile(schema);
const validatePost = ajv.compile({ $ref: `${(schema as { $id: string }).$id}#/$defs/post` });

let db = '';
beforeAll(async () => {
  db = join(tempDir(), 'x.db');
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--captured-at', '2025-11-25T12:05:00Z', '--db', db]);
  await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-B.html'), '--captured-at', '2025-11-25T15:10:00Z', '--db', db]);
});

describe('pages', () => {
  it('lists pages as JSON when piped', async () => {
    const r = await cli(['pages', '--db', db]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{
      url: PAGE, publisher: 'CNN', kind: 'liveblog',
      title: 'Live updates: Ukraine agrees to peace proposal according to US official | CNN',
      snapshots: 2, posts: 19, removed: 0,
      firstCapture: '2025-11-25T12:05:00.000Z', lastCapture: '2025-11-25T15:10:00.000Z',
    }]);
  });

  it('shows a table on a terminal, and NDJSON or CSV on request', async () => {
    const table = await cli(['pages', '--db', db], { tty: true });
    expect(table.stdout.split('\n')[0]).toMatch(/^lastCapture\s+kind\s+snapshots\s+posts\s+removed\s+publisher\s+url$/);
    expect(table.stdout).toContain('2025-11-25T15:10:00.000Z  liveblog  2          19     0        CNN');
    const nl = await cli(['pages', '--db', db, '--nl']);
    expect(nl.stdout.trim().split('\n').map((l) => JSON.parse(l).url)).toEqual([PAGE]);
    const csv = await cli(['pages', '--db', db, '--csv']);
    expect(csv.stdout.split('\r\n')[0]).toBe('url,publisher,kind,title,snapshots,posts,removed,firstCapture,lastCapture');
  });

  it('says clearly when there is no archive yet', async () => {
    const missing = join(tempDir(), 'none.db');
    const r = await cli(['pages', '--db', missing]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `livearchive: ${missing}: no archive here yet (ingest a page first, or pass --db)\n` });
  });

  it('refuses conflicting output flags', async () => {
    const r = await cli(['pages', '--db', db, '--json', '--csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('livearchive: choose one output format (got json, csv)\n');
  });
});

describe('posts', () => {
  it("lists a page's latest posts newest first", async () => {
    const r = await cli(['posts', PAGE, '--db', db]);
    expect(r.code).toBe(0);
    const posts = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(posts).toHaveLength(19);
    expect(posts[0]).toMatchObject({ id: 'h_18d305b3151eda04c96c7eff30cfa409', versionCount: 1, removedAt: null });
    const times = posts.map((p) => (p['updatedAt'] ?? p['publishedAt']) as string);
    expect([...times].sort().reverse()).toEqual(times);
    for (const p of posts) expect(validatePost(p), JSON.stringify(validatePost.errors)).toBe(true);
  });

  it('accepts the page URL with a fragment, and names an unknown page', async () => {
    expect((await cli(['posts', `${PAGE}#h_x`, '--db', db])).code).toBe(0);
    const r = await cli(['posts', 'https://example.com/nothing', '--db', db]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'livearchive: https://example.com/nothing: no such page in the archive (see `livearchive pages`)\n' });
  });
});

describe('export', () => {
  it('writes a livearchive/1 document that validates against the JSON Schema', async () => {
    const r = await cli(['export', '--db', db]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { format: string; pages: Array<{ snapshots: unknown[]; posts: Array<Record<string, unknown>> }> };
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.format).toBe('livearchive/1');
    expect(doc.pages[0]!.snapshots).toHaveLength(2);
    expect(doc.pages[0]!.posts).toHaveLength(19);
    expect(doc.pages[0]!.posts.find((p) => p['id'] === 'h_d3b16248467405f5dce291b46d0b5350')!['contributors']).toEqual([
      { name: 'Svitlana Vlasova', role: 'contributor' }, { name: 'Catherine Nicholls', role: 'contributor' }, { name: 'Kara Fox', role: 'contributor' },
    ]);
  });

  it('--history includes every version with the snapshots it was seen in', async () => {
    const r = await cli(['export', '--db', db, '--history', '--page', PAGE]);
    const doc = JSON.parse(r.stdout) as { pages: Array<{ posts: Array<{ id: string; versions: Array<{ version: number; headline: string; snapshots: string[] }> }> }> };
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const edited = doc.pages[0]!.posts.find((p) => p.id === 'h_01aee11ad206d3f1fe2af23da8cbf9af')!;
    expect(edited.versions.map((v) => [v.version, v.headline.includes('six') ? 'six' : 'seven', v.snapshots])).toEqual([
      [1, 'six', ['2025-11-25T12:05:00.000Z']],
      [2, 'seven', ['2025-11-25T15:10:00.000Z']],
    ]);
    expect((edited.versions[1] as unknown as { sightings: unknown[] }).sightings).toEqual([
      { snapshotId: 2, capturedAt: '2025-11-25T15:10:00.000Z', position: 3, pinned: false, displayTime: '8:56 a.m. ET, November 25, 2025' },
    ]);
  });

  it('writes NDJSON: one post per line, each naming its page', async () => {
    const r = await cli(['export', '--db', db, '--format', 'ndjson']);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(19);
    for (const l of lines) {
      expect(l['page']).toBe(PAGE);
      expect(validatePost(l), JSON.stringify(validatePost.errors)).toBe(true);
    }
  });

  it('--out writes the file only once it is complete', async () => {
    const out = join(tempDir(), 'archive.json');
    const r = await cli(['export', '--db', db, '--out', out]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(validate(JSON.parse(readFileSync(out, 'utf8')))).toBe(true);
  });

  it('an empty archive exports an empty, valid document', async () => {
    const empty = join(tempDir(), 'e.db');
    // Created by the library: a command that archives nothing leaves no archive behind.
    await (await openArchive(empty)).close();
    const r = await cli(['export', '--db', empty]);
    const doc = JSON.parse(r.stdout) as { pages: unknown[] };
    expect(doc.pages).toEqual([]);
    expect(validate(doc)).toBe(true);
    expect((await cli(['pages', '--db', empty])).stdout).toBe('[]\n');
  });
});

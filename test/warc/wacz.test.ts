import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, CORPUS, tempDir } from '../helpers.js';
import { A, B, nextSecond, PAGE, pythonServer, serve, wget, type PythonServer } from './producers.js';

/**
 * A WACZ as WACZ 1.1.1 lays it out, built with Python's zipfile: the WARCs stored (not
 * compressed again) under archive/, pages/pages.jsonl, datapackage.json with each file's
 * SHA-256 and size, and datapackage-digest.json.
 */
const BUILD_WACZ = `
import hashlib, json, os, sys, zipfile
out, warcs = sys.argv[1], sys.argv[2:]
files = {}
for w in warcs:
    files['archive/' + os.path.basename(w)] = open(w, 'rb').read()
files['pages/pages.jsonl'] = (json.dumps({'format': 'json-pages-1.0', 'id': 'pages', 'title': 'All Pages'}) + '\\n'
    + json.dumps({'id': '1', 'url': '${PAGE}', 'ts': '2025-11-25T12:05:00Z', 'title': 'Live updates'}) + '\\n').encode()
package = {'profile': 'data-package', 'wacz_version': '1.1.1', 'title': 'test', 'created': '2025-11-26T00:00:00Z', 'software': 'test',
    'resources': [{'name': os.path.basename(p), 'path': p, 'hash': 'sha256:' + hashlib.sha256(b).hexdigest(), 'bytes': len(b)} for p, b in files.items()]}
files['datapackage.json'] = json.dumps(package, indent=2).encode()
files['datapackage-digest.json'] = json.dumps({'path': 'datapackage.json', 'hash': 'sha256:' + hashlib.sha256(files['datapackage.json']).hexdigest()}).encode()
with zipfile.ZipFile(out, 'w') as z:
    for p, b in files.items():
        z.writestr(zipfile.ZipInfo(p, (2025, 11, 26, 0, 0, 0)), b, zipfile.ZIP_STORED if p.startswith('archive/') else zipfile.ZIP_DEFLATED)
`;

let server: PythonServer;
let dir: string;
let wacz: string;
let warcA: string;

function count(db: string, sql: string): unknown[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all();
  } finally {
    d.close();
  }
}

beforeAll(async () => {
  server = await pythonServer();
  dir = tempDir();
  serve(server, 'live/index.html', A);
  warcA = await wget(dir, 'a', [server.url('/live/index.html')]);
  await nextSecond();
  serve(server, 'live/index.html', B);
  const warcB = await wget(dir, 'b', [server.url('/live/index.html')], ['--no-warc-compression']);
  wacz = join(dir, 'crawl.wacz');
  execFileSync('python3', ['-c', BUILD_WACZ, wacz, warcA, warcB]);
}, 60_000);

afterAll(async () => {
  await server.close();
});

describe('WACZ', () => {
  it('reads the WARCs inside in place: both captures, in order, with the entry in their provenance', async () => {
    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', wacz, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${wacz}!archive/a\\.warc\\.gz#\\d+: new snapshot of ${PAGE} .*: 11 posts \\(11 new, 0 edited, 0 removed\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^${wacz}!archive/b\\.warc#\\d+: new snapshot of ${PAGE} .*: 19 posts \\(8 new, 1 edited, 0 removed\\)$`));
    expect(lines[2]).toBe(`${wacz}: 10 records: 2 captures, 0 revisits, 8 skipped`);
    const provenance = count(db, 'SELECT provenance FROM snapshots ORDER BY captured_at').map((r) => JSON.parse((r as { provenance: string }).provenance).warc);
    expect(provenance.map((p) => [p.file, p.entry])).toEqual([[wacz, 'archive/a.warc.gz'], [wacz, 'archive/b.warc']]);
  });

  it('reads a WACZ from stdin', async () => {
    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', '-', '--db', db], { stdin: readFileSync(wacz) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('-: 10 records: 2 captures, 0 revisits, 8 skipped');
  });

  it('a ZIP that is not a WACZ is not a page either', async () => {
    const zip = join(tempDir(), 'other.zip');
    execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.writestr("notes.txt", "hello"); z.close()', zip]);
    const r = await cli(['ingest', zip, '--db', join(tempDir(), 'x.db')]);
    expect(r).toMatchObject({ code: 1, stderr: `livearchive: ${zip}: not an HTML page (looks like a ZIP archive)\n` });
  });
});

describe('directory ingest (issue 8): nothing skipped silently, any file name', () => {
  it('takes WARC, WACZ and page data, counts what it skips and why, and reads names that are not UTF-8', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'crawl'));
    copyFileSync(warcA, join(root, 'crawl', 'a.warc.gz'));
    copyFileSync(wacz, join(root, 'crawl.wacz'));
    copyFileSync(join(CORPUS, 'guardian/dcr-live-2023-12-13-pmqs.json'), join(root, 'pmqs.json'));
    writeFileSync(join(root, 'settings.json'), '{"theme": "dark"}');
    writeFileSync(join(root, 'script.js'), 'console.log(1)');
    writeFileSync(join(root, 'photo.png'), '\x89PNG');
    writeFileSync(join(root, 'notes.txt'), 'notes');
    // "café.html" written in Latin-1: the name's bytes are not valid UTF-8.
    const latin1 = Buffer.concat([Buffer.from(root + '/'), Buffer.from('caf\xe9.html', 'latin1')]);
    writeFileSync(latin1, readFileSync(B));

    const db = join(tempDir(), 'x.db');
    const r = await cli(['ingest', root, '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => /: new snapshot of |: unchanged /.test(l))).toHaveLength(5);
    expect(lines).toContain(`${root}/caf\uFFFD.html: new snapshot of ${PAGE} [live blog; cnn-live@2023-01] captured ${lines.find((l) => l.startsWith(`${root}/caf`))!.match(/captured (\S+)/)![1]} (file time): 19 posts (19 new, 0 edited, 0 removed)`);
    expect(lines.at(-1)).toBe('5 sources: 4 new, 1 unchanged, 0 failed; 4 skipped: 3 not a page, 1 not page data');
    expect(count(db, `SELECT adapter_id FROM snapshots WHERE source LIKE '%pmqs.json'`)).toEqual([{ adapter_id: 'guardian-live-data' }]);

    // The same file named directly, as a shell passes it (Node reads the bad byte as U+FFFD).
    const alone = await cli(['ingest', `${root}/caf\uFFFD.html`, '--db', join(tempDir(), 'y.db')]);
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stdout).toContain('19 posts (19 new, 0 edited, 0 removed)');
  });
});

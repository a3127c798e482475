import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WARCRecord, WARCSerializer } from 'warcio';
import { cli, dbRow, SEEDS, tempDir } from '../helpers.js';
import { HARBOUR, harbourPage, htmlResponse } from './invented.js';

/** Two captures of the page, an hour apart: the second shows one post more. */
async function twoResponses(gzip = false): Promise<[Buffer, Buffer]> {
  return [
    await htmlResponse(HARBOUR, '2025-03-10T12:05:00Z', harbourPage([3, 2, 1]), gzip),
    await htmlResponse(HARBOUR, '2025-03-10T13:05:00Z', harbourPage([4, 3, 2, 1]), gzip),
  ];
}

async function ingest(bytes: Buffer, name: string): Promise<{ file: string; db: string; code: number; stdout: string; stderr: string }> {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const db = join(dir, 'x.db');
  return { file, db, ...(await cli(['ingest', file, '--db', db])) };
}

const snapshots = (db: string): number => dbRow<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM snapshots').n;

describe('damage right after a capture: the capture before it is archived', () => {
  it('two responses back to back, the second cut short', async () => {
    const [first, second] = await twoResponses();
    const r = await ingest(Buffer.concat([first, second.subarray(0, second.length - 100)]), 'cut.warc');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`livearchive: ${r.file}: truncated record (the file ends before its Content-Length) at offset ${first.length} (the 1 record before it was read)\n`);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${r.file}#0: new snapshot of ${HARBOUR} [live blog; generic@1] captured 2025-03-10T12:05:00.000Z (WARC-Date): 3 posts (3 new, 0 edited, 0 removed)`,
      `${r.file}: 1 record: 1 capture, 0 revisits, 0 skipped (reading stopped at the damage)`,
      '2 sources: 1 new, 0 unchanged, 1 failed',
    ]);
    expect(snapshots(r.db)).toBe(1);
  });

  it('the second with a Content-Length that does not end at its end', async () => {
    const [first, second] = await twoResponses();
    const text = second.toString('latin1');
    const length = Number(/^Content-Length: (\d+)\r$/m.exec(text)![1]);
    const wrong = Buffer.from(text.replace(`Content-Length: ${length}\r\n`, `Content-Length: ${length - 7}\r\n`), 'latin1');
    const r = await ingest(Buffer.concat([first, wrong]), 'wrong.warc');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^livearchive: ${r.file}: record whose Content-Length does not match its content at offset ${first.length} `));
    expect(snapshots(r.db)).toBe(1);
  });

  it('the second a gzip member that does not inflate', async () => {
    const [first, second] = await twoResponses(true);
    const broken = Buffer.from(second);
    for (let i = 40; i < 90; i++) broken[i] = broken[i]! ^ 0x5a;
    const r = await ingest(Buffer.concat([first, broken]), 'broken.warc.gz');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^livearchive: ${r.file}: corrupt gzip member at offset ${first.length} `));
    expect(snapshots(r.db)).toBe(1);
  });

  it('a record that is not a page, cut short: the reading ends (warcio would skip it forever)', async () => {
    const [first] = await twoResponses();
    const request = Buffer.from(await WARCSerializer.serialize(WARCRecord.create({
      url: HARBOUR, date: '2025-03-10T12:05:00Z', type: 'request', warcVersion: 'WARC/1.1', statusline: 'GET /live/harbour HTTP/1.1', httpHeaders: { Host: 'news.example' },
    }, [new TextEncoder().encode('a request body that the file ends in the middle of')]), {}));
    const r = await ingest(Buffer.concat([first, request.subarray(0, request.length - 30)]), 'cut-request.warc');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`livearchive: ${r.file}: truncated record (the file ends before its Content-Length) at offset ${first.length} (the 1 record before it was read)\n`);
    expect(snapshots(r.db)).toBe(1);
  }, 10_000);

  it('the last record whole: both archived, exit 0 (the control)', async () => {
    const [first, second] = await twoResponses();
    const r = await ingest(Buffer.concat([first, second]), 'whole.warc');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(snapshots(r.db)).toBe(2);
  });
});

describe('a WARC file cut short inside a gzip member', () => {
  it('a page whose member is cut before pako hands on a byte of it is damage, not the end of the file', async () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect((await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-A.html'), '--captured-at', '2025-11-25T12:05:00Z', '--db', db])).code).toBe(0);
    expect((await cli(['ingest', join(SEEDS, 'cnn-live-2025-11-25-B.html'), '--captured-at', '2025-11-25T15:10:00Z', '--db', db])).code).toBe(0);
    const warc = join(dir, 'a.warc.gz');
    expect((await cli(['export', '--format', 'warc', '--out', warc, '--db', db])).code).toBe(0);
    // 30000 bytes end a few KB into the second page's member: its first 64 KiB are not inflated yet.
    const r = await ingest(readFileSync(warc).subarray(0, 30_000), 'trunc.warc.gz');
    expect(r.code).toBe(1);
    const offset = Number(/^livearchive: .*: truncated record \(the file ends before its Content-Length\) at offset (\d+) \(the 2 records before it were read\)\n$/.exec(r.stderr)?.[1]);
    // The offset is where the second page's gzip member starts.
    const cut = readFileSync(r.file);
    expect([cut[offset], cut[offset + 1]]).toEqual([0x1f, 0x8b]);
    expect(r.stdout).toContain('captured 2025-11-25T12:05:00.000Z (WARC-Date): 11 posts');
    expect(r.stdout).toContain(`${r.file}: 2 records: 1 capture, 0 revisits, 1 skipped (reading stopped at the damage)`);
    expect(snapshots(r.db)).toBe(1);
  });
});

describe('stray bytes between records: damage, reported like any other', () => {
  const warned = vi.spyOn(console, 'warn');
  afterEach(() => warned.mockClear());

  it('a line that is no record between two whole records (plain WARC)', async () => {
    const [first, second] = await twoResponses();
    const r = await ingest(Buffer.concat([first, Buffer.from('left over from an editor\r\n'), second]), 'stray.warc');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`livearchive: ${r.file}: stray data where a record should start (the record before it may have too small a Content-Length, or the data is damaged) at offset ${first.length} (the 1 record before it was read)\n`);
    expect(r.stdout).toContain(`${r.file}: 1 record: 1 capture, 0 revisits, 0 skipped (reading stopped at the damage)`);
    expect(snapshots(r.db)).toBe(1);
    // Said through livearchive's own output, not by warcio on the process's stderr.
    expect(warned).not.toHaveBeenCalled();
  });

  it('stray bytes inside the gzip member of a record', async () => {
    const [first, second] = await twoResponses(false);
    const member = gzipSync(Buffer.concat([first, Buffer.from('junk\r\n')]));
    const r = await ingest(Buffer.concat([member, gzipSync(second)]), 'stray.warc.gz');
    expect(r.code).toBe(1);
    // Inside a member no compressed offset names the stray bytes: the reading stopped at the end of that member.
    expect(r.stderr).toMatch(new RegExp(`^livearchive: ${r.file}: stray data where a record should start .* at offset ${member.length} \\(the 1 record before it was read\\)\\n$`));
    expect(snapshots(r.db)).toBe(1);
    expect(warned).not.toHaveBeenCalled();
  });

  it('blank lines between records are no damage', async () => {
    const [first, second] = await twoResponses();
    const r = await ingest(Buffer.concat([first, Buffer.from('\r\n\r\n\n'), second]), 'blank.warc');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${r.file}#${first.length + 5}: new snapshot`);
    expect(snapshots(r.db)).toBe(2);
  });
});

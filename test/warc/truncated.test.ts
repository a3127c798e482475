import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WARCRecord, WARCSerializer } from 'warcio';
import { readWarc, type WarcItem } from '../../src/acquire/warc.js';
import { HARBOUR, harbourPage, htmlResponse } from './invented.js';

/**
 * A WARC cut at any point: every record that ends before the cut is read, and unless the cut falls
 * between two records (two gzip members), the reading stops with damage named at the offset of
 * the record (or member) the cut falls in. Never a clean end that loses a record begun in the file.
 */

/** Four records: a request (skipped), two small pages and, between them, a page past pako's 64 KiB output buffer. */
async function records(gzip: boolean): Promise<Buffer[]> {
  const request = Buffer.from(await WARCSerializer.serialize(WARCRecord.create({
    url: HARBOUR, date: '2025-03-10T12:04:59Z', type: 'request', warcVersion: 'WARC/1.1', statusline: 'GET /live/harbour HTTP/1.1', httpHeaders: { Host: 'news.example' },
  }), { gzip }));
  const many = Array.from({ length: 500 }, (_, i) => 500 - i);
  return [
    request,
    await htmlResponse(HARBOUR, '2025-03-10T12:05:00Z', harbourPage([3, 2, 1]), gzip),
    await htmlResponse(HARBOUR, '2025-03-10T13:05:00Z', harbourPage(many), gzip),
    await htmlResponse(HARBOUR, '2025-03-10T14:05:00Z', harbourPage([4, 3, 2, 1]), gzip),
  ];
}

/** Where each record ends: cumulative lengths. */
function ends(parts: Buffer[]): number[] {
  let at = 0;
  return parts.map((p) => (at += p.length));
}

async function read(bytes: Buffer): Promise<{ items: WarcItem[]; error: string | null }> {
  const items: WarcItem[] = [];
  // Chunks of 1000 bytes, so that records and members straddle the chunks as they do in a file.
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < bytes.length; i += 1000) yield bytes.subarray(i, i + 1000);
  }
  try {
    for await (const item of readWarc(chunks(), { name: 'cut.warc', file: '/cut.warc' })) items.push(item);
    return { items, error: null };
  } catch (err) {
    return { items, error: (err as Error).message };
  }
}

/** Every step-th cut, and the cuts around each record's end. */
function cuts(total: number, boundaries: number[], step: number): number[] {
  const at = new Set<number>();
  for (let c = 1; c < total; c += step) at.add(c);
  for (const b of boundaries) for (let d = -10; d <= 10; d++) if (b + d > 0 && b + d < total) at.add(b + d);
  return [...at].sort((a, b) => a - b);
}

/** How many bytes zlib inflates of a gzip member cut short. */
function inflated(member: Buffer): number {
  return member.length < 10 ? 0 : gunzipSync(member, { finishFlush: constants.Z_SYNC_FLUSH }).length;
}

const starts = (boundaries: number[]): number[] => [0, ...boundaries];

describe('a WARC cut short, at every point', () => {
  it('plain: the records before the cut are read, and the record cut is named', async () => {
    const parts = await records(false);
    const file = Buffer.concat(parts);
    const boundaries = ends(parts);
    let cutInside = 0;
    for (const c of cuts(file.length, boundaries, 97)) {
      const whole = boundaries.filter((b) => b <= c).length;
      const r = await read(file.subarray(0, c));
      expect(r.items.length, `cut at ${c}`).toBe(whole);
      if (boundaries.includes(c)) {
        expect(r.error, `cut at ${c}`).toBeNull();
      } else {
        cutInside++;
        expect(r.error, `cut at ${c}`).toMatch(new RegExp(` at offset ${starts(boundaries)[whole]}\\b`));
      }
    }
    expect(cutInside).toBeGreaterThan(100);
  }, 60_000);

  it('one gzip member per record: a member cut short is damage at its offset, even before a byte of it inflates', async () => {
    const parts = await records(true);
    const file = Buffer.concat(parts);
    const boundaries = ends(parts);
    for (const c of cuts(file.length, boundaries, 7)) {
      const whole = boundaries.filter((b) => b <= c).length;
      const r = await read(file.subarray(0, c));
      if (boundaries.includes(c)) {
        expect(r.error, `cut at ${c}`).toBeNull();
        expect(r.items.length, `cut at ${c}`).toBe(whole);
      } else {
        expect(r.error, `cut at ${c}`).toMatch(new RegExp(`^(truncated record|gzip member cut short).* at offset ${starts(boundaries)[whole]}\\b`));
        // Cut at the member's end (its trailer, CRC32 and length), the record in it inflated whole: it is read too.
        const inflatedWhole = inflated(parts[whole]!.subarray(0, c - starts(boundaries)[whole]!)) === gunzipSync(parts[whole]!).length;
        expect(r.items.length, `cut at ${c}`).toBe(inflatedWhole ? whole + 1 : whole);
        if (inflatedWhole) expect(r.error, `cut at ${c}`).toBe(`gzip member cut short (the file ends before the member does) at offset ${starts(boundaries)[whole]} (${whole === 0 ? 'the 1 record before the cut was read' : `the ${whole + 1} records before the cut were read`})`);
      }
    }
  }, 60_000);

  it('one gzip member for all: every record inflated whole before the cut is read, then the member is damage', async () => {
    const plain = Buffer.concat(await records(false));
    const boundaries = ends(await records(false));
    const file = gzipSync(plain);
    for (const c of cuts(file.length, [], 7)) {
      const whole = boundaries.filter((b) => b <= inflated(file.subarray(0, c))).length;
      const r = await read(file.subarray(0, c));
      expect(r.error, `cut at ${c}`).toMatch(/^(truncated record|gzip member cut short).* at offset 0\b/);
      expect(r.items.length, `cut at ${c}`).toBe(whole);
    }
    expect((await read(file)).error).toBeNull();
    expect((await read(file)).items).toHaveLength(4);
  }, 60_000);
});

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Fetcher, type Clock } from '../../src/acquire/http.js';
import { rebuildFromArchive, type RebuildEvent, type RebuildOptions } from '../../src/rebuild.js';
import { openArchive } from '../../src/store/archive.js';
import { tempDir } from '../helpers.js';
import { archiveServer, type ArchiveServer, type Held } from './archive-server.js';
import { HARBOUR, harbourPage } from './invented.js';

/**
 * A library caller's Fetcher may allow several requests at a time and no pause: rebuilding from a
 * web archive still asks it one request at a time, at least a second apart. Time is a virtual
 * clock the Fetcher waits by and the archive stamps requests with: nothing here is timed.
 */
function virtualClock(): Clock {
  let t = 1_000_000;
  return { now: () => t, sleep: async (ms) => { t += ms; } };
}

const held: Held[] = [12, 13, 14].map((h, i) => ({
  timestamp: `20250310${h}0500`, original: HARBOUR, status: 200, mime: 'text/html', body: Buffer.from(harbourPage([4 + i, 3, 2, 1])),
}));

let server: ArchiveServer | undefined;
afterEach(async () => server?.close());

async function rebuild(fetcher: Fetcher, source: (s: ArchiveServer) => RebuildOptions['source']): Promise<RebuildEvent[]> {
  const archive = await openArchive(join(tempDir(), 'x.db'));
  const events: RebuildEvent[] = [];
  try {
    for await (const e of rebuildFromArchive(archive, { fetcher, source: source(server!) })) events.push(e);
  } finally {
    await archive.close();
  }
  return events;
}

const cdx = (s: ArchiveServer): RebuildOptions['source'] => ({ cdx: { url: HARBOUR, endpoint: `${s.base}/cdx/search/cdx`, replayBase: `${s.base}/web/` } });
const timemap = (s: ArchiveServer): RebuildOptions['source'] => ({ timemap: `${s.base}/web/timemap/link/${HARBOUR}` });

/** Time between one request to the archive and the next, by the virtual clock. */
function gaps(s: ArchiveServer): number[] {
  return s.requests.slice(1).map((q, i) => q.at - s.requests[i]!.at);
}

describe('rebuildFromArchive keeps to the archive limits itself', () => {
  it('a Fetcher allowing 4 requests at a time and no pause: one at a time, a second apart', async () => {
    const clock = virtualClock();
    server = await archiveServer(held, { now: clock.now });
    const fetcher = new Fetcher({ perHost: 4, delayMs: 0, retryBaseMs: 1, clock });
    try {
      const events = await rebuild(fetcher, cdx);
      expect(events.filter((e) => e.type === 'capture').map((e) => e.type === 'capture' && e.result.status)).toEqual(['new', 'new', 'new']);
    } finally {
      await fetcher.close();
    }
    // robots.txt, the CDX query, three replays.
    expect(server.requests).toHaveLength(5);
    expect(gaps(server).every((g) => g >= 1000)).toBe(true);
    expect(server.maxInFlight).toBe(1);
  });

  it('two rebuilds at the same time through one Fetcher share the pacing', async () => {
    const clock = virtualClock();
    server = await archiveServer(held, { now: clock.now });
    const fetcher = new Fetcher({ perHost: 4, delayMs: 0, retryBaseMs: 1, clock });
    try {
      await Promise.all([rebuild(fetcher, cdx), rebuild(fetcher, timemap)]);
    } finally {
      await fetcher.close();
    }
    // robots.txt once, the CDX query and the TimeMap, three replays each.
    expect(server.requests).toHaveLength(9);
    expect(server.maxInFlight).toBe(1);
    expect(gaps(server).every((g) => g >= 1000)).toBe(true);
  });

  it("a caller's longer pause is kept", async () => {
    const clock = virtualClock();
    server = await archiveServer(held, { now: clock.now });
    const fetcher = new Fetcher({ delayMs: 2500, clock });
    try {
      await rebuild(fetcher, timemap);
    } finally {
      await fetcher.close();
    }
    expect(server.requests).toHaveLength(5);
    expect(gaps(server).every((g) => g >= 2500)).toBe(true);
  });
});

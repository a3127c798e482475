import { UsageError } from '../../errors.js';
import type { Adapter } from './types.js';
import { brTicker } from './br.js';
import { cnnLiveStory } from './cnn.js';
import { generic } from './generic.js';
import { guardianLive, guardianLiveData } from './guardian.js';
import { reachLiveEvent } from './reach.js';
import { sportowefaktyLive } from './sportowefakty.js';

/**
 * The only registry of adapters, most specific first; generic is the last resort.
 * Adding a publisher: its file, its fixture and answer key, and one line here.
 */
export const ADAPTERS: readonly Adapter[] = [
  cnnLiveStory,
  guardianLive,
  guardianLiveData,
  reachLiveEvent,
  brTicker,
  sportowefaktyLive,
  generic,
];

function inRange(a: Adapter, day: string): boolean {
  return a.validFrom <= day && (a.validUntil === undefined || day < a.validUntil);
}

/** The first adapter that claims the page among those whose layout was current at capture time. */
export function selectAdapter(matches: (a: Adapter) => boolean, capturedAt: Date): Adapter {
  const day = capturedAt.toISOString().slice(0, 10);
  const dated = ADAPTERS.filter((a) => a.id !== 'generic' && inRange(a, day));
  // A capture older than every version of a publisher's layout still gets that publisher's oldest adapter.
  const undated = ADAPTERS.filter((a) => a.id !== 'generic' && !dated.some((d) => d.id === a.id));
  return [...dated, ...undated].find(matches) ?? generic;
}

/** An adapter by id, in the version for the capture date (else its latest version). */
export function adapterById(id: string, capturedAt: Date): Adapter {
  const day = capturedAt.toISOString().slice(0, 10);
  const versions = ADAPTERS.filter((a) => a.id === id);
  const found = versions.find((a) => inRange(a, day)) ?? versions.at(-1);
  if (!found) throw new UsageError(`no adapter "${id}" (known: ${[...new Set(ADAPTERS.map((a) => a.id))].join(', ')})`);
  return found;
}

export type { Adapter } from './types.js';

import { diffWords } from 'diff';
import { LiveArchiveError, UsageError } from './errors.js';
import { typedUtcTime } from './filter-input.js';
import type { Archive } from './store/archive.js';
import type { SnapshotRow } from './store/queries.js';
import { findPage, pageSnapshots, snapshotPosts, type PostRecord } from './store/read.js';

/** A span of a word-level diff: unchanged, inserted or deleted text. */
export interface DiffSpan {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface PostChange {
  /** not-shown: missing from a capture that is incomplete, so not taken as removed. */
  change: 'added' | 'removed' | 'not-shown' | 'edited';
  id: string;
  headline: string | null;
  time: string | null;
  /** Edits only: what changed in the headline and the body, word by word. */
  headlineDiff?: DiffSpan[];
  bodyDiff?: DiffSpan[];
  fromVersion?: number;
  toVersion?: number;
}

export interface SnapshotDiff {
  page: string;
  from: { capturedAt: string; sha256: string };
  to: { capturedAt: string; sha256: string };
  changes: PostChange[];
}

export function wordDiff(before: string, after: string): DiffSpan[] {
  return diffWords(before, after).map((c) => ({ op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value }));
}

/** "[-old-]{+new+}" markup of a word diff, for terminals and CSV. */
export function markDiff(spans: DiffSpan[]): string {
  return spans.map((s) => (s.op === 'insert' ? `{+${s.text}+}` : s.op === 'delete' ? `[-${s.text}-]` : s.text)).join('');
}

/**
 * A snapshot of a page chosen by the user: a snapshot id ("12" or "#12", as `livearchive
 * snapshots` lists them), a SHA-256 prefix (at least 6 hex digits), or a time (the latest
 * capture at or before it). Digits are tried as an id of this page first, then as a prefix.
 */
export function pickSnapshot(snapshots: SnapshotRow[], selector: string, page: string, flag: string): SnapshotRow {
  const s = selector.trim().replace(/^#/, '');
  const asId = /^\d{1,9}$/.test(s) ? snapshots.find((x) => x.id === Number(s)) : undefined;
  const asSha = !asId && /^[0-9a-f]{6,64}$/i.test(s) ? snapshots.find((x) => x.sha256.startsWith(s.toLowerCase())) : undefined;
  let found = asId ?? asSha;
  if (!found && !/^[0-9a-f]+$/i.test(s)) {
    // A time without a zone is UTC, whatever the machine's zone.
    const iso = typedUtcTime(flag, s, { dateAtEndOfDay: true });
    if (!iso) throw new UsageError(`"${selector}" is not a snapshot id, SHA-256 prefix or ISO time`);
    found = snapshots.filter((x) => x.captured_at <= iso).at(-1);
    if (!found) throw new LiveArchiveError('E_INPUT', `no capture of this page at or before ${iso} (the first is ${snapshots[0]?.captured_at ?? 'none'})`, { subject: page });
  }
  if (!found) throw new LiveArchiveError('E_INPUT', `no snapshot "${selector}" of this page: give an id or a SHA-256 prefix of 6+ hex digits (\`livearchive snapshots <page-url>\` lists them)`, { subject: page });
  return found;
}

function timeOf(p: PostRecord): string | null {
  return p.publishedAt ?? p.updatedAt;
}

/**
 * What changed on a page between two captures (default: the last two): posts added, removed,
 * and edited, with a word-level diff of headline and body for the edits.
 */
export async function diffSnapshots(archive: Archive, url: string, options: { from?: string; to?: string } = {}): Promise<SnapshotDiff> {
  const snapshots = await pageSnapshots(archive, url);
  const to = options.to ? pickSnapshot(snapshots, options.to, url, '--to') : snapshots.at(-1);
  const from = options.from ? pickSnapshot(snapshots, options.from, url, '--from') : snapshots.filter((s) => to && (s.captured_at < to.captured_at || (s.captured_at === to.captured_at && s.id < to.id))).at(-1);
  if (!from || !to) throw new LiveArchiveError('E_INPUT', 'needs two snapshots to compare; this page has one', { subject: url });
  const before = new Map((await snapshotPosts(archive, from.id)).map((p) => [p.id, p]));
  const after = await snapshotPosts(archive, to.id);
  const changes: PostChange[] = [];
  for (const p of after) {
    const old = before.get(p.id);
    if (!old) changes.push({ change: 'added', id: p.id, headline: p.headline, time: timeOf(p) });
    else if (old.version !== p.version) {
      changes.push({
        change: 'edited', id: p.id, headline: p.headline, time: timeOf(p), fromVersion: old.version, toVersion: p.version,
        headlineDiff: wordDiff(old.headline ?? '', p.headline ?? ''), bodyDiff: wordDiff(old.bodyText, p.bodyText),
      });
    }
  }
  const now = new Set(after.map((p) => p.id));
  const gone = to.complete ? 'removed' : 'not-shown';
  for (const p of before.values()) if (!now.has(p.id)) changes.push({ change: gone, id: p.id, headline: p.headline, time: timeOf(p) });
  return {
    page: (await findPage(archive, url)).url,
    from: { capturedAt: from.captured_at, sha256: from.sha256 },
    to: { capturedAt: to.captured_at, sha256: to.sha256 },
    changes,
  };
}

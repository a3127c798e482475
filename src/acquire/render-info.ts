import type { RenderInfo } from '../types.js';

/**
 * How a capture rendered in a browser (`--render`) stands in a WARC, as `export --format warc`
 * writes it and the WARC reader takes it back: the server's response as a `response` record, the
 * rendered DOM as a `conversion` record referring to it (WARC/1.1: "an alternative version of
 * another record's content that was created as the result of an archival process"), and the
 * render record as JSON in the conversion's WARC-JSON-Metadata field (the field Webrecorder's
 * tools give a record's JSON metadata).
 */
export const RENDER_METADATA = 'WARC-JSON-Metadata';

/** The field's value: `{"render": …}` as JSON on one line, in ASCII. */
export function renderMetadata(render: RenderInfo): string {
  return JSON.stringify({ render }).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const WAIT_ENDS = new Set(['stable', 'timeout', 'memory']);

function record(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : null;
}

function count(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

/** The render record in a WARC-JSON-Metadata value, or null: a file may hold anything, so each field is checked and only known ones are kept. */
export function renderFromMetadata(value: string | null | undefined): RenderInfo | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    return null;
  }
  const r = record(record(parsed)?.['render']);
  const wait = record(r?.['wait']);
  const blocked = record(r?.['blocked']);
  if (!r || !wait || !blocked || r['rendered'] !== true || typeof r['browser'] !== 'string' || !WAIT_ENDS.has(String(wait['ended']))) return null;
  const { ms, settleMs, timeoutMs } = wait;
  const { types, ads, robots, navigation } = blocked;
  const { postElements, expanded, frames, warnings } = r;
  if (!count(ms) || !count(settleMs) || !count(timeoutMs) || !count(types) || !count(ads) || !count(robots) || !count(navigation)) return null;
  if (!count(postElements) || !count(expanded) || !strings(frames) || !strings(warnings)) return null;
  return {
    rendered: true, browser: r['browser'], wait: { ended: wait['ended'] as RenderInfo['wait']['ended'], ms, settleMs, timeoutMs },
    postElements, expanded, frames, blocked: { types, ads, robots, navigation }, warnings,
  };
}

import { UsageError } from './errors.js';
import { atEndOfDay, normalizeZone, outsideValidYears, resolveTime, validDateTime, VALID_YEARS_TEXT, zonedToUtc } from './parse/time.js';
import type { PostFilters } from './store/filters.js';

/** The post filters as people type them: command-line flags, or the web view's search form. */
export interface FilterFlags {
  page?: string;
  publisher?: string;
  contributor?: string;
  since?: string;
  until?: string;
  tz: string;
  kind?: 'liveblog' | 'article' | 'unknown';
}

/**
 * A time the user typed must fall in VALID_YEARS, as the times read from pages must: the same
 * words for every flag and form field that takes one.
 */
export function refuseOutsideValidYears(flag: string, value: string): void {
  if (outsideValidYears(value)) throw new UsageError(`${flag} wants ${VALID_YEARS_TEXT} (got "${value}")`);
}

/**
 * A time typed for one moment (--at, --captured-at, diff --from/--to), read as UTC when it names
 * no zone, in VALID_YEARS; a date alone is its midnight, or with `dateAtEndOfDay` its last
 * millisecond. Null when it reads as no time at all (the caller says what it wanted).
 */
export function typedUtcTime(flag: string, value: string, { dateAtEndOfDay = false } = {}): string | null {
  refuseOutsideValidYears(flag, value);
  return resolveTime(dateAtEndOfDay ? atEndOfDay(value) : value, { capturedAt: new Date(0), timeZone: 'UTC', warnings: [] });
}

/**
 * A --since/--until value in the --tz zone: a date is its midnight (for --until, the next
 * midnight, so the day is included); a date-time without offset is wall-clock time in the zone.
 */
export function parseTimeFilter(flag: string, value: string, tz: string, endOfDay: boolean): Date {
  const v = value.trim();
  refuseOutsideValidYears(flag, v);
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]) - 1, Number(date[3])];
    if (!validDateTime(y, m, d)) throw new UsageError(`${flag}: ${value} is not a real date`);
    return new Date(zonedToUtc(tz, y, m, d + (endOfDay ? 1 : 0), 0, 0));
  }
  const iso = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(v) ? resolveTime(v, { capturedAt: new Date(0), timeZone: tz, warnings: [] }) : null;
  if (!iso) throw new UsageError(`${flag} wants a date (2025-11-25) or date-time (2025-11-25T14:00, 2025-11-25T14:00Z) (got "${value}")`);
  return new Date(iso);
}

/** One end of a time range as typed: its flag, the text given, and the time read from it. */
export interface TimeBound {
  flag: string;
  value: string;
  at: Date;
}

/** Reversed, a range matches nothing: a typo, not a question. `what` is what it would have matched. */
export function refuseReversed(start: TimeBound, end: TimeBound, what: string): void {
  if (start.at >= end.at) throw new UsageError(`${start.flag} ${start.value} is not before ${end.flag} ${end.value}: no ${what} can match`);
}

/** The filters typed as flags (or form fields: `flag` names them in messages). */
export function parseFilters(opts: FilterFlags, flag: (name: string) => string = (name) => `--${name}`): PostFilters {
  // The default zone needs no check (an Intl lookup: ~10 ms at start-up).
  const tz = opts.tz === 'UTC' ? 'UTC' : normalizeZone(opts.tz);
  if (!tz) throw new UsageError(`${flag('tz')} wants an IANA time zone such as Europe/London (got "${opts.tz}")`);
  const since = opts.since ? parseTimeFilter(flag('since'), opts.since, tz, false) : null;
  const until = opts.until ? parseTimeFilter(flag('until'), opts.until, tz, true) : null;
  if (since && until) refuseReversed({ flag: flag('since'), value: opts.since!, at: since }, { flag: flag('until'), value: opts.until!, at: until }, 'post');
  return {
    ...(opts.page ? { page: opts.page } : {}),
    ...(opts.publisher ? { publisher: opts.publisher } : {}),
    ...(opts.contributor ? { contributor: opts.contributor } : {}),
    ...(opts.kind ? { kind: opts.kind } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

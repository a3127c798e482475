import { describe, expect, it } from 'vitest';
import { statedZone } from '../../src/parse/page.js';
import { resolveTime, type TimeContext } from '../../src/parse/time.js';

function ctx(timeZone: string | null = null, capturedAt = '2025-11-25T15:10:00Z'): TimeContext {
  return { capturedAt: new Date(capturedAt), timeZone, warnings: [] };
}

describe('resolveTime', () => {
  it.each([
    ['2025-11-25T13:56:48.271Z', '2025-11-25T13:56:48.271Z'],
    ['2024-08-05T21:00:00+01:00', '2024-08-05T20:00:00.000Z'],
    ['2024-08-05T21:00:00+0100', '2024-08-05T20:00:00.000Z'],
    ['2023-05-15T11:50:54.000Z', '2023-05-15T11:50:54.000Z'],
    ['1722888000000', '2024-08-05T20:00:00.000Z'],
    ['1722888000', '2024-08-05T20:00:00.000Z'],
    ['Mon May 15 2023 11:50:54 GMT+0000 (Coordinated Universal Time)', '2023-05-15T11:50:54.000Z'],
    ['Tue, 25 Nov 2025 10:02:00 GMT', '2025-11-25T10:02:00.000Z'],
  ])('absolute %s', (input, expected) => {
    expect(resolveTime(input, ctx())).toBe(expected);
  });

  it.each([
    '2025-02-30T10:00:00Z', '2025-13-01T10:00:00Z', '2025-06-10T25:61:00Z', '2025-02-28T10:00:00+25:00', '2025-02-28T10:00:00+05:99',
    '+275760-09-13T00:00:00.000Z', '275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z', '14:05 GMT+25',
    'Sun Feb 30 2025 11:50:54 GMT+0000 (Coordinated Universal Time)', 'Sun, 30 Feb 2025 10:02:00 GMT', '31 Apr 2025 10:02 +0000',
  ])('an impossible time %s is left empty, never rolled over or read as its bare clock', (input) => {
    const c = ctx('Europe/London');
    expect(resolveTime(input, c)).toBeNull();
    expect(c.warnings).toHaveLength(1);
  });

  it.each([
    ['7 min ago', '2025-11-25T15:03:00.000Z'],
    ['34 min ago', '2025-11-25T14:36:00.000Z'],
    ['2 hr 13 min ago', '2025-11-25T12:57:00.000Z'],
    ['4m ago', '2025-11-25T15:06:00.000Z'],
    ['21 mins ago', '2025-11-25T14:49:00.000Z'],
    ['an hour ago', '2025-11-25T14:10:00.000Z'],
    ['1 day ago', '2025-11-24T15:10:00.000Z'],
    ['just now', '2025-11-25T15:10:00.000Z'],
    ['12 min sitten', '2025-11-25T14:58:00.000Z'],
    ['2 tuntia sitten', '2025-11-25T13:10:00.000Z'],
    ['5분 전', '2025-11-25T15:05:00.000Z'],
    ['1時間前', '2025-11-25T14:10:00.000Z'],
    ['منذ ١٠ دقائق', '2025-11-25T15:00:00.000Z'],
    ['منذ ساعتين', '2025-11-25T13:10:00.000Z'],
    ['5 dakika önce', '2025-11-25T15:05:00.000Z'],
    ['2 jam yang lalu', '2025-11-25T13:10:00.000Z'],
    ['πριν από 5 λεπτά', '2025-11-25T15:05:00.000Z'],
    ['acum 5 minute', '2025-11-25T15:05:00.000Z'],
    ['5 मिनट पहले', '2025-11-25T15:05:00.000Z'],
  ])('relative %s against the capture time', (input, expected) => {
    expect(resolveTime(input, ctx())).toBe(expected);
  });

  it('reads US clock text with a zone name, DST-correct on both sides of the change', () => {
    // November: Eastern Standard Time, UTC-5.
    expect(resolveTime('8:56 a.m. ET, November 25, 2025', ctx())).toBe('2025-11-25T13:56:00.000Z');
    expect(resolveTime('5:54 a.m. ET, November 25, 2025', ctx())).toBe('2025-11-25T10:54:00.000Z');
    // July: Eastern Daylight Time, UTC-4.
    expect(resolveTime('5:54 a.m. ET, July 4, 2025', ctx())).toBe('2025-07-04T09:54:00.000Z');
    expect(resolveTime('Updated 10:02 AM EST, Tue November 25, 2025', ctx())).toBe('2025-11-25T15:02:00.000Z');
    expect(resolveTime('12:30 p.m. ET, March 9, 2025', ctx())).toBe('2025-03-09T16:30:00.000Z');
  });

  it('reads clock-only text with a zone name on the capture day', () => {
    expect(resolveTime('12.50 BST', ctx(null, '2023-05-15T13:00:00Z'))).toBe('2023-05-15T11:50:00.000Z');
    expect(resolveTime('12.50 GMT', ctx(null, '2023-12-15T13:00:00Z'))).toBe('2023-12-15T12:50:00.000Z');
  });

  it('takes a clock time later than the capture as the day before', () => {
    expect(resolveTime('23:40', ctx('Europe/London', '2024-08-06T00:30:00Z'))).toBe('2024-08-05T22:40:00.000Z');
  });

  it('uses the page zone for clock-only and zone-less ISO times', () => {
    const c = ctx('Europe/Berlin', '2024-08-27T13:09:00Z');
    expect(resolveTime('12.31 Uhr', c)).toBe('2024-08-27T10:31:00.000Z');
    expect(resolveTime('2024-07-18T11:48', c)).toBe('2024-07-18T09:48:00.000Z');
    expect(resolveTime('14 August 2023 09:01', c)).toBe('2023-08-14T07:01:00.000Z');
    expect(resolveTime('Dienstag, 27. August 2024 12.31 Uhr', c)).toBe('2024-08-27T10:31:00.000Z');
    expect(resolveTime('21:00', ctx('+01:00', '2024-08-05T22:00:00Z'))).toBe('2024-08-05T20:00:00.000Z');
    expect(c.warnings).toEqual([]);
  });

  it('reads Polish dates in the page zone', () => {
    expect(resolveTime('28 września 2020, 19:30', ctx('Europe/Warsaw'))).toBe('2020-09-28T17:30:00.000Z');
  });

  it('leaves a time without any zone empty, with a warning, rather than guess', () => {
    const c = ctx(null);
    expect(resolveTime('21:00', c)).toBeNull();
    expect(resolveTime('2024-07-18T11:48', c)).toBeNull();
    expect(c.warnings).toHaveLength(2);
    expect(c.warnings[0]).toMatch(/"21:00" has no time zone/);
  });

  it('leaves nonsense empty with a warning', () => {
    const c = ctx('UTC');
    expect(resolveTime('yesterday-ish', c)).toBeNull();
    expect(resolveTime('99:99', c)).toBeNull();
    expect(resolveTime('', c)).toBeNull();
    expect(c.warnings).toHaveLength(2);
  });
});

describe('impossible dates', () => {
  it.each(['2025-13-45', '2025-02-30T10:00:00Z', '2025-11-25T25:00', '31 June 2025 10:00', 'February 30, 2025, 9:00 a.m. ET'])('%s is left empty with a warning, never rolled over', (s) => {
    const c = ctx('UTC');
    expect(resolveTime(s, c)).toBeNull();
    expect(c.warnings.join()).toMatch(/not a real date or time|not understood|out of range/);
  });
});

describe('never a wrong date', () => {
  it.each([
    ['01:30', 'Europe/London', '2025-03-30T12:00:00Z', 'skipped'],
    ['01:30', 'Europe/London', '2025-10-26T12:00:00Z', 'repeats'],
    ['1:30 a.m. ET, November 2, 2025', null, '2025-11-03T12:00:00Z', 'repeats'],
    ['2:30 a.m. ET, March 9, 2025', null, '2025-03-10T12:00:00Z', 'skipped'],
    ['10:30 IST', 'Europe/London', '2025-06-01T12:00:00Z', 'no time zone'],
    ['Monday 10:30', 'Europe/London', '2025-06-03T12:00:00Z', 'weekday'],
    ['29 Feb 10:00', 'UTC', '2025-03-01T12:00:00Z', 'not a real date'],
  ])('%s (%s, captured %s) is left empty with a warning', (text, zone, captured, why) => {
    const c = ctx(zone, captured);
    expect(resolveTime(text, c)).toBeNull();
    expect(c.warnings.join()).toContain(why);
  });

  it('reads yesterday and today, and crosses midnight and the new year forwards within the clock skew', () => {
    expect(resolveTime('yesterday 10:30', ctx('Europe/Berlin', '2025-06-03T12:00:00Z'))).toBe('2025-06-02T08:30:00.000Z');
    expect(resolveTime('gestern, 10:30 Uhr', ctx('Europe/Berlin', '2025-06-03T12:00:00Z'))).toBe('2025-06-02T08:30:00.000Z');
    expect(resolveTime('eilen klo 11.40', ctx('Europe/Helsinki', '2025-06-03T12:00:00Z'))).toBe('2025-06-02T08:40:00.000Z');
    expect(resolveTime('вчера в 23:40', ctx('Europe/Moscow', '2025-06-03T12:00:00Z'))).toBe('2025-06-02T20:40:00.000Z');
  });

  it('tells the repeated hour apart by a summer- or winter-time name, and knows Newfoundland time', () => {
    const london = (): ReturnType<typeof ctx> => ctx('Europe/London', '2025-10-26T12:00:00Z');
    expect(resolveTime('01:40 BST', london())).toBe('2025-10-26T00:40:00.000Z');
    expect(resolveTime('01:20 GMT', london())).toBe('2025-10-26T01:20:00.000Z');
    // Without a name that fixes the offset the hour stays ambiguous, and is left empty.
    expect(resolveTime('01:40', london())).toBeNull();
    expect(resolveTime('6:30 p.m. NT, April 28, 2025', ctx('America/Toronto', '2025-04-29T12:00:00Z'))).toBe('2025-04-28T21:00:00.000Z');
  });

  it('reads dates and clocks of other scripts and orders', () => {
    expect(resolveTime('12 марта, 14:05', ctx('Europe/Moscow', '2025-03-13T12:00:00Z'))).toBe('2025-03-12T11:05:00.000Z');
    expect(resolveTime('15 Ekim 2025 10:20', ctx('Europe/Istanbul', '2025-10-16T12:00:00Z'))).toBe('2025-10-15T07:20:00.000Z');
    expect(resolveTime('20 Νοεμβρίου 2025, 09:15', ctx('Europe/Athens', '2025-11-21T12:00:00Z'))).toBe('2025-11-20T07:15:00.000Z');
    // A month's letters inside another word are not the month: "12 desa" is twelve villages.
    expect(resolveTime('12 desa 10:20', ctx('Asia/Jakarta', '2025-12-20T12:00:00Z'))).toBe('2025-12-20T03:20:00.000Z');
    expect(resolveTime('2025.03.03 09:20', ctx('Asia/Seoul', '2025-03-04T12:00:00Z'))).toBe('2025-03-03T00:20:00.000Z');
    expect(resolveTime('오후 2:05', ctx('Asia/Seoul', '2025-03-04T12:00:00Z'))).toBe('2025-03-04T05:05:00.000Z');
    expect(resolveTime('١٩ أبريل ٢٠٢٥ - ٢٢:١٠', ctx('Asia/Dubai', '2025-04-20T12:00:00Z'))).toBe('2025-04-19T18:10:00.000Z');
    expect(resolveTime('00:05', ctx('UTC', '2025-12-31T23:58:00Z'))).toBe('2026-01-01T00:05:00.000Z');
    expect(resolveTime('1 Jan 00:05', ctx('UTC', '2025-12-31T23:58:00Z'))).toBe('2026-01-01T00:05:00.000Z');
    expect(resolveTime('23:50', ctx('UTC', '2026-01-01T00:10:00Z'))).toBe('2025-12-31T23:50:00.000Z');
  });
});

describe('zone names with several meanings, and Japanese times', () => {
  it('reads IST only on a page whose own zone is one of its meanings', () => {
    expect(resolveTime('10:45 AM IST', ctx('Asia/Kolkata', '2025-01-26T12:00:00Z'))).toBe('2025-01-26T05:15:00.000Z');
    const c = ctx('Europe/London', '2025-01-26T12:00:00Z');
    expect(resolveTime('10:45 AM IST', c)).toBeNull();
    expect(c.warnings[0]).toContain('no time zone');
  });

  it('reads 午後3時05分 and 2025年6月12日', () => {
    expect(resolveTime('2025年6月12日 午後3時05分', ctx('Asia/Tokyo'))).toBe('2025-06-12T06:05:00.000Z');
    expect(resolveTime('15時05分', ctx('Asia/Tokyo', '2025-06-12T09:00:00Z'))).toBe('2025-06-12T06:05:00.000Z');
  });
});

describe('more languages', () => {
  it.each([
    ['há 5 minutos', 'America/Sao_Paulo', '2025-07-19T18:00:00Z', '2025-07-19T17:55:00.000Z'],
    ['5 minuten geleden', 'Europe/Amsterdam', '2025-06-05T12:00:00Z', '2025-06-05T11:55:00.000Z'],
    ['för 2 timmar sedan', 'Europe/Stockholm', '2025-01-20T12:00:00Z', '2025-01-20T10:00:00.000Z'],
    ['gisteren 22:10', 'Europe/Amsterdam', '2025-06-05T12:00:00Z', '2025-06-04T20:10:00.000Z'],
    ['30 de marzo de 2025 - 14:05', 'Europe/Madrid', '2025-03-30T18:00:00Z', '2025-03-30T12:05:00.000Z'],
    ['19/07/2025 14h05', 'America/Sao_Paulo', '2025-07-19T18:00:00Z', '2025-07-19T17:05:00.000Z'],
    ['07/04/2025 9:00 a.m.', 'America/New_York', '2025-07-05T12:00:00Z', '2025-07-04T13:00:00.000Z'],
    ['25 novembre 2025 à 14h05', 'Europe/Paris', '2025-11-26T12:00:00Z', '2025-11-25T13:05:00.000Z'],
  ])('%s', (text, zone, captured, expected) => {
    expect(resolveTime(text, ctx(zone, captured))).toBe(expected);
  });
});

describe('statedZone', () => {
  it.each([
    ['<body><p class="note">All times ET</p></body>', 'America/New_York'],
    ['<body><p>Times are in <strong>BST</strong>.</p></body>', 'Europe/London'],
    ['<body><span>(all times</span>\n <abbr>CET</abbr>)</body>', 'Europe/Berlin'],
    ['<body><p>Times shown in NOPE and then in ET</p><p>all times ET</p></body>', 'America/New_York'],
    ['<body><p>Live updates from the summit</p></body>', null],
    ['<body><script>var s = "All times ET";</script><p>No statement here</p></body>', null],
    ['<body><p>sometimes ET</p></body>', null],
  ])('%s', (html, zone) => {
    expect(statedZone(html)).toBe(zone);
  });
});

import { TZDate } from '@date-fns/tz';

/**
 * Everything a timestamp on a page may need to be resolved: the capture time (for "7 min ago"
 * and for clock times without a date) and the page's time zone (for "21:00").
 */
export interface TimeContext {
  capturedAt: Date;
  /** IANA zone name or a fixed offset ("+01:00"); null when the page does not reveal one. */
  timeZone: string | null;
  /** Collects a message for each timestamp that could not be resolved. */
  warnings: string[];
  /**
   * When the page says it was last changed, if earlier than the capture: a clock time without a
   * date is the latest one before this, not before the capture (a page saved long after).
   */
  clockReference?: Date;
}

/** Zone names as pages print them, mapped to the IANA zone that follows the same DST rules. */
const ZONE_ABBREVIATIONS: Record<string, string> = {
  UTC: 'UTC', GMT: 'UTC', Z: 'UTC',
  ET: 'America/New_York', EST: 'America/New_York', EDT: 'America/New_York',
  CT: 'America/Chicago', CST: 'America/Chicago', CDT: 'America/Chicago',
  MT: 'America/Denver', MST: 'America/Denver', MDT: 'America/Denver',
  PT: 'America/Los_Angeles', PST: 'America/Los_Angeles', PDT: 'America/Los_Angeles',
  BST: 'Europe/London', WET: 'Europe/Lisbon', WEST: 'Europe/Lisbon',
  CET: 'Europe/Berlin', CEST: 'Europe/Berlin', MEZ: 'Europe/Berlin', MESZ: 'Europe/Berlin',
  EET: 'Europe/Athens', EEST: 'Europe/Athens', MSK: 'Europe/Moscow',
  HKT: 'Asia/Hong_Kong', JST: 'Asia/Tokyo', KST: 'Asia/Seoul', SGT: 'Asia/Singapore',
  AEST: 'Australia/Sydney', AEDT: 'Australia/Sydney', NZST: 'Pacific/Auckland', NZDT: 'Pacific/Auckland',
  NT: 'America/St_Johns', NST: 'America/St_Johns', NDT: 'America/St_Johns', AT: 'America/Halifax', AST: 'America/Halifax', ADT: 'America/Halifax',
};

/**
 * The offset a summer- or standard-time name fixes. Pages write "EST" all year, so the zone's
 * own rules decide, except in the hour that repeats when clocks go back: "01:40 BST" and
 * "01:20 GMT" are then told apart by the name.
 */
const NAMED_OFFSETS: Record<string, string> = {
  GMT: '+00:00', BST: '+01:00', WET: '+00:00', WEST: '+01:00', CET: '+01:00', CEST: '+02:00', MEZ: '+01:00',
  MESZ: '+02:00', EET: '+02:00', EEST: '+03:00', EST: '-05:00', EDT: '-04:00', CST: '-06:00', CDT: '-05:00',
  MST: '-07:00', MDT: '-06:00', PST: '-08:00', PDT: '-07:00', AEST: '+10:00', AEDT: '+11:00', NZST: '+12:00',
  NZDT: '+13:00', NST: '-03:30', NDT: '-02:30', ADT: '-03:00',
};

/**
 * Zone names with no meaning of their own: read only as the page's zone, when that is one of
 * theirs ("IST" is India, Ireland or Israel).
 */
const AMBIGUOUS_ZONES: Record<string, string[]> = {
  IST: ['Asia/Kolkata', 'Europe/Dublin', 'Asia/Jerusalem'],
  ACT: ['Australia/Adelaide', 'America/Rio_Branco'],
  SAST: ['Africa/Johannesburg'],
  PKT: ['Asia/Karachi'],
  WIB: ['Asia/Jakarta'],
  GST: ['Asia/Dubai', 'Asia/Muscat'],
  MYT: ['Asia/Kuala_Lumpur'],
  PHT: ['Asia/Manila'],
  ICT: ['Asia/Bangkok', 'Asia/Ho_Chi_Minh'],
  WAT: ['Africa/Lagos'],
  CAT: ['Africa/Maputo', 'Africa/Harare', 'Africa/Johannesburg'],
  EAT: ['Africa/Nairobi', 'Africa/Addis_Ababa'],
  NPT: ['Asia/Kathmandu'],
};

/**
 * Zone names with a usual meaning (ZONE_ABBREVIATIONS) and others where the page is: "CST" on a
 * Chinese page is China Standard Time, "BST" in Bangladesh is Bangladesh Standard Time.
 */
const OTHER_MEANINGS: Record<string, string[]> = {
  CST: ['Asia/Shanghai', 'Asia/Taipei', 'Asia/Hong_Kong', 'Asia/Macau', 'America/Havana'],
  BST: ['Asia/Dhaka'],
  EST: ['Australia/Sydney', 'Australia/Melbourne', 'Australia/Brisbane'],
  MST: ['Asia/Kuala_Lumpur'],
  PST: ['Asia/Manila'],
  AST: ['Asia/Riyadh', 'Asia/Kuwait', 'Asia/Baghdad', 'Asia/Qatar', 'Asia/Bahrain', 'America/Puerto_Rico'],
};

/** The zone a printed name means on a page in `pageZone`: its other meaning there, else its usual one. */
function zoneNamed(word: string, pageZone: string | null): string | null {
  if (pageZone && (OTHER_MEANINGS[word]?.includes(pageZone) || AMBIGUOUS_ZONES[word]?.includes(pageZone))) return pageZone;
  return ZONE_ABBREVIATIONS[word] ?? null;
}

const MONTHS: Record<string, number> = {};
function addMonths(names: string[]): void {
  names.forEach((n, i) => {
    for (const part of n.split('|')) MONTHS[part] = i;
  });
}
addMonths(['january|jan', 'february|feb', 'march|mar', 'april|apr', 'may', 'june|jun', 'july|jul',
  'august|aug', 'september|sep|sept', 'october|oct', 'november|nov', 'december|dec']);
addMonths(['januar|jänner', 'februar', 'märz|maerz', 'april', 'mai', 'juni', 'juli', 'august',
  'september', 'oktober|okt', 'november', 'dezember|dez']);
addMonths(['stycznia|styczeń', 'lutego|luty', 'marca|marzec', 'kwietnia|kwiecień', 'maja|maj',
  'czerwca|czerwiec', 'lipca|lipiec', 'sierpnia|sierpień', 'września|wrzesień',
  'października|październik', 'listopada|listopad', 'grudnia|grudzień']);
addMonths(['janvier|janv', 'février|févr|fevrier', 'mars', 'avril|avr', 'mai', 'juin', 'juillet|juil',
  'août|aout', 'septembre|sept', 'octobre|oct', 'novembre|nov', 'décembre|déc|decembre']);
addMonths(['enero|ene', 'febrero', 'marzo', 'abril|abr', 'mayo', 'junio', 'julio', 'agosto|ago', 'septiembre|setiembre',
  'octubre', 'noviembre', 'diciembre|dic']);
addMonths(['gennaio|gen', 'febbraio', 'marzo', 'aprile', 'maggio|mag', 'giugno|giu', 'luglio|lug', 'agosto', 'settembre|set',
  'ottobre|ott', 'novembre', 'dicembre']);
addMonths(['janeiro|jan', 'fevereiro|fev', 'março|marco', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro|set',
  'outubro|out', 'novembro', 'dezembro|dez']);
addMonths(['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december']);
addMonths(['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december']);
addMonths(['января|январь|янв', 'февраля|февраль|фев', 'марта|март|мар', 'апреля|апрель|апр', 'мая|май', 'июня|июнь|июн',
  'июля|июль|июл', 'августа|август|авг', 'сентября|сентябрь|сен', 'октября|октябрь|окт', 'ноября|ноябрь|ноя', 'декабря|декабрь|дек']);
addMonths(['ocak|oca', 'şubat|şub', 'mart', 'nisan|nis', 'mayıs|may', 'haziran|haz', 'temmuz|tem', 'ağustos|ağu',
  'eylül|eyl', 'ekim|eki', 'kasım|kas', 'aralık|ara']);
addMonths(['januari', 'februari|feb', 'maret', 'april', 'mei', 'juni', 'juli', 'agustus|agu|agt', 'september', 'oktober|okt',
  'november|nop', 'desember|des']);
addMonths(['ianuarie', 'februarie', 'martie', 'aprilie', 'mai', 'iunie', 'iulie', 'august', 'septembrie', 'octombrie', 'noiembrie', 'decembrie']);
addMonths(['ιανουαρίου|ιανουάριος', 'φεβρουαρίου|φεβρουάριος', 'μαρτίου|μάρτιος', 'απριλίου|απρίλιος', 'μαΐου|μάιος',
  'ιουνίου|ιούνιος', 'ιουλίου|ιούλιος', 'αυγούστου|αύγουστος', 'σεπτεμβρίου|σεπτέμβριος', 'οκτωβρίου|οκτώβριος',
  'νοεμβρίου|νοέμβριος', 'δεκεμβρίου|δεκέμβριος']);
addMonths(['يناير|كانون الثاني', 'فبراير|شباط', 'مارس|آذار', 'أبريل|ابريل|إبريل|نيسان', 'مايو|أيار', 'يونيو|يونيه|حزيران',
  'يوليو|يوليه|تموز', 'أغسطس|آب', 'سبتمبر|أيلول', 'أكتوبر|اكتوبر|تشرين الأول', 'نوفمبر|تشرين الثاني', 'ديسمبر|كانون الأول']);
addMonths(['січня|січень', 'лютого|лютий', 'березня|березень', 'квітня|квітень', 'травня|травень', 'червня|червень',
  'липня|липень', 'серпня|серпень', 'вересня|вересень', 'жовтня|жовтень', 'листопада|листопад', 'грудня|грудень']);

const MONTH_RE = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');
/** The years a time may fall in: before the web's live blogs, or far ahead, a reading is wrong. */
export const VALID_YEARS = { from: 1990, until: 2100 } as const;
const MIN_VALID = Date.UTC(VALID_YEARS.from, 0, 1);
const MAX_VALID = Date.UTC(VALID_YEARS.until, 0, 1);
/** A clock time without a date is taken as its latest occurrence before capture, plus this slack for clock skew. */
const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * A --at value (posts, diff, the web view): a date alone means the page as it stood at the end of
 * that day (UTC), as --until includes the whole day; anything else is passed on as given.
 */
export function atEndOfDay(value: string): string {
  const v = value.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T23:59:59.999Z` : value;
}

/** An ISO date or date-time that is well formed but outside VALID_YEARS: worth its own message. */
export function outsideValidYears(value: string): boolean {
  const year = /^\s*(\d{4})-\d{2}-\d{2}/.exec(value)?.[1];
  return year !== undefined && !Number.isNaN(Date.parse(value.trim())) && (Number(year) < VALID_YEARS.from || Number(year) >= VALID_YEARS.until);
}

/** What a user is told when a time falls outside VALID_YEARS. */
export const VALID_YEARS_TEXT = `a time from ${VALID_YEARS.from} to ${VALID_YEARS.until - 1}`;

export function toIso(ms: number): string | null {
  return Number.isFinite(ms) && ms >= MIN_VALID && ms < MAX_VALID ? new Date(ms).toISOString() : null;
}

function isValidZone(zone: string): boolean {
  if (/^[+-]\d{2}:\d{2}$/.test(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether a calendar date and clock time exist (no 2025-13-45, no 30 February, no 25:00). */
export function validDateTime(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  const t = new Date(Date.UTC(y, mo, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo && t.getUTCDate() === d && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

/**
 * The UTC instant of a wall-clock time in a zone, DST-correct. UTC and fixed offsets are
 * computed directly: IANA zones go through Intl, which is slow enough to dominate parsing
 * a page with hundreds of ISO timestamps.
 */
export function zonedToUtc(zone: string, y: number, mo: number, d: number, h: number, mi: number, s = 0, ms = 0): number {
  const utc = Date.UTC(y, mo, d, h, mi, s, ms);
  if (zone === 'UTC') return utc;
  const off = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  if (off) return utc - (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3])) * 60_000;
  return new TZDate(y, mo, d, h, mi, s, ms, zone).getTime();
}

/** Calendar date (y, m, d) of an instant as seen in a zone. */
function zonedDate(zone: string, at: Date): [number, number, number] {
  const z = new TZDate(at.getTime(), zone);
  return [z.getFullYear(), z.getMonth(), z.getDate()];
}

function parseEpoch(s: string): number | null {
  if (!/^\d{9,13}(\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return n >= 1e11 ? n : n * 1000;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** An offset some place on Earth uses: UTC−12:00 to UTC+14:00, in whole minutes. */
function realOffset(offset: string): boolean {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m || Number(m[3]) > 59) return false;
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  return minutes >= -12 * 60 && minutes <= 14 * 60;
}

/**
 * A timestamp in ISO form that the ISO reading refused (a signed or six-digit year, an
 * impossible offset): never read as the bare clock inside it.
 */
const ISO_LIKE = /^(?:[+-]\d{4,}|\d{5,})-\d{2}-\d{2}|^\d{4}-\d{2}-\d{2}T/;

function parseIso(s: string, ctx: TimeContext): number | null | 'needs-zone' | 'invalid' | 'ambiguous' {
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', zone] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms] as const;
  if (!validDateTime(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5])) return 'invalid';
  if (zone) {
    const z = zone.toUpperCase() === 'Z' ? 'UTC' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    return z === 'UTC' || realOffset(z) ? zonedToUtc(z, ...parts) : 'invalid';
  }
  if (!ctx.timeZone) return 'needs-zone';
  const t = wallToUtc(ctx.timeZone, parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
  return typeof t === 'number' ? t + ms : t;
}

const JS_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT[+-]\d{4}/;
const RFC_2822 = /^(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (?:GMT|UTC|[+-]\d{4})$/;

/**
 * "Mon May 15 2023 11:50:54 GMT+0000 (Coordinated Universal Time)" and RFC 2822 dates. Date.parse
 * reads them, once the date is known to be real (it would turn "Feb 30" into March 2).
 */
function parseJsDateString(s: string): number | null | 'invalid' {
  const js = JS_DATE.exec(s);
  const rfc = js ? null : RFC_2822.exec(s);
  if (!js && !rfc) return null;
  const [mon, day, year, h, mi, sec] = js ? [js[1], js[2], js[3], js[4], js[5], js[6]] : [rfc![2], rfc![1], rfc![3], rfc![4], rfc![5], rfc![6]];
  const month = MONTHS[mon!.toLowerCase()];
  if (month === undefined || !validDateTime(Number(year), month, Number(day), Number(h), Number(mi), Number(sec ?? 0))) return 'invalid';
  return Date.parse(js ? js[0] : s);
}

const RELATIVE_UNIT_MS: Array<[RegExp, number]> = [
  [/^(?:d|days?|tage?n?|jours?|días?|dias?|giorn[oi]|dni|dzień|dagen?|dag|dagar|dny|dnem|päivää?|gün|hari|ημέρες|ημέρα|μέρες|μέρα|zile|zi|दिन|дн(?:я|ей)|день)$/iu, 86_400_000],
  [/^(?:h|hrs?|hours?|std\.?|stunden?|heures?|horas?|or[ae]|godz\.?|godzin[ay]?|godzinę|uur|timm?e[rn]?|timmar|hodin(?:ami|ou)?|tuntia?|saat|jam|ώρα|ώρες|ωρών|ore|घंटे|घंटा|час(?:а|ов)?)$/iu, 3_600_000],
  [/^(?:m|mins?|minutes?|minuten?|minutos?|minut[oi]|minut[yę]?|minuter|minutter|minutami|minuuttia?|dakika|dk\.?|menit|λεπτά|λεπτό|minute|मिनट|минут[уы]?)$/iu, 60_000],
  [/^(?:s|secs?|seconds?|sekunden?|secondes?|segundos?|second[oi]|sekund[yę]?|seconden|sekunder|sekundami|sekuntia?|saniye|detik|δευτερόλεπτα|secunde|सेकंड|секунд[уы]?)$/iu, 1000],
];

function parseRelative(s: string, capturedAt: Date): number | null {
  const t = s.toLowerCase().replace(/\s+/g, ' ').trim();
  if (/^(just now|now|gerade eben|jetzt)$/.test(t)) return capturedAt.getTime();
  // "… ago", "vor …", "il y a …", "hace …", "há …", "för … sedan", "… fa", "… temu", "… geleden", "… siden", "… назад"
  const m = /^(?:vor|il y a|hace|há|ha|för|for|před|pred|πριν από|πριν|acum) (.+?)(?: sedan| siden)?$/u.exec(t) ?? /^(.+?) ?(?:ago|fa|temu|geleden|siden|sedan|sitten|önce|yang lalu|lalu|पहले|назад)$/u.exec(t);
  if (!m) return null;
  const amount = m[1]!;
  let total = 0;
  let consumed = 0;
  // A unit alone ("godzinę temu", "Stunde") is one of it.
  for (const part of amount.matchAll(/(?:(\d+|an?|one|une?|einer?) ?)?([\p{L}\p{M}.]+)[, ]*/gu)) {
    const n = part[1] && /^\d+$/.test(part[1]) ? Number(part[1]) : 1;
    const unit = RELATIVE_UNIT_MS.find(([re]) => re.test(part[2]!));
    if (!unit) return null;
    total += n * unit[1];
    consumed += part[0].length;
  }
  return consumed === amount.length && consumed > 0 ? capturedAt.getTime() - total : null;
}

interface ClockParts {
  hour: number;
  minute: number;
  second: number;
  date: [number, number | null, number] | null; // [day, year|null, month]
  zone: string | null;
  /** "yesterday"/"gestern" = -1, "today"/"heute" = 0; null when the text names no day. */
  dayShift: number | null;
  /** A zone-like word next to the time that is not a known zone ("IST" is India or Ireland). */
  unknownZone: string | null;
  /** The zone name as printed ("CST"), whose meaning may depend on the page. */
  zoneWord: string | null;
  /** The offset the zone's name fixes ("BST": +01:00), for the hour that repeats. */
  namedOffset: string | null;
  /** A weekday without a date: which week is not said. */
  weekdayOnly: boolean;
  /** For a d/m/y or m/d/y date: which it is, when the numbers tell. */
  slashOrder: 'day-first' | 'month-first' | 'unknown' | null;
}

const YESTERDAY = /(?:^|\s)(?:yesterday|gestern|hier|ayer|ieri|wczoraj|ontem|gisteren|igår|i går|i gaar|eilen|včera|tegnap|dün|вчера|вчора|χθες|χτες|kemarin|أمس|어제|昨日|昨天)(?=\s|,|$)/iu;
const TODAY = /(?:^|\s)(?:today|heute|aujourd'hui|hoy|oggi|dzisiaj|dziś|hoje|vandaag|idag|i dag|tänään|dnes|bugün|сегодня|сьогодні|σήμερα|hari ini|azi|astăzi|आज|اليوم|오늘|今日|今天)(?=\s|,|$)/iu;
const WEEKDAY = /\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b|\b(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo)\b/i;

const TIME_RE_ALL = /(?<![\d.:])(\d{1,2})(?:[:.h](\d{2}))?(?::(\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?(?=$|[^\d])/gi;

const MONTH_FIRST = new RegExp(`(?<!\\p{L})(${MONTH_RE})(?!\\p{L})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?`, 'iu');
const DAY_FIRST = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\.?\\s+(${MONTH_RE})(?!\\p{L})\\.?(?:,?\\s+(\\d{4}))?`, 'iu');
const MONTH_WORD = new RegExp(`\\b(?:${MONTH_RE})\\b`, 'giu');

function findClock(text: string): ClockParts | null {
  // A clock is digits: most texts a page holds have none, and the rest of the search is costly.
  if (!/\d/.test(text)) return null;
  let zone: string | null = null;
  let namedOffset: string | null = null;
  let zoneWord: string | null = null;
  // "30 de marzo de 2025", "25 de novembro de 2025" → "30 marzo 2025"
  const s = text.replace(/\b(\d{1,2})\s+de\s+(\p{L}+)(?:\s+de\s+(\d{4}))?/giu, (_, d: string, m: string, y: string | undefined) => `${d} ${m}${y ? ` ${y}` : ''}`);
  let rest = s;
  const zm = /\b(GMT|UTC)\s*([+-]\d{1,2})(?::?(\d{2}))?\b/i.exec(rest);
  if (zm) {
    const sign = zm[2]!.startsWith('-') ? '-' : '+';
    zone = `${sign}${zm[2]!.replace(/[+-]/, '').padStart(2, '0')}:${zm[3] ?? '00'}`;
    if (!realOffset(zone)) return null;
    rest = rest.replace(zm[0], ' ');
  } else {
    for (const word of rest.match(/\b[A-Z]{1,5}\b/g) ?? []) {
      const z = ZONE_ABBREVIATIONS[word];
      if (z) {
        zone = z;
        zoneWord = word;
        namedOffset = NAMED_OFFSETS[word] ?? null;
        rest = rest.replace(new RegExp(`\\b${word}\\b`), ' ');
        break;
      }
    }
  }

  let date: ClockParts['date'] = null;
  let slashOrder: ClockParts['slashOrder'] = null;
  const monthFirst = MONTH_FIRST.exec(rest);
  const dayFirst = DAY_FIRST.exec(rest);
  // 25.11.2025 and (outside the US) 25/11/2025; 2025-11-25.
  const numeric = /\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/.exec(rest) ?? /\b(\d{4})[-./](\d{1,2})[-./](\d{1,2})\b/.exec(rest);
  if (dayFirst) {
    date = [Number(dayFirst[1]), dayFirst[3] ? Number(dayFirst[3]) : null, MONTHS[dayFirst[2]!.toLowerCase()]!];
    rest = rest.replace(dayFirst[0], ' ');
  } else if (monthFirst) {
    date = [Number(monthFirst[2]), monthFirst[3] ? Number(monthFirst[3]) : null, MONTHS[monthFirst[1]!.toLowerCase()]!];
    rest = rest.replace(monthFirst[0], ' ');
  } else if (numeric) {
    const [a, b] = [Number(numeric[1]), Number(numeric[2])];
    date = numeric[1]!.length === 4
      ? [Number(numeric[3]), a, b - 1]
      : [a, Number(numeric[3]), b - 1];
    // 05/07/2025: July in most of the world, May in the US — settled by the zone below.
    if (numeric[0].includes('/')) slashOrder = a > 12 ? 'day-first' : b > 12 ? 'month-first' : 'unknown';
    rest = rest.replace(numeric[0], ' ');
  }

  // The first number with minutes or a.m./p.m.: a day or count before it is not the clock.
  const tm = [...rest.matchAll(TIME_RE_ALL)].find((m) => m[2] !== undefined || m[4] !== undefined);
  if (!tm) return null;
  const after = rest.slice(tm.index + tm[0].length);
  const token = /^\s*\(?([A-Z]{2,5})\b/.exec(after)?.[1];
  const unknownZone = zone === null && token && !/^(?:UHR|AM|PM)$/i.test(token) ? token : null;
  const [, hs, mins, secs, ampm] = tm;
  let hour = Number(hs);
  const minute = Number(mins ?? 0);
  if (minute > 59 || hour > 24) return null;
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    const pm = ampm.toLowerCase().startsWith('p');
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  const dayShift = YESTERDAY.test(s) ? -1 : TODAY.test(s) ? 0 : null;
  return { hour, minute, second: Number(secs ?? 0), date, zone, zoneWord, dayShift, unknownZone, namedOffset, weekdayOnly: !date && dayShift === null && WEEKDAY.test(s), slashOrder };
}

/**
 * A wall-clock time in a zone as an instant, refusing times that do not exist (the hour skipped
 * when clocks go forward) or exist twice (the hour repeated when they go back).
 */
function wallToUtc(zone: string, y: number, mo: number, d: number, h: number, mi: number, s = 0): number | 'invalid' | 'ambiguous' {
  const t = zonedToUtc(zone, y, mo, d, h, mi, s);
  if (zone === 'UTC' || /^[+-]\d{2}:\d{2}$/.test(zone)) return t;
  const wall = (ms: number): string => {
    const z = new TZDate(ms, zone);
    return `${z.getFullYear()}-${z.getMonth()}-${z.getDate()} ${z.getHours()}:${z.getMinutes()}`;
  };
  const day = new Date(Date.UTC(y, mo, d));
  const want = `${day.getUTCFullYear()}-${day.getUTCMonth()}-${day.getUTCDate()} ${h}:${mi}`;
  if (wall(t) !== want) return 'invalid';
  if (wall(t - 3_600_000) === want || wall(t + 3_600_000) === want) return 'ambiguous';
  return t;
}

type Resolved = number | 'needs-zone' | 'invalid' | 'ambiguous' | 'needs-date';

function resolveClock(c: ClockParts, ctx: TimeContext): Resolved {
  // An ambiguous zone name is read only when the page's own zone is one of its meanings.
  if (c.unknownZone && !(ctx.timeZone && AMBIGUOUS_ZONES[c.unknownZone]?.includes(ctx.timeZone))) return 'needs-zone';
  if (c.weekdayOnly) return 'needs-date';
  const named = c.zoneWord ? zoneNamed(c.zoneWord, ctx.timeZone) : null;
  const zone = named ?? c.zone ?? ctx.timeZone;
  // "BST" fixes +01:00 in Britain; in Bangladesh it is Dhaka's own time.
  const namedOffset = named === ZONE_ABBREVIATIONS[c.zoneWord ?? ''] ? c.namedOffset : null;
  if (!zone) return 'needs-zone';
  const reference = ctx.clockReference && ctx.clockReference < ctx.capturedAt ? ctx.clockReference : ctx.capturedAt;
  const cap = reference.getTime();
  const at = (y: number, mo: number, d: number): Resolved => {
    if (!validDateTime(y, mo, d, c.hour, c.minute, c.second)) return 'invalid';
    const t = wallToUtc(zone, y, mo, d, c.hour, c.minute, c.second);
    return t === 'ambiguous' && namedOffset ? wallToUtc(namedOffset, y, mo, d, c.hour, c.minute, c.second) : t;
  };
  /**
   * The latest candidate day not after the capture (give or take clock skew). A candidate that
   * does not exist, or exists twice, is still the one meant: it makes the answer unknown, not
   * another day.
   */
  const latest = (days: Array<[number, number, number]>): Resolved => {
    const meant = days.map(([y, mo, d]) => ({ nominal: zonedToUtc(zone, y, mo, d, c.hour, c.minute, c.second), y, mo, d }))
      .filter((x) => x.nominal <= cap + CLOCK_SKEW_MS)
      .sort((a, b) => b.nominal - a.nominal)[0];
    return meant ? at(meant.y, meant.mo, meant.d) : 'invalid';
  };
  const [cy, cm, cd] = zonedDate(zone, reference);
  if (c.date) {
    let [day, year, month] = c.date;
    // Slashed dates are month first in the Americas' US-style zones, day first elsewhere.
    const monthFirst = c.slashOrder === 'month-first' || (c.slashOrder === 'unknown' && zone.startsWith('America/') && !/Sao_Paulo|Argentina|Bogota|Lima|Santiago|Caracas|Montevideo|Mexico_City/.test(zone));
    if (monthFirst) [day, month] = [month + 1, day - 1];
    if (year !== null) return at(year, month, day);
    // A date without a year: the latest such date not after the capture.
    return latest([[cy + 1, month, day], [cy, month, day], [cy - 1, month, day]]);
  }
  // Days next to the capture day, as real dates (31 December + 1 is 1 January).
  const near = (shift: number): [number, number, number] => {
    const t = new Date(Date.UTC(cy, cm, cd + shift));
    return [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()];
  };
  if (c.dayShift !== null) return at(...near(c.dayShift));
  return latest([near(1), near(0), near(-1)]);
}

const ENGLISH_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Digits of other scripts (Arabic-Indic, Persian, full-width) as ASCII. */
function asciiDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c - (c >= 0xff10 ? 0xff10 : c >= 0x06f0 ? 0x06f0 : 0x0660));
  });
}

const ARABIC_UNITS: Array<[RegExp, string]> = [[/دقيقة|دقائق|دقيقتين/u, 'min'], [/ساعة|ساعات|ساعتين/u, 'hours'], [/ثانية|ثوان/u, 's'], [/يوم|أيام|يومين/u, 'days']];

/**
 * Times written in scripts the parser reads through English: Japanese, Chinese and Korean dates,
 * clocks and "5分前"/"5분 전"; Arabic "منذ 5 دقائق" and ص/م; other digits as ASCII.
 */
function toLatinTime(text: string): string {
  return asciiDigits(text)
    .replace(/(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]/g, (_, y: string, m: string, d: string) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')} `)
    .replace(/(\d{1,2})月\s*(\d{1,2})日/g, (_, m: string, d: string) => `${d} ${ENGLISH_MONTHS[Number(m) - 1] ?? ''} `)
    .replace(/(午前|午後|上午|下午)?\s*(\d{1,2})[時时](\d{1,2})分/g, (_, half: string | undefined, h: string, m: string) =>
      `${h}:${m.padStart(2, '0')}${half ? (half === '午後' || half === '下午' ? ' pm' : ' am') : ''}`)
    .replace(/(오전|오후)\s*(\d{1,2}:\d{2})/g, (_, half: string, t: string) => `${t} ${half === '오후' ? 'pm' : 'am'}`)
    .replace(/(\d{1,2}:\d{2})\s*(ص|م)(?!\p{L})/gu, (_, t: string, half: string) => `${t} ${half === 'م' ? 'pm' : 'am'}`)
    .replace(/^(\d+)\s*(?:分钟?|분)\s*(?:前|전)$/u, '$1 min ago')
    .replace(/^(\d+)\s*(?:時間|小时|小時|시간)\s*(?:前|전)$/u, '$1 hours ago')
    .replace(/^(\d+)\s*(?:秒|초)\s*(?:前|전)$/u, '$1 s ago')
    .replace(/^(\d+)\s*(?:日|天|일)\s*(?:前|전)$/u, '$1 days ago')
    .replace(/^(?:方才|刚刚|剛剛|たった今|방금)$/u, 'just now')
    .replace(/^منذ\s+(\d+\s+)?(\p{L}+)$/u, (all, n: string | undefined, unit: string) => {
      const u = ARABIC_UNITS.find(([re]) => re.test(unit));
      if (!u) return all;
      return `${n ? n.trim() : /تين|يومين/u.test(unit) ? '2' : '1'} ${u[1]} ago`;
    })
    .trim();
}

/**
 * Resolve any timestamp form seen on live pages to UTC ISO-8601 with milliseconds.
 * Returns null (and records a warning) rather than guess a wrong instant.
 */
export function resolveTime(raw: string | number | null | undefined, ctx: TimeContext): string | null {
  if (raw === null || raw === undefined) return null;
  const s = toLatinTime(String(raw).replace(/[\s\u00a0]+/g, ' ').trim());
  if (s === '') return null;

  const candidates: Array<() => Resolved | null> = [
    () => parseEpoch(s),
    () => parseIso(s, ctx) ?? (ISO_LIKE.test(s) ? 'invalid' : null),
    () => parseJsDateString(s),
    () => parseRelative(s, ctx.capturedAt),
    () => {
      const c = findClock(s);
      return c ? resolveClock(c, ctx) : null;
    },
  ];
  for (const attempt of candidates) {
    const r = attempt();
    if (r === null) continue;
    if (r === 'needs-zone') {
      ctx.warnings.push(`time "${s}" has no time zone and the page's zone is unknown; left empty`);
      return null;
    }
    if (r === 'invalid') {
      ctx.warnings.push(`time "${s}" is not a real date or time (or falls in the hour skipped when clocks change); left empty`);
      return null;
    }
    if (r === 'ambiguous') {
      ctx.warnings.push(`time "${s}" falls in the hour that repeats when clocks go back; left empty`);
      return null;
    }
    if (r === 'needs-date') {
      ctx.warnings.push(`time "${s}" names a weekday but not which date; left empty`);
      return null;
    }
    const iso = toIso(r);
    if (iso === null) {
      ctx.warnings.push(`time "${s}" is out of range; left empty`);
      return null;
    }
    return iso;
  }
  ctx.warnings.push(`time "${s}" was not understood; left empty`);
  return null;
}

/** Checks a zone name or offset read from a page before it is trusted. */
export function normalizeZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  const z = zone.trim();
  return isValidZone(z) ? z : null;
}

/** The IANA zone a printed zone name stands for ("ET" → America/New_York), if known. */
export function zoneForAbbreviation(abbreviation: string): string | null {
  return ZONE_ABBREVIATIONS[abbreviation.toUpperCase()] ?? null;
}

/** A date with no time, the way pages head a day's entries: "Dienstag, 27. August 2024", "30 березня 2025, неділя". */
const DAY_HEADING = /^(?:[\p{L}]+,?\s+)?\d{1,2}\.?\s+[\p{L}]+\.?\s+\d{4}(?:,?\s+[\p{L}]+)?$|^(?:[\p{L}]+,?\s+)?[\p{L}]+\s+\d{1,2},?\s+\d{4}$|^\d{1,2}\.\d{1,2}\.\d{4}$/u;

export function isDayHeading(text: string): boolean {
  return DAY_HEADING.test(text);
}

const WEEKDAY_WORD = '(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag';
const DATE_ONLY = new RegExp(`^(?:(?:${WEEKDAY_WORD})\\.?,?\\s+)?(?:(?:${MONTH_RE})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|\\d{1,2}(?:st|nd|rd|th)?\\.?\\s+(?:${MONTH_RE})\\.?(?:,?\\s+\\d{4})?|\\d{1,2}[./]\\d{1,2}[./](?:\\d{4}|\\d{2})|\\d{4}-\\d{2}-\\d{2})$`, 'iu');

/**
 * A short text that is a day and nothing else ("Feb 26", "giovedì 19 giugno", "25.11.2025",
 * "Gisteren", "Yesterday"): the day a clock beside it, or under it, belongs to.
 */
export function isDateOnly(text: string): boolean {
  if (text.length > 40) return false;
  const s = toLatinTime(text.replace(/[\s\u00a0]+/g, ' ').trim());
  const dayWord = s.replace(YESTERDAY, ' ').replace(TODAY, ' ').trim() === '' && s !== '';
  return DATE_ONLY.test(s) || isDayHeading(s) || dayWord;
}

/** A clock that does not say which day ("11:12 (IST)", "2.05pm"), unlike "Feb 26 11:12", "gestern 14:05" or "5 min ago". */
export function isBareClock(text: string): boolean {
  const s = toLatinTime(text.replace(/[\s\u00a0]+/g, ' ').trim());
  if (parseRelative(s, new Date(0)) !== null) return false;
  const c = findClock(s);
  return c !== null && c.date === null && c.dayShift === null && !c.weekdayOnly;
}

/**
 * Whether a short text is a time and little else ("14:05", "12 min ago", "vor 5 Minuten",
 * "May 20, 2025 3:05 PM", "9:12 a.m. CDT"): how a page shows a post's time in a leaf element.
 */
export function looksLikeTime(text: string): boolean {
  // Most texts a page holds are far longer than any time: not worth normalising.
  if (text.length > 80) return false;
  const s = toLatinTime(text.replace(/[\s\u00a0]+/g, ' ').trim());
  if (s.length === 0 || s.length > 40) return false;
  if (parseRelative(s, new Date(0)) !== null) return true;
  const c = findClock(s);
  if (!c) return false;
  // Zone names are capitals ("IST", "CET"): told apart from short words case-sensitively.
  const words = s.replace(/\d+/g, ' ').replace(MONTH_WORD, ' ').replace(/\b(?:a\.?m\.?|p\.?m\.?|uhr|h)\b/gi, ' ')
    .replace(/\b[A-Z]{2,5}\b/g, ' ').match(/\p{L}{2,}/gu) ?? [];
  return words.length <= 2;
}

import stringWidth from 'string-width';

/** Longest text cell when the terminal's width is unknown (piped with --format table). */
const MAX_CELL = 60;
/** Below this a column stops giving up room to others (or its header's width, if wider). */
const MIN_TEXT = 8;
const GAP = 2;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const isUrl = (s: string): boolean => /^https?:\/\/\S+$/.test(s);

/** A value as one line of table text. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.replace(/\s+/g, ' ');
}

/** The longest start of `text` that, with "…", takes at most `width` columns: whole graphemes only (no half emoji). */
export function cutToWidth(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** The longest end of `text` that, after "…", takes at most `width` columns (a path's file name stays). */
export function cutStart(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  const graphemes = [...segmenter.segment(text)].map((s) => s.segment);
  let tail = '';
  for (let i = graphemes.length - 1; i >= 0 && stringWidth(graphemes[i]! + tail) <= width - 1; i--) tail = graphemes[i]! + tail;
  return `…${tail}`;
}

/** A URL cut in the middle, keeping its origin and its end: "https://www.cnn.com/…/index.html". */
export function cutUrl(url: string, width: number): string {
  if (stringWidth(url) <= width) return url;
  const graphemes = [...segmenter.segment(url)].map((s) => s.segment);
  const origin = /^https?:\/\/[^/]*\/?/.exec(url)![0];
  const headWidth = Math.min(width - 9, Math.max(stringWidth(origin), Math.ceil((width - 1) * 0.55)));
  const head = cutToWidth(url, headWidth + 1).slice(0, -1);
  let tail = '';
  for (let i = graphemes.length - 1; i >= 0 && stringWidth(graphemes[i]! + tail) <= width - 1 - stringWidth(head); i--) tail = graphemes[i]! + tail;
  return `${head}…${tail}`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

export interface TableLayout {
  /** The terminal's width; none: cut long text at MAX_CELL columns and never drop a column. */
  width?: number;
  /** Columns shown only when the table fits with them, dropped in this order. */
  optional?: string[];
  /** Columns never cut: what people copy into another command (a post id for `history`). */
  whole?: string[];
  /** Colour for a cell, applied after it is cut and padded to width. */
  paint?: (column: string, text: string) => string;
}

type Kind = 'prose' | 'url' | 'time' | 'word';

interface Column {
  name: string;
  cells: string[];
  kind: Kind;
  natural: number;
  /** Narrowest it may be made. */
  min: number;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
/** Which columns give up room first: running text, then URLs, then the rest (ids, times, counts). */
const GIVES: Record<Kind, number> = { prose: 2, url: 1, time: 0, word: 0 };
/**
 * Widths a column keeps while the table is "comfortable"; below them, optional columns go.
 * Running text keeps more room while an optional column could still give way to it.
 */
const COMFORT: Record<Kind, number> = { prose: 18, url: 40, time: Infinity, word: Infinity };
const COMFORT_WITH_OPTIONAL = 30;

function kindOf(cells: string[]): Kind {
  const some = cells.filter(Boolean);
  if (some.length > 0 && some.every(isUrl)) return 'url';
  if (some.length > 0 && some.every((c) => ISO_TIME.test(c))) return 'time';
  return some.some((c) => c.includes(' ')) ? 'prose' : 'word';
}

function column(name: string, cells: string[]): Column {
  // A URL is never cut to MAX_CELL (people copy them); other text is.
  const longest = Math.max(0, ...cells.map((c) => (isUrl(c) ? stringWidth(c) : Math.min(stringWidth(c), MAX_CELL))));
  const natural = Math.max(stringWidth(name), longest);
  return { name, cells, kind: kindOf(cells), natural, min: Math.max(stringWidth(name), Math.min(natural, MIN_TEXT)) };
}

/** "2025-11-25T15:02:14.482Z" → "2025-11-25 15:02": times to the minute, when room is short. */
function compactTimes(cols: Column[]): Column[] {
  return cols.map((c) => (c.kind === 'time' ? { ...column(c.name, c.cells.map((v) => v && `${v.slice(0, 10)} ${v.slice(11, 16)}`)), kind: 'time' } : c));
}

/** Shrink the columns that give most, widest first, until the table fits `width`; null if it cannot. */
function fit(cols: Column[], width: number, floor: (c: Column) => number): number[] | null {
  const widths = cols.map((c) => c.natural);
  let total = widths.reduce((a, b) => a + b, 0) + GAP * (cols.length - 1);
  while (total > width) {
    let pick = -1;
    for (let i = 0; i < cols.length; i++) {
      if (widths[i]! <= floor(cols[i]!)) continue;
      const better = pick < 0 || GIVES[cols[i]!.kind] > GIVES[cols[pick]!.kind] || (GIVES[cols[i]!.kind] === GIVES[cols[pick]!.kind] && widths[i]! > widths[pick]!);
      if (better) pick = i;
    }
    if (pick < 0) return null;
    widths[pick]!--;
    total--;
  }
  return widths;
}

/**
 * The columns and widths for a terminal: the fullest table that fits comfortably (times to
 * the second, every optional column), giving up first the seconds of times, then optional
 * columns one by one; if none fits, every column shrunk as far as it goes.
 */
function layoutFor(all: Column[], width: number, optional: string[]): { cols: Column[]; widths: number[] } {
  let cols = all;
  for (let dropped = 0; ; dropped++) {
    const optionalLeft = cols.some((c) => optional.includes(c.name));
    const comfortable = (c: Column): number => Math.max(c.min, Math.min(c.natural, c.kind === 'prose' && optionalLeft ? COMFORT_WITH_OPTIONAL : COMFORT[c.kind]));
    for (const candidate of [cols, compactTimes(cols)]) {
      const widths = fit(candidate, width, comfortable);
      if (widths) return { cols: candidate, widths };
    }
    const drop = optional[dropped];
    if (drop === undefined) break;
    cols = cols.filter((c) => c.name !== drop);
  }
  cols = compactTimes(cols);
  // Too narrow even so: every column at its least, and lines may wrap.
  return { cols, widths: fit(cols, width, (c) => c.min) ?? cols.map((c) => c.min) };
}

/**
 * Rows as aligned lines that fit the terminal: widths measured in display columns (CJK and
 * emoji count double), text cut at grapheme boundaries, URLs cut in the middle.
 */
export function* tableLines(rows: Array<Record<string, unknown>>, columns: string[], layout: TableLayout = {}): Iterable<string> {
  if (rows.length === 0) {
    yield '(none)\n';
    return;
  }
  let cols = columns.map((name) => column(name, rows.map((r) => cellText(r[name]))))
    .map((c) => (layout.whole?.includes(c.name) ? { ...c, min: c.natural } : c));
  let widths = cols.map((c) => c.natural);
  if (layout.width !== undefined) ({ cols, widths } = layoutFor(cols, layout.width, layout.optional ?? []));
  const paint = layout.paint ?? ((_: string, t: string) => t);
  const line = (cells: string[], painted: boolean): string => `${cells.map((v, i) => {
    const cut = isUrl(v) ? cutUrl(v, widths[i]!) : cutToWidth(v, widths[i]!);
    const text = i === cells.length - 1 ? cut : pad(cut, widths[i]!);
    return painted ? paint(cols[i]!.name, text) : text;
  }).join(' '.repeat(GAP)).trimEnd()}\n`;
  yield line(cols.map((c) => c.name), false);
  yield line(widths.map((w) => '-'.repeat(w)), false);
  for (let r = 0; r < rows.length; r++) yield line(cols.map((c) => c.cells[r]!), true);
  // Say what the width cost: a reader who counts on a column should know where to find it.
  const left = columns.filter((name) => !cols.some((c) => c.name === name));
  if (left.length > 0) yield `${cutToWidth(`(not shown at this width: ${left.join(', ')}; --json has every field)`, layout.width ?? Infinity)}\n`;
}

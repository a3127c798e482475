import cliProgress from 'cli-progress';
import stringWidth from 'string-width';
import type { Sink } from '../export/sink.js';
import type { Io } from './io.js';
import type { Progress } from './progress.js';
import { cutStart } from './table.js';

/**
 * The terminal cli-progress draws on (its `terminal` option): its own saves the cursor when the
 * bar starts and jumps back there when it stops, which would erase a line printed meanwhile.
 * This one draws the bar on the current line, always.
 */
function barLine(stream: Sink, width: number): Record<string, unknown> {
  const write = (s: string): void => void stream.write(s);
  return {
    isTTY: () => true,
    getWidth: () => width,
    write,
    cursorTo: () => write('\r'),
    clearRight: () => write('\u001b[K'),
    clearLine: () => write('\r\u001b[K'),
    newline: () => write('\n'),
    cursorSave: () => undefined,
    cursorRestore: () => undefined,
    cursor: () => undefined,
    lineWrapping: () => undefined,
  };
}

/**
 * The bar, drawn by cli-progress (at most 10 times a second) and erased at the end, so that
 * what remains on the terminal is the lines, as when piped.
 */
export function startBar(io: Io, total: number, unit: string): Progress {
  const width = (io.stderr as { columns?: number }).columns ?? 80;
  const barsize = Math.max(10, Math.min(30, width - 60));
  // What the label may take: the line less the bar, the counts and the time left ("12m30s").
  const room = Math.max(10, width - 1 - barsize - stringWidth(` ${total}/${total} ${unit} | 00m00s left | `));
  // `terminal` is a documented option that the type definitions lack.
  const bar = new cliProgress.SingleBar({
    terminal: barLine(io.stderr, width),
    format: `{bar} {value}/{total} ${unit} | {eta_formatted} left | {label}`,
    barsize,
    hideCursor: false,
    clearOnComplete: true,
    linewrap: null,
    // Lines printed above erase it; it must come back even when its text has not changed.
    forceRedraw: true,
    etaBuffer: 20,
  } as cliProgress.Options, cliProgress.Presets.shades_classic);
  let label = '';
  bar.start(total, 0, { label });
  return {
    tick(done) {
      // Cut here, at a grapheme boundary, keeping the end (a file's name) to fit beside the bar.
      label = cutStart(done, room);
      bar.increment(1, { label });
    },
    line(sink, text) {
      io.stderr.write('\r\u001b[K');
      sink.write(`${text}\n`);
      bar.render();
    },
    stop() {
      bar.stop();
    },
  };
}

import type { Sink } from '../export/sink.js';
import type { Io } from './io.js';

/** A progress bar on stderr for work over many items, with lines printed above it. */
export interface Progress {
  /** One more item done; `label` says which. */
  tick(label: string): void;
  /** Print a line (to stdout or stderr) above the bar, which is drawn again below it. */
  line(sink: Sink, text: string): void;
  stop(): void;
}

/**
 * A bar when stderr is a terminal and there is more than one item, unless quiet; otherwise
 * lines are just printed. The bar's modules (cli-progress, string-width: ~40 ms to load) are
 * loaded only to draw one, so a run in cron or a pipe never pays for them.
 */
export async function startProgress(io: Io, total: number, unit: string, options: { quiet?: boolean } = {}): Promise<Progress> {
  const plain: Progress = { tick: () => undefined, line: (sink, text) => void sink.write(`${text}\n`), stop: () => undefined };
  if (options.quiet || io.stderr.isTTY !== true || total < 2) return plain;
  return (await import('./progress-bar.js')).startBar(io, total, unit);
}

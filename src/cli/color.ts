import { createColors } from 'picocolors';
import type { Io } from './io.js';

export type Colors = ReturnType<typeof createColors>;

/**
 * Colours for one of the run's streams: only on a terminal, and never with --no-color or a
 * non-empty NO_COLOR (https://no-color.org) or TERM=dumb.
 */
export function colors(io: Io, stream: 'stdout' | 'stderr'): Colors {
  const env = io.env ?? {};
  return createColors(io[stream].isTTY === true && !io.noColor && !env['NO_COLOR'] && env['TERM'] !== 'dumb');
}

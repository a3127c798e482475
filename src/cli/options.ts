import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { resolveTime } from '../parse/time.js';
import type { Io } from './io.js';

export const DEFAULT_DB = 'livearchive.db';

/** --db, the same on every command: the archive file, default $LIVEARCHIVE_DB or ./livearchive.db. */
export function withDbOption(cmd: Command): Command {
  return cmd.option('--db <path>', `archive file (default: $LIVEARCHIVE_DB, else ./${DEFAULT_DB})`);
}

export function dbPath(opts: { db?: string }, io: Io): string {
  return opts.db ?? io.env?.['LIVEARCHIVE_DB'] ?? DEFAULT_DB;
}

export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';

/** The output flags every read command shares. */
export function withOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format (default: table on a terminal, json when piped)').choices(['table', 'json', 'ndjson', 'csv']))
    .option('--json', 'same as --format json')
    .option('--nl', 'same as --format ndjson (one JSON object per line)')
    .option('--csv', 'same as --format csv');
}

export interface OutputFlags {
  format?: OutputFormat;
  json?: boolean;
  nl?: boolean;
  csv?: boolean;
}

export function outputFormat(opts: OutputFlags, io: Io): OutputFormat {
  const forced = [opts.json && 'json', opts.nl && 'ndjson', opts.csv && 'csv', opts.format].filter(Boolean) as OutputFormat[];
  if (new Set(forced).size > 1) throw new UsageError(`choose one output format (got ${[...new Set(forced)].join(', ')})`);
  return forced[0] ?? (io.stdout.isTTY ? 'table' : 'json');
}

/** An ISO time from the command line; one without a zone is UTC. */
export function parseIsoOption(flag: string, value: string): Date {
  const iso = resolveTime(value, { capturedAt: new Date(0), timeZone: 'UTC', warnings: [] });
  if (!iso || !/^\d{4}-\d{2}-\d{2}/.test(value.trim())) throw new UsageError(`${flag} wants an ISO date-time such as 2025-11-25T15:10:00Z (got "${value}")`);
  return new Date(iso);
}

export function parseUrlOption(flag: string, value: string): string {
  try {
    const u = new URL(value);
    if (/^https?:$/.test(u.protocol)) return u.href;
  } catch {
    // reported below
  }
  throw new UsageError(`${flag} wants an http(s) URL (got "${value}")`);
}

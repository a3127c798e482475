import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { run } from '../src/cli/main.js';
import { parsePage, type ParseOptions } from '../src/parse/index.js';
import type { ParsedPage } from '../src/types.js';

export const ROOT = resolve(import.meta.dirname, '..');
/** Real pages live beside the checkout, never in it. */
export const SHARED = resolve(ROOT, '../shared');
export const SEEDS = join(SHARED, 'seeds');
export const CORPUS = join(SHARED, 'corpus');
export const FIXTURES = join(ROOT, 'fixtures');

export function readPage(path: string): Buffer {
  const bytes = readFileSync(path);
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

export function parseFile(path: string, capturedAt: string, url?: string, options: ParseOptions = {}): ParsedPage {
  return parsePage({ source: path, bytes: readPage(path), capturedAt: new Date(capturedAt), ...(url ? { url } : {}) }, options);
}

/** The first row a query gives, read from an archive opened read-only, as a user would with sqlite3. */
export function dbRow<T>(db: string, sql: string): T {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).get() as T;
  } finally {
    d.close();
  }
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'livearchive-test-'));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(isTTY: boolean): PassThrough & { text(): string; isTTY: boolean } {
  const s = new PassThrough() as PassThrough & { text(): string; isTTY: boolean };
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  s.text = () => Buffer.concat(chunks).toString('utf8');
  s.isTTY = isTTY;
  return s;
}

/**
 * Run the CLI in-process, as a user would from a shell (stdout not a terminal unless asked;
 * `columns`: the terminal's width; `ttyErr`: stderr is a terminal too).
 */
export async function cli(args: string[], options: { stdin?: Buffer | string; env?: Record<string, string>; tty?: boolean; columns?: number; ttyErr?: boolean } = {}): Promise<CliResult> {
  const stdout = collector(options.tty ?? false);
  const stderr = collector(options.ttyErr ?? false);
  if (options.columns) Object.assign(stdout, { columns: options.columns }) && Object.assign(stderr, { columns: options.columns });
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const code = await run(args, { stdout, stderr, stdin, env: options.env ?? {} });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

export function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { InputError, LiveArchiveError } from '../errors.js';
import type { Capture, FetchInfo } from '../types.js';
import { FetchError, type Fetcher, type Validators } from './http.js';
import { displayPath, fileStream, isUrl, listPageFiles, peekStream, readFileCapture, readHead, readStdinCapture, resolveLocalPath, sniff, type LocalOptions, type LocalPath } from './local.js';
import type { Renderer } from './render.js';
import type { WarcItem, WarcRevisit, WarcTally } from './warc.js';

export interface AcquireOptions extends LocalOptions {
  stdin?: NodeJS.ReadableStream;
  /** Fetches http(s) sources; without one, URLs are refused. */
  fetcher?: Fetcher;
  /** The validators of a URL's last capture, for conditional requests. */
  validators?: (url: string) => Validators | Promise<Validators>;
  /** How many URLs are fetched at the same time (each host still gets its own limit). */
  concurrency?: number;
  /** Loads URLs in a browser and captures the DOM it renders (`--render`). */
  renderer?: Renderer;
}

/** One source's outcome (or, for a WARC or WACZ, one record's). Failures do not stop the other sources. */
export type Acquired =
  /** A page, with the pages captured together with it; `optional` says why it is skipped rather than failed if no adapter reads it. */
  | { kind: 'capture'; capture: Capture; parts?: Capture[]; optional?: string }
  | { kind: 'revisit'; revisit: WarcRevisit }
  /** Not a page: a file in a directory, a WARC record; with the reason. */
  | { kind: 'skipped'; source: string; reason: string }
  /** A WARC or WACZ read to its end (complete) or to damage: what its records were. */
  | { kind: 'container'; source: string; tally: WarcTally; complete: boolean }
  | { kind: 'not-modified'; source: string; fetch: FetchInfo; capturedAt: Date }
  | { kind: 'failed'; source: string; error: LiveArchiveError };

export { isUrl };

function failure(source: string, err: unknown): Acquired {
  const error = err instanceof LiveArchiveError ? err : new InputError(source, (err as Error).message, err);
  return { kind: 'failed', source, error };
}

/** --max-page-bytes, for the page records of a WARC. */
function limit(options: AcquireOptions): { maxPageBytes?: number } {
  return options.maxPageBytes ? { maxPageBytes: options.maxPageBytes } : {};
}

/** The records of a WARC (or of the WARCs of a WACZ), then what they were; damage ends it with a failure naming the offset. */
async function* fromWarc(source: string, records: (tally: WarcTally) => AsyncGenerator<WarcItem, WarcTally>, options: AcquireOptions): AsyncIterable<Acquired> {
  if (options.capturedAt || options.url) {
    yield failure(source, new InputError(source, `${options.capturedAt ? '--captured-at' : '--url'} names one capture, and a web archive file holds its own (URLs and WARC-Dates)`));
    return;
  }
  // The WARC and WACZ readers (warcio, yauzl: ~40 ms to load) are loaded only for a web archive.
  const tally = (await import('./warc.js')).emptyTally();
  let complete = true;
  try {
    // A skipped record is only counted (in the tally): a WARC of a whole site skips far more than it keeps.
    for await (const item of records(tally)) if (item.kind !== 'skipped') yield item;
  } catch (err) {
    complete = false;
    yield failure(source, err);
  }
  yield { kind: 'container', source, tally, complete };
}

/** One file: a WARC or WACZ (told by its content, not its name) is read record by record; anything else is one page. */
async function* fromFile(path: LocalPath, options: AcquireOptions, optional?: string): AsyncIterable<Acquired> {
  const name = displayPath(path);
  try {
    const kind = sniff(await readHead(path, name));
    if (kind === 'warc') {
      const file = typeof path === 'string' ? resolve(path) : name;
      const { readWarc } = await import('./warc.js');
      yield* fromWarc(name, (tally) => readWarc(fileStream(path), { name, file, ...limit(options) }, tally), options);
      return;
    }
    if (kind === 'zip') {
      const wacz = await (await import('./wacz.js')).openWacz(path, name, options.maxPageBytes);
      if (wacz) {
        try {
          yield* fromWarc(name, (tally) => wacz.read(tally), options);
        } finally {
          wacz.close();
        }
        return;
      }
    }
    yield { kind: 'capture', capture: await readFileCapture(path, options), ...(optional ? { optional } : {}) };
  } catch (err) {
    yield failure(name, err);
  }
}

/** Stdin: a page, a WARC (streamed) or a WACZ (a ZIP needs its end first: spooled to a temporary file). */
async function* fromStdin(options: AcquireOptions): AsyncIterable<Acquired> {
  const { head, stream } = await peekStream(options.stdin ?? process.stdin);
  const kind = sniff(head);
  if (kind === 'warc') {
    const { readWarc } = await import('./warc.js');
    yield* fromWarc('-', (tally) => readWarc(stream, { name: '-', file: '-', ...limit(options) }, tally), options);
    return;
  }
  if (kind === 'zip') {
    const dir = await mkdtemp(join(tmpdir(), 'livearchive-stdin-'));
    try {
      const spooled = join(dir, 'stdin.wacz');
      await pipeline(Readable.from(stream), createWriteStream(spooled));
      const wacz = await (await import('./wacz.js')).openWacz(spooled, '-', options.maxPageBytes);
      if (wacz) {
        try {
          yield* fromWarc('-', (tally) => wacz.read(tally), options);
        } finally {
          wacz.close();
        }
        return;
      }
      yield* fromFile(spooled, options);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return;
  }
  yield { kind: 'capture', capture: await readStdinCapture(stream, options) };
}

async function* local(source: string, options: AcquireOptions): AsyncIterable<Acquired> {
  if (source === '-') {
    try {
      yield* fromStdin(options);
    } catch (err) {
      yield failure(source, err);
    }
    return;
  }
  const path = await resolveLocalPath(source);
  let isDir = false;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    // Reported with the read below, which gives the precise reason.
  }
  if (!isDir) {
    yield* fromFile(path, options);
    return;
  }
  let listing;
  try {
    listing = await listPageFiles(source);
  } catch (err) {
    yield failure(source, err);
    return;
  }
  for (const s of listing.skipped) yield { kind: 'skipped', source: s.path, reason: s.reason };
  if (listing.files.length === 0) {
    yield failure(source, new InputError(source, 'directory holds no pages or web archives (.html, .htm, .xhtml, .shtml, .gz, .json, .warc, .warc.gz, .wacz)'));
    return;
  }
  if (listing.files.length > 1 && options.capturedAt) {
    yield failure(source, new InputError(source, `--captured-at names one capture, and this directory holds ${listing.files.length} files`));
    return;
  }
  for (const file of listing.files) yield* fromFile(file.path, options, file.optional);
}

async function fetchOne(url: string, options: AcquireOptions): Promise<Acquired> {
  if (!options.fetcher) return failure(url, new FetchError(url, 'URLs cannot be fetched here'));
  try {
    const r = options.renderer
      ? { notModified: false as const, capture: await options.renderer.render(url, options.fetcher) }
      : await options.fetcher.fetchPage(url, await options.validators?.(url) ?? {});
    if (!r.notModified) {
      const { capture } = r;
      return { kind: 'capture', capture: { ...capture, ...(options.url ? { url: options.url } : {}), ...(options.capturedAt ? { capturedAt: options.capturedAt, capturedAtSource: 'option' } : {}) } };
    }
    return { kind: 'not-modified', source: url, fetch: r.fetch, capturedAt: r.capturedAt };
  } catch (err) {
    return failure(url, err);
  }
}

/** Results of `run` over `items`, at most `limit` at a time, in the order they finish. */
async function* pooled<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): AsyncIterable<R> {
  const pending = new Map<number, Promise<{ key: number; value: R }>>();
  let next = 0;
  const start = (): void => {
    const key = next++;
    pending.set(key, run(items[key]!).then((value) => ({ key, value })));
  };
  while (next < items.length && pending.size < limit) start();
  while (pending.size > 0) {
    const { key, value } = await Promise.race(pending.values());
    pending.delete(key);
    if (next < items.length) start();
    yield value;
  }
}

/**
 * Files, directories (recursively), "-" for stdin, and http(s) URLs, one capture at a time:
 * local sources first in the order given, then URLs as their fetches finish.
 */
export async function* acquire(sources: string[], options: AcquireOptions = {}): AsyncIterable<Acquired> {
  for (const source of sources.filter((s) => !isUrl(s))) yield* local(source, options);
  yield* pooled(sources.filter(isUrl), Math.max(1, options.concurrency ?? 4), (url) => fetchOne(url, options));
}

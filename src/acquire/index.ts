import { stat } from 'node:fs/promises';
import { InputError, LiveArchiveError } from '../errors.js';
import type { Capture } from '../types.js';
import { listPageFiles, readFileCapture, readStdinCapture, type LocalOptions } from './local.js';

export interface AcquireOptions extends LocalOptions {
  stdin?: NodeJS.ReadableStream;
}

/** One source's outcome: its capture, or the error that names it. Failures do not stop the others. */
export type Acquired = { ok: true; capture: Capture } | { ok: false; source: string; error: LiveArchiveError };

function failure(source: string, err: unknown): Acquired {
  const error = err instanceof LiveArchiveError ? err : new InputError(source, (err as Error).message, err);
  return { ok: false, source, error };
}

/** Files, directories (recursively) and "-" for stdin, one capture at a time. */
export async function* acquire(sources: string[], options: AcquireOptions = {}): AsyncIterable<Acquired> {
  for (const source of sources) {
    if (source === '-') {
      try {
        yield { ok: true, capture: await readStdinCapture(options.stdin ?? process.stdin, options) };
      } catch (err) {
        yield failure(source, err);
      }
      continue;
    }
    let isDir = false;
    try {
      isDir = (await stat(source)).isDirectory();
    } catch {
      // Reported with the read below, which gives the precise reason.
    }
    let files = [source];
    if (isDir) {
      try {
        files = await listPageFiles(source);
      } catch (err) {
        yield failure(source, err);
        continue;
      }
      if (files.length === 0) yield failure(source, new InputError(source, 'directory holds no .html, .htm or .gz pages'));
    }
    for (const file of files) {
      try {
        yield { ok: true, capture: await readFileCapture(file, options) };
      } catch (err) {
        yield failure(file, err);
      }
    }
  }
}

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { cannotWrite, checkOutputPath } from '../output-path.js';
import type { Archive } from '../store/archive.js';
import { findPage, iteratePages, type PageRecord, type ReadOptions } from '../store/read.js';
import { warcExportChunks, type WarcExportSummary } from './warc.js';
import { exportCsvChunks, type CsvFormulas } from './csv.js';
import { exportDocumentChunks, exportNdjsonChunks } from './json.js';
import { writeAll, type Sink } from './sink.js';

export type ExportFormat = 'json' | 'ndjson' | 'csv' | 'warc';

export interface ExportOptions extends ReadOptions {
  format: ExportFormat;
  /** CSV cells that would run as spreadsheet formulas: escaped (default) or kept. */
  csvFormulas?: CsvFormulas;
  /** The document's generatedAt; defaults to now. */
  generatedAt?: Date;
  /** Called as each post is read for writing (progress displays). */
  onPost?: () => void;
  /** WARC: one gzip member per record (default), or plain; and the name its warcinfo record gives. */
  gzip?: boolean;
  filename?: string;
}

/** What an export wrote, where there is more to say than the output itself (a WARC's captures). */
export interface ExportSummary {
  warc?: WarcExportSummary;
}

/** The pages, with onPost called for each of their posts as it streams by. */
function counted(pages: AsyncIterable<PageRecord>, onPost: () => void): AsyncIterable<PageRecord> {
  return (async function* each() {
    for await (const page of pages) {
      yield { ...page, posts: (async function* posts() {
        for await (const p of page.posts) {
          onPost();
          yield p;
        }
      })() };
    }
  })();
}

/**
 * Stream the archive (or one page) to a sink as a livearchive/1 document, NDJSON posts, CSV rows,
 * or a WARC of the stored captures.
 */
export async function exportPosts(archive: Archive, sink: Sink, options: ExportOptions): Promise<ExportSummary> {
  if (options.format === 'warc') {
    const warc: WarcExportSummary = { captures: 0, records: 0, withoutBytes: 0 };
    const page = options.page ? (await findPage(archive, options.page)).url : undefined;
    await writeAll(sink, warcExportChunks(archive, { ...options, ...(page ? { page } : {}), gzip: options.gzip ?? true, filename: options.filename ?? 'livearchive.warc.gz' }, warc));
    return { warc };
  }
  const read = await iteratePages(archive, options);
  const pages = options.onPost ? counted(read, options.onPost) : read;
  const chunks = options.format === 'ndjson' ? exportNdjsonChunks(pages)
    : options.format === 'csv' ? exportCsvChunks(pages, options.history ?? false, options.csvFormulas)
    : exportDocumentChunks(pages, (options.generatedAt ?? new Date()).toISOString());
  await writeAll(sink, chunks);
  return {};
}

/**
 * Export to a file that appears only once complete: written beside it as
 * "<file>.<random>.partial" and renamed over it, so a failed or interrupted export never leaves
 * a truncated file behind, and an existing file is replaced whole or not at all. The random
 * part keeps two exports to the same file, and a file of the user's named "<file>.partial",
 * out of each other's way.
 */
export async function exportToFile(archive: Archive, path: string, options: ExportOptions): Promise<ExportSummary> {
  checkOutputPath(path);
  const tmp = `${path}.${randomBytes(4).toString('hex')}.partial`;
  const file = createWriteStream(tmp);
  try {
    // Write errors (a missing folder, a full disk) surface here rather than as an unhandled event.
    await Promise.race([once(file, 'open'), once(file, 'error').then(([err]) => { throw err; })]);
    const failed = new Promise<never>((_, reject) => file.once('error', reject));
    const summary = await Promise.race([exportPosts(archive, file, { ...options, filename: options.filename ?? basename(path) }), failed]);
    file.end();
    await finished(file);
    await rename(tmp, path);
    return summary;
  } catch (err) {
    file.destroy();
    await rm(tmp, { force: true });
    const code = (err as { code?: string }).code;
    if (code && /^E[A-Z]+$/.test(code)) throw cannotWrite(path, err);
    throw err;
  }
}

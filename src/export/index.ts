import type { Archive } from '../store/archive.js';
import { iteratePages, type ReadOptions } from '../store/read.js';
import { exportDocumentChunks, exportNdjsonChunks } from './json.js';
import { writeAll, type Sink } from './sink.js';

export type ExportFormat = 'json' | 'ndjson';

export interface ExportOptions extends ReadOptions {
  format: ExportFormat;
  /** The document's generatedAt; defaults to now. */
  generatedAt?: Date;
}

/** Stream the archive (or one page) to a sink as a livearchive/1 document or NDJSON posts. */
export async function exportPosts(archive: Archive, sink: Sink, options: ExportOptions): Promise<void> {
  const pages = iteratePages(archive, options);
  const chunks = options.format === 'ndjson'
    ? exportNdjsonChunks(pages)
    : exportDocumentChunks(pages, (options.generatedAt ?? new Date()).toISOString());
  await writeAll(sink, chunks);
}

import { csvChunks, exportCsvChunks, flatForCsv } from '../export/csv.js';
import { exportDocumentChunks, jsonArrayChunks } from '../export/json.js';
import type { PageRecord } from '../store/read.js';

export type DataFormat = 'json' | 'csv';

/**
 * A view's data as a download, written by the export writers. Gathered whole before it is
 * sent: the archive's statements are shared by every request on the one connection, so a
 * cursor must not stay open across requests (a view's data is one page, one diff or a list).
 */
function response(chunks: Iterable<string>, format: DataFormat, name: string): Response {
  return new Response([...chunks].join(''), {
    headers: {
      'content-type': format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
      'content-disposition': `${format === 'json' ? 'inline' : 'attachment'}; filename="${name}.${format}"`,
    },
  });
}

/** Rows as a JSON array or CSV (every key any row has a column; lists of names joined, structures as JSON). */
export function rowsResponse(rows: Array<Record<string, unknown>>, format: DataFormat, name: string): Response {
  if (format === 'json') return response(jsonArrayChunks(rows), format, name);
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return response(csvChunks(rows.map(flatForCsv), columns), format, name);
}

/** A page (as one capture showed it) as a livearchive/1 document, or CSV rows of its posts. */
export function pageResponse(page: PageRecord, format: DataFormat, generatedAt: Date): Response {
  const chunks = format === 'json' ? exportDocumentChunks([page], generatedAt.toISOString()) : exportCsvChunks([page], false);
  return response(chunks, format, 'page');
}

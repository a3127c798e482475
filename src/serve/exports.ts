import { csvChunks, exportCsvChunks, flatForCsv } from '../export/csv.js';
import { exportDocumentChunks, jsonArrayChunks } from '../export/json.js';
import type { PageRecord } from '../store/read.js';

export type DataFormat = 'json' | 'csv';

/**
 * A view's data as a download, written by the export writers. Gathered whole before it is
 * sent: a view's data is small (one page, one diff or a list), and a cursor left open by a
 * browser that stopped reading would hold a database connection.
 */
async function response(chunks: Iterable<string> | AsyncIterable<string>, format: DataFormat, name: string): Promise<Response> {
  let body = '';
  for await (const chunk of chunks) body += chunk;
  return new Response(body, {
    headers: {
      'content-type': format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
      'content-disposition': `${format === 'json' ? 'inline' : 'attachment'}; filename="${name}.${format}"`,
    },
  });
}

/** Rows as a JSON array or CSV (every key any row has a column; lists of names joined, structures as JSON). */
export function rowsResponse(rows: Array<Record<string, unknown>>, format: DataFormat, name: string): Promise<Response> {
  if (format === 'json') return response(jsonArrayChunks(rows), format, name);
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return response(csvChunks(rows.map(flatForCsv), columns), format, name);
}

/** A page (as one capture showed it) as a livearchive/1 document, or CSV rows of its posts. */
export function pageResponse(page: PageRecord, format: DataFormat, generatedAt: Date): Promise<Response> {
  const chunks = format === 'json' ? exportDocumentChunks([page], generatedAt.toISOString()) : exportCsvChunks([page], false);
  return response(chunks, format, 'page');
}

import type { PageRecord, PostRecord } from '../store/read.js';
import { encodeRows, type RowEncoder } from './encode.js';

export const EXPORT_FORMAT = 'livearchive/1';

/** A JSON array of plain rows, one element at a time; "[]" when there are none. */
export function jsonArrayEncoder(): RowEncoder<unknown> {
  let first = true;
  return {
    row(r) {
      const s = `${first ? '[\n' : ',\n'}${JSON.stringify(r)}`;
      first = false;
      return s;
    },
    end: () => (first ? '[]\n' : '\n]\n'),
  };
}

export function jsonArrayChunks(rows: Iterable<unknown>): Iterable<string> {
  return encodeRows(rows, jsonArrayEncoder());
}

/**
 * The livearchive/1 document: pages with snapshots and posts, written page by page and post
 * by post so that exporting a large archive never holds it in memory.
 */
export async function* exportDocumentChunks(pages: Iterable<PageRecord> | AsyncIterable<PageRecord>, generatedAt: string): AsyncIterable<string> {
  yield `{"format":${JSON.stringify(EXPORT_FORMAT)},"generatedAt":${JSON.stringify(generatedAt)},"pages":[`;
  let firstPage = true;
  for await (const page of pages) {
    const { posts, ...head } = page;
    const headJson = JSON.stringify(head);
    yield `${firstPage ? '\n' : ',\n'}${headJson.slice(0, -1)},"posts":[`;
    firstPage = false;
    let firstPost = true;
    for await (const post of posts) {
      yield `${firstPost ? '\n' : ',\n'}${JSON.stringify(post)}`;
      firstPost = false;
    }
    yield firstPost ? ']}' : '\n]}';
  }
  yield firstPage ? ']}\n' : '\n]}\n';
}

/** NDJSON export: one post per line, each naming its page. */
export async function* exportNdjsonChunks(pages: AsyncIterable<PageRecord>): AsyncIterable<string> {
  for await (const page of pages) {
    for await (const post of page.posts) yield `${JSON.stringify(withPage(page.url, post))}\n`;
  }
}

function withPage(page: string, post: PostRecord): Record<string, unknown> {
  return { page, ...post };
}

/** One JSON object per line. */
export function ndjsonEncoder(): RowEncoder<unknown> {
  return { row: (r) => `${JSON.stringify(r)}\n`, end: () => '' };
}

export function ndjsonChunks(rows: Iterable<unknown>): Iterable<string> {
  return encodeRows(rows, ndjsonEncoder());
}

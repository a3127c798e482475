import { WARCRecord, WARCSerializer } from 'warcio';

/** A small live-blog page of invented text: one post per number, newest first; with a canonical link unless url is null. */
export function harbourPage(posts: number[], url: string | null = HARBOUR): string {
  return `<!doctype html><html><head><title>Harbour live</title>${url ? `<link rel="canonical" href="${url}">` : ''}</head><body><main>${posts.map((n) =>
    `<article id="update-${n}"><time datetime="2025-03-10T${String(8 + n).padStart(2, '0')}:00:00Z"></time><h2>Ferry update ${n}</h2><p>Ferry number ${n} left the harbour with the morning tide.</p></article>`).join('')}</main></body></html>`;
}

export const HARBOUR = 'https://news.example/live/harbour';

/** One WARC response record of an HTML page, serialized (plain, or as its own gzip member). */
export async function htmlResponse(url: string, date: string, html: string, gzip = false): Promise<Buffer> {
  const record = WARCRecord.create({
    url, date, type: 'response', warcVersion: 'WARC/1.1', httpHeaders: { 'Content-Type': 'text/html; charset=utf-8' },
  }, [new TextEncoder().encode(html)]);
  return Buffer.from(await WARCSerializer.serialize(record, { gzip }));
}

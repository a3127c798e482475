import type { Page, Request } from 'playwright-core';
import type { Fetcher, HttpExchange } from './http.js';
import { withTimeout } from './render-wait.js';

/** Headers a WARC's HTTP block cannot hold as Chromium reports them: HTTP/2 pseudo-headers, and Host (the request record writes its own). */
const NOT_RECORDED = /^(?::|host$)/i;

/** Chromium's headers as one value per name (repeated ones joined, as undici joins them), on one line each. */
function headerObject(headers: Array<{ name: string; value: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of headers) {
    if (NOT_RECORDED.test(name)) continue;
    const key = name.toLowerCase();
    const v = value.replace(/[\r\n]+/g, ' ');
    out[key] = key in out ? `${out[key]}, ${v}` : v;
  }
  return out;
}

async function exchangeOf(request: Request): Promise<HttpExchange | null> {
  const response = await request.response();
  if (!response) return null;
  const [requestHeaders, responseHeaders, body] = await Promise.all([
    request.headersArray(), response.headersArray(),
    // A redirect has no body to read.
    response.body().catch(() => Buffer.alloc(0)),
  ]);
  const timing = request.timing();
  const posted = request.postDataBuffer();
  return {
    url: request.url(), method: request.method(), requestHeaders: headerObject(requestHeaders), ...(posted ? { requestBody: posted } : {}),
    date: new Date(timing.startTime > 0 ? timing.startTime + Math.max(0, timing.responseStart) : Date.now()),
    status: response.status(), statusText: response.statusText(), responseHeaders: headerObject(responseHeaders), body,
  };
}

/**
 * Records every exchange the page's browser makes over the network with the fetcher's own
 * (`--warc`), as each completes: the scripts, styles, frames and data a replay of the page needs.
 * Requests livearchive answers itself (`answered`: the page's document, served from the response
 * the fetcher already recorded; navigations kept from leaving) and refused ones are not
 * exchanges. The returned function waits, at most `ms`, for the bodies still being read, and
 * ends the recording: what completes later is not written.
 */
export function recordExchanges(page: Page, fetcher: Fetcher, answered: Set<Request>): (ms: number) => Promise<void> {
  const pending = new Set<Promise<void>>();
  let over = false;
  const onFinished = (request: Request): void => {
    if (answered.has(request) || !/^https?:/i.test(request.url())) return;
    const done: Promise<void> = exchangeOf(request).then((e) => {
      if (e && !over) fetcher.record(e);
    }, () => undefined).finally(() => pending.delete(done));
    pending.add(done);
  };
  page.on('requestfinished', onFinished);
  return async (ms) => {
    page.off('requestfinished', onFinished);
    await withTimeout(Promise.allSettled([...pending]), Math.max(1, ms)).catch(() => undefined);
    over = true;
  };
}

import { expect, it } from 'vitest';
import { describeBackends } from '../backends.js';
import { cli } from '../helpers.js';

/** An invented article whose publisher is what its og:site_name says. */
const article = (publisher: string): string => `<!doctype html><html><head><title>T</title><meta property="og:site_name" content="${publisher}"></head>
  <body><article><h1>A story from ${publisher}</h1><p>The ferry left the harbour on time, and the gulls followed it out past the breakwater.</p></article></body></html>`;

describeBackends('stats', (backend) => {
  it('lists publishers alphabetically whatever their case; names equal but for case in code-point order', async () => {
    const db = await backend.location();
    const publishers = ['BBC News', 'abc', 'Zeit', 'aardvark', 'Éclair', 'bbc news', 'Die Zeit'];
    for (const [i, p] of publishers.entries()) {
      const r = await cli(['ingest', '-', '--url', `https://example.org/story-${i}`, '--db', db], { stdin: article(p) });
      expect(r.code, r.stderr).toBe(0);
    }
    const rows = JSON.parse((await cli(['stats', '--json', '--db', db])).stdout) as Array<{ publisher: string }>;
    expect(rows.map((r) => r.publisher)).toEqual(['aardvark', 'abc', 'BBC News', 'bbc news', 'Die Zeit', 'Éclair', 'Zeit']);
  });
});

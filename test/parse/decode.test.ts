import { describe, expect, it } from 'vitest';
import { decodeHtml } from '../../src/parse/decode.js';

const page = (head: string, body: string): string => `<!doctype html><html><head>${head}</head><body><p>${body}</p></body></html>`;

describe('decodeHtml', () => {
  it('honours <meta charset> for a windows-1252 page', () => {
    const bytes = Buffer.from(page('<meta charset="windows-1252">', 'caf\xe9 \x93quoted\x94 \x80 5'), 'latin1');
    expect(decodeHtml(bytes, 'x').html).toContain('café “quoted” € 5');
  });

  it('honours http-equiv for ISO-8859-2', () => {
    const bytes = Buffer.from(page('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">', '\xb3\xf3d\xbc'), 'latin1');
    expect(decodeHtml(bytes, 'x').html).toContain('łódź');
  });

  it('prefers a BOM over the meta tag, and the transport charset over the page', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page('<meta charset="windows-1252">', 'naïve'), 'utf8')]);
    expect(decodeHtml(bom, 'x')).toMatchObject({ encoding: 'UTF-8' });
    expect(decodeHtml(bom, 'x').html).toContain('naïve');
    const latin = Buffer.from(page('<meta charset="utf-8">', 'na\xefve'), 'latin1');
    expect(decodeHtml(latin, 'x', 'text/html; charset=ISO-8859-1').html).toContain('naïve');
  });

  it('takes undeclared valid UTF-8 as UTF-8', () => {
    expect(decodeHtml(Buffer.from(page('', 'Zürich – “ok”'), 'utf8'), 'x').html).toContain('Zürich – “ok”');
  });

  it('rejects empty and non-HTML input with a message naming what it looks like', () => {
    expect(() => decodeHtml(Buffer.alloc(0), 'a.html')).toThrow('empty input');
    expect(() => decodeHtml(Buffer.from('%PDF-1.7\n\0\0'), 'a.html')).toThrow('looks like a PDF document');
    expect(() => decodeHtml(Buffer.from('just words'), 'a.html')).toThrow('no markup found');
  });
});

import { load } from 'cheerio/slim';
import { renderBody } from '../parse/text.js';

/**
 * A post's stored body HTML, passed again through the allow-list it was sanitized with when
 * archived. An archive is a file that travels: one written elsewhere, or edited by hand, must
 * not be able to put script, handlers or javascript: links in front of a reader. What this
 * livearchive stored comes out unchanged.
 */
export function safeBodyHtml(stored: string): string {
  const nodes = load(stored, { xml: { xmlMode: false, decodeEntities: true } }).root().contents().toArray();
  return renderBody(nodes, null).html;
}

import { fragmentNodes } from '../parse/document.js';
import { renderBody } from '../parse/text.js';

/**
 * A post's stored body HTML, passed again through the allow-list it was sanitized with when
 * archived. An archive is a file that travels: one written elsewhere, or edited by hand, must
 * not be able to put script, handlers or javascript: links in front of a reader. What this
 * livearchive stored comes out unchanged.
 */
export function safeBodyHtml(stored: string): string {
  // Bounded in depth like a page: a hand-made body nested 20,000 deep overflowed the stack.
  return renderBody(fragmentNodes(stored), null).html;
}

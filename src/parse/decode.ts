import { isUtf8 } from 'node:buffer';
import { decodeBuffer } from 'encoding-sniffer';
import { ResultType, Sniffer } from 'encoding-sniffer/sniffer';
import { InputError } from '../errors.js';

/** What a non-HTML input looks like, for a message that helps the user. */
function describeBinary(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 8).toString('latin1');
  if (head.startsWith('%PDF')) return 'a PDF document';
  if (head.startsWith('\x89PNG')) return 'a PNG image';
  if (head.startsWith('\xff\xd8\xff')) return 'a JPEG image';
  if (head.startsWith('GIF8')) return 'a GIF image';
  if (head.startsWith('PK\x03\x04')) return 'a ZIP archive';
  if (head.startsWith('\x1f\x8b')) return 'gzip data';
  return bytes.subarray(0, 1024).includes(0) ? 'binary data' : null;
}

function withoutBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

export interface DecodedHtml {
  html: string;
  encoding: string;
}

/**
 * Bytes → HTML text. The encoding comes, in this order, from a BOM, the transport's
 * Content-Type charset, a <meta charset>/http-equiv within the first 16 KiB (WHATWG
 * prescan, by encoding-sniffer). With no declaration at all, valid UTF-8 is taken as
 * UTF-8 (what saved modern pages are) and anything else as windows-1252.
 */
export function decodeHtml(bytes: Buffer, subject: string, contentType?: string): DecodedHtml {
  if (bytes.length === 0) throw new InputError(subject, 'empty input: no bytes to parse');
  const binary = describeBinary(bytes);
  if (binary) throw new InputError(subject, `not an HTML page (looks like ${binary})`);
  const charset = contentType ? /charset=["']?([\w.:-]+)/i.exec(contentType)?.[1] : undefined;
  const options = { maxBytes: 16_384, transportLayerEncodingLabel: charset };
  const sniffer = new Sniffer(options);
  sniffer.write(bytes);
  const undeclared = sniffer.resultType === ResultType.DEFAULT;
  const encoding = undeclared && isUtf8(bytes) ? 'UTF-8' : sniffer.encoding;
  // Most pages are UTF-8: Node decodes those natively, several times faster than the general decoder.
  const html = encoding === 'UTF-8' ? withoutBom(bytes.toString('utf8')) : decodeBuffer(bytes, { ...options, userEncoding: encoding });
  const head = html.slice(0, 65_536);
  if (!/<[a-z!?/]/i.test(head)) throw new InputError(subject, 'not an HTML page (no markup found)');
  // A document, or at least markup throughout: a text file that mentions a tag or two is not a page.
  const document = /<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title[\s>]/i.test(head);
  if (!document && (head.match(/<(?:p|div|article|section|span|a|h[1-6]|ul|ol|li|img|br|time|figure)\b/gi) ?? []).length < 10) {
    throw new InputError(subject, 'not an HTML page (text with little or no markup)');
  }
  return { html, encoding };
}

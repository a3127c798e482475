import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.js';

/**
 * The largest page accepted, after decompression, by default (--max-page-bytes). Real pages,
 * even saved with their images inlined, stay well below it; parsing holds about 12 times a
 * page's bytes at its peak, so the default keeps a page under half a gigabyte.
 */
export const DEFAULT_MAX_PAGE_BYTES = 32 * 1024 * 1024;

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MiB` : n >= 1024 ? `${Math.round((n / 1024) * 10) / 10} KiB` : `${n} bytes`;
}

/** The one message for a page past the limit, whatever brought it. */
export function tooLarge(max: number): string {
  return `page larger than ${formatBytes(max)} (--max-page-bytes)`;
}

/** Gzip-compressed bytes are recognised by their magic number, whatever the file is called. */
export function maybeGunzip(bytes: Buffer, source: string, max = DEFAULT_MAX_PAGE_BYTES): Buffer {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    if (bytes.length > max) throw new InputError(source, tooLarge(max));
    return bytes;
  }
  try {
    return gunzipSync(bytes, { maxOutputLength: max });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new InputError(source, `${tooLarge(max)} once decompressed`, err);
    throw new InputError(source, `damaged gzip data (${(err as Error).message})`, err);
  }
}

/**
 * Whether bytes begin a WARC record ("WARC/1.0", "WARC/1.1"). Here, not in warc.ts, so that
 * telling a WARC from a page does not load the WARC reader (warcio, ~30 ms).
 */
export function isWarcStart(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 8)).toString('latin1').startsWith('WARC/1.');
}

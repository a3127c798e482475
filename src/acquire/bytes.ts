import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.js';

/** Largest page accepted after decompression: far above any real page, far below a gzip bomb. */
export const MAX_PAGE_BYTES = 64 * 1024 * 1024;

/** Gzip-compressed bytes are recognised by their magic number, whatever the file is called. */
export function maybeGunzip(bytes: Buffer, source: string): Buffer {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_PAGE_BYTES });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new InputError(source, `gzip data decompresses to more than ${MAX_PAGE_BYTES / 1024 / 1024} MiB`, err);
    throw new InputError(source, `damaged gzip data (${(err as Error).message})`, err);
  }
}

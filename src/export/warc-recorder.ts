import { createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { basename } from 'node:path';
import type { HttpExchange } from '../acquire/http.js';
import { LiveArchiveError } from '../errors.js';
import { newRecordId, requestRecord, responseRecord, serialize, warcinfoRecord } from './warc.js';

/**
 * Appends every HTTP exchange of a run to a WARC as it happens (request, then response), as
 * `wget --warc-file` does: an archivist's captures are then a standard WARC as well as an
 * archive. Records are gzipped one per member (plain for a .warc name), so appending to a WARC
 * written before is valid; a new or empty file starts with a warcinfo record.
 */
export class WarcRecorder {
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private constructor(private readonly path: string, private readonly out: WriteStream, private readonly gzip: boolean) {}

  static async open(path: string): Promise<WarcRecorder> {
    const size = await stat(path).then((s) => s.size, () => 0);
    const out = createWriteStream(path, { flags: 'a' });
    try {
      await Promise.race([once(out, 'open'), once(out, 'error').then(([err]) => { throw err; })]);
    } catch (err) {
      throw new LiveArchiveError('E_INPUT', `cannot write the WARC (${(err as Error).message})`, { subject: path, cause: err });
    }
    const recorder = new WarcRecorder(path, out, !/\.warc$/i.test(path));
    if (size === 0) recorder.append([warcinfoRecord(basename(path), 'HTTP exchanges of livearchive ingest/watch, as fetched')]);
    return recorder;
  }

  /** Queue an exchange; records are written in the order exchanges complete. */
  readonly record = (e: HttpExchange): void => {
    const id = newRecordId();
    this.append([
      requestRecord({ url: e.url, date: e.date, method: e.method, headers: e.requestHeaders, ...(e.requestBody ? { body: e.requestBody } : {}), concurrentTo: id }),
      responseRecord({ url: e.url, date: e.date, status: e.status, statusText: e.statusText, headers: e.responseHeaders, body: e.body, recordId: id }),
    ]);
  };

  private append(records: Parameters<typeof serialize>[0][]): void {
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      try {
        for (const r of records) {
          if (!this.out.write(await serialize(r, this.gzip))) await once(this.out, 'drain');
        }
      } catch (err) {
        this.failure = err;
      }
    });
  }

  /** Write what is queued and close the file; a write that failed is reported here. */
  async close(): Promise<void> {
    await this.queue;
    this.out.end();
    await once(this.out, 'close').catch(() => undefined);
    if (this.failure) throw new LiveArchiveError('E_INPUT', `cannot write the WARC (${(this.failure as Error).message})`, { subject: this.path, cause: this.failure });
  }
}

/** Anything chunks can be written to with backpressure: process.stdout, a file stream, a test buffer. */
export interface Sink {
  write(chunk: string | Uint8Array): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** Write chunks as they are produced, waiting for 'drain' when the sink is full: memory stays flat. */
export async function writeAll(sink: Sink, chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<void> {
  for await (const chunk of chunks) {
    if (!sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', resolve));
  }
}

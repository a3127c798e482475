import type { Sink } from '../export/sink.js';

/** Where a CLI run reads and writes: the process's streams, or buffers in tests. */
export interface Io {
  /** columns: the terminal's width, when stdout is one. */
  stdout: Sink & { isTTY?: boolean; columns?: number };
  stderr: Sink & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  /** --debug: stacks with errors, and notes on how things were done. */
  debug?: boolean;
  /** --no-color was given (run() looks for it, like --debug). */
  noColor?: boolean;
}

/** Mutable state of one run, shared by the commands: what the run exits with. */
export interface RunState {
  exitCode: number;
}

export function line(sink: Sink, text: string): void {
  sink.write(`${text}\n`);
}

/** All of a stream as text (a query piped to `sql -`); empty without one. */
export async function readText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}

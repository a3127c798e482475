import type { Sink } from '../export/sink.js';

/** Where a CLI run reads and writes: the process's streams, or buffers in tests. */
export interface Io {
  stdout: Sink & { isTTY?: boolean };
  stderr: Sink & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  /** --debug: stacks with errors, and notes on how things were done. */
  debug?: boolean;
}

/** Mutable state of one run, shared by the commands: what the run exits with. */
export interface RunState {
  exitCode: number;
}

export function line(sink: Sink, text: string): void {
  sink.write(`${text}\n`);
}

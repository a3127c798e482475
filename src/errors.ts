/**
 * Typed errors with stable codes. Library code throws these; only the CLI's run()
 * turns them into a stderr line and an exit code.
 */
export type ErrorCode = 'E_USAGE' | 'E_INPUT' | 'E_FETCH' | 'E_PARSE' | 'E_SCHEMA' | 'E_LOCKED' | 'E_READONLY' | 'E_TIMEOUT';

export const EXIT = {
  ok: 0,
  /** Some sources failed; the others were archived. */
  partial: 1,
  usage: 2,
  /** The archive itself could not be used (newer schema, locked, read-only). */
  archive: 3,
  /** A bug in livearchive: the message says so and asks for a report. */
  internal: 4,
} as const;

export class LiveArchiveError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  /** What the error is about: a path, URL or the archive file. Printed first. */
  readonly subject: string | undefined;

  constructor(code: ErrorCode, message: string, options: { subject?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.subject = options.subject;
    this.exitCode = options.exitCode ?? EXIT.partial;
  }
}

export class UsageError extends LiveArchiveError {
  /** `subject`: the input at fault when it is not an option (a query), printed first. */
  constructor(message: string, subject?: string) {
    super('E_USAGE', message, { exitCode: EXIT.usage, ...(subject ? { subject } : {}) });
  }
}

/** The input is unreadable or is not a page: missing file, empty, not HTML. */
export class InputError extends LiveArchiveError {
  constructor(subject: string, message: string, cause?: unknown) {
    super('E_INPUT', message, { subject, cause });
  }
}

export class ParseError extends LiveArchiveError {
  constructor(subject: string, message: string, cause?: unknown) {
    super('E_PARSE', message, { subject, cause });
  }
}

export class SchemaError extends LiveArchiveError {
  constructor(subject: string, message: string) {
    super('E_SCHEMA', message, { subject, exitCode: EXIT.archive });
  }
}

export class LockedError extends LiveArchiveError {
  constructor(subject: string, message: string, cause?: unknown) {
    super('E_LOCKED', message, { subject, exitCode: EXIT.archive, cause });
  }
}

export class ReadonlyError extends LiveArchiveError {
  constructor(subject: string, message: string) {
    super('E_READONLY', message, { subject, exitCode: EXIT.archive });
  }
}

/** A query ran past its --timeout and was stopped. */
export class TimeoutError extends LiveArchiveError {
  constructor(subject: string, message: string) {
    super('E_TIMEOUT', message, { subject });
  }
}

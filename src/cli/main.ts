import { Command, CommanderError } from 'commander';
import { EXIT, LiveArchiveError } from '../errors.js';
import { VERSION } from '../version.js';
import { copyCommand } from './commands/copy.js';
import { datasetteMetadataCommand } from './commands/datasette-metadata.js';
import { diffCommand } from './commands/diff.js';
import { exportCommand } from './commands/export.js';
import { historyCommand } from './commands/history.js';
import { ingestCommand } from './commands/ingest.js';
import { inspectCommand } from './commands/inspect.js';
import { pagesCommand } from './commands/pages.js';
import { postsCommand } from './commands/posts.js';
import { publishCommand } from './commands/publish.js';
import { reparseCommand } from './commands/reparse.js';
import { retimeCommand } from './commands/retime.js';
import { searchCommand } from './commands/search.js';
import { serveCommand } from './commands/serve.js';
import { snapshotsCommand } from './commands/snapshots.js';
import { sqlCommand } from './commands/sql.js';
import { statsCommand } from './commands/stats.js';
import { watchCommand } from './commands/watch.js';
import { line, type Io, type RunState } from './io.js';

export function buildProgram(io: Io, state: RunState): Command {
  // Commands added with addCommand() do not inherit these, so each gets them explicitly.
  const output = {
    writeOut: (s: string) => io.stdout.write(s),
    writeErr: (s: string) => io.stderr.write(s),
    // One line, like every other error: commander's own message, then where to look.
    outputError: (s: string, write: (s: string) => void) => write(`livearchive: ${s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
  };
  const program = new Command('livearchive')
    .description('turn live-blog pages into a normalized archive of their posts (SQLite, or PostgreSQL)')
    .version(VERSION)
    .option('--debug', 'print stack traces with errors')
    .option('--no-color', 'no colours (also off with NO_COLOR set, or when not writing to a terminal)')
    .exitOverride()
    .configureOutput(output);
  const commands = [ingestCommand(io, state), watchCommand(io, state), pagesCommand(io), snapshotsCommand(io), postsCommand(io), searchCommand(io), diffCommand(io), historyCommand(io),
    exportCommand(io), sqlCommand(io), statsCommand(io), publishCommand(io), copyCommand(io), inspectCommand(io), reparseCommand(io), retimeCommand(io),
    datasetteMetadataCommand(io), serveCommand(io)];
  for (const cmd of commands) {
    program.addCommand(cmd.exitOverride().configureOutput(output));
  }
  return program;
}

/**
 * Run the CLI with argv (without node and script) and the given streams; resolves to the
 * exit code. The only place errors become messages: one line "livearchive: <subject>: <message>".
 */
export async function run(argv: string[], given: Io): Promise<number> {
  const state: RunState = { exitCode: EXIT.ok };
  const io: Io = { ...given, noColor: given.noColor || argv.includes('--no-color'), debug: argv.includes('--debug') };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof LiveArchiveError) {
      line(io.stderr, `livearchive: ${err.subject ? `${err.subject}: ` : ''}${err.message}`);
      if (io.debug && err.stack) line(io.stderr, err.stack);
      return err.exitCode;
    }
    line(io.stderr, `livearchive: internal error: ${(err as Error).message ?? String(err)} (a bug: please report it, with --debug output)`);
    if (io.debug && (err as Error).stack) line(io.stderr, (err as Error).stack!);
    return EXIT.internal;
  }
}

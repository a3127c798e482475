import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { line, type Io } from '../io.js';
import { dbPath, readOnly, withDbOption } from '../options.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port wants a port number from 0 to 65535 (got "${value}")`);
  return n;
}

export function serveCommand(io: Io): Command {
  return withDbOption(new Command('serve'))
    .description('a read-only web view of the archive: pages, a live blog at any capture, what changed, when, search')
    .option('--port <n>', 'port to listen on (0: a free port, chosen for you)', '8080')
    .option('--host <address>', 'address to listen on; anything but 127.0.0.1 or ::1 lets other machines read the archive', '127.0.0.1')
    .addHelpText('after', `
Examples:
  $ livearchive serve                      # then open http://127.0.0.1:8080/
  $ livearchive serve --db news.db --port 9000

The archive is opened read-only; pages need no JavaScript. Ctrl-C stops the server.`)
    .action(async (opts: { db?: string; port: string; host: string }) => {
      const { startServer } = await import('../../serve/server.js');
      const server = await startServer({ path: dbPath(opts, io), ...readOnly(io), host: opts.host, port: port(opts.port), log: (s) => line(io.stderr, s) });
      if (!/^(?:127\.\d+\.\d+\.\d+|::1|localhost)$/.test(opts.host)) {
        line(io.stderr, `livearchive: warning: listening on ${opts.host}: other machines that can reach it can read this archive`);
      }
      line(io.stdout, `Serving ${dbPath(opts, io)} read-only at ${server.url} (Ctrl-C to stop)`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
    });
}

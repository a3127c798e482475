import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { EXIT, LiveArchiveError } from '../errors.js';
import { openArchive } from '../store/archive.js';
import { createApp } from './app.js';

export interface ServeOptions {
  /** The archive file; opened read-only. */
  path: string;
  /** Told how the archive was opened, when that is worth knowing (see openArchive). */
  onNote?: (message: string) => void;
  /** Default 127.0.0.1: only this machine can connect. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  log?: (line: string) => void;
  now?: () => Date;
}

export interface RunningServer {
  /** Where a browser reaches it, e.g. http://127.0.0.1:8080/ */
  url: string;
  close(): Promise<void>;
}

/** Serve the read-only web view of an archive until close() is called. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const archive = await openArchive(options.path, { readonly: true, ...(options.onNote ? { onNote: options.onNote } : {}) });
  const host = options.host ?? '127.0.0.1';
  const loopbackOnly = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/i.test(host);
  const app = createApp(archive, { name: archive.name, log: options.log ?? (() => undefined), loopbackOnly, ...(options.now ? { now: options.now } : {}) });
  try {
    const server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8080, autoCleanupIncoming: true });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    const shown = host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${shown}:${port}/`,
      close: () => new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections of a browser would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }).finally(() => archive.close()),
    };
  } catch (err) {
    await archive.close();
    const code = (err as { code?: string }).code;
    const reason = code === 'EADDRINUSE' ? 'address already in use (another server is there; try --port)'
      : code === 'EACCES' ? 'permission denied (ports below 1024 need privileges; try --port 8080)'
      : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' ? 'no such address on this machine' : (err as Error).message;
    throw new LiveArchiveError('E_INPUT', `cannot listen: ${reason}`, { subject: `${host}:${options.port ?? 8080}`, exitCode: EXIT.partial, cause: err });
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

/** A local HTTP server on 127.0.0.1 whose routes inject faults; counts hits per path. */
export interface TestServer {
  url: (path: string) => string;
  hits: Map<string, number>;
  requests: IncomingMessage[];
  route: (path: string, handler: Handler) => void;
  close: () => Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const hits = new Map<string, number>();
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const n = (hits.get(req.url ?? '/') ?? 0) + 1;
    hits.set(req.url ?? '/', n);
    requests.push(req);
    const handler = routes.get(req.url ?? '/') ?? routes.get(path);
    if (handler) handler(req, res, n);
    else if (path === '/robots.txt') res.writeHead(404).end();
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits,
    requests,
    route: (path, handler) => routes.set(path, handler),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

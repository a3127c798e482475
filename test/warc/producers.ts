import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SEEDS, tempDir } from '../helpers.js';

export const A = join(SEEDS, 'cnn-live-2025-11-25-A.html');
export const B = join(SEEDS, 'cnn-live-2025-11-25-B.html');
export const PAGE = 'https://www.cnn.com/world/live-news/russia-ukraine-war-peace-talks-11-25-25/index.html';

/** A real `python3 -m http.server` over a directory, on 127.0.0.1 and a free port. */
export interface PythonServer {
  root: string;
  url(path: string): string;
  close(): Promise<void>;
}

export async function pythonServer(): Promise<PythonServer> {
  const root = tempDir();
  const child: ChildProcess = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`python3 http.server exited (${code})`)));
  });
  return {
    root,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill();
    }),
  };
}

/** Put a file where the server serves it. */
export function serve(server: PythonServer, path: string, from: string | Buffer): void {
  const to = join(server.root, path);
  mkdirSync(join(to, '..'), { recursive: true });
  if (typeof from === 'string') copyFileSync(from, to);
  else writeFileSync(to, from);
}

/**
 * Run wget as an archivist would, writing `<dir>/<name>.warc.gz` (or .warc); returns its path.
 * Asynchronous, so that a server in this process can answer it.
 */
export async function wget(dir: string, name: string, urls: string[], extra: string[] = []): Promise<string> {
  try {
    await promisify(execFile)('wget', ['-q', '--no-warc-keep-log', `--warc-file=${join(dir, name)}`, '-P', join(dir, `${name}-files`), ...extra, ...urls]);
  } catch (err) {
    // Exit 8: the server answered some request with an error (a missing image): the WARC is whole.
    if ((err as { code?: number }).code !== 8) throw err;
  }
  return join(dir, extra.includes('--no-warc-compression') ? `${name}.warc` : `${name}.warc.gz`);
}

/** WARC-Date of every response record of a WARC, as wget wrote it, read straight from the file. */
export function responseDates(file: string): string[] {
  const bytes = readFileSync(file);
  const text = (bytes[0] === 0x1f ? gunzipSync(bytes) : bytes).toString('latin1');
  return [...text.matchAll(/WARC-Type: response\r\n(?:[^\r\n]+\r\n)*?WARC-Date: (\S+)\r\n/g)].map((m) => new Date(m[1]!).toISOString());
}

/** Offsets of records of a given type in an uncompressed WARC. */
export function recordOffsets(warc: Buffer, type: string): number[] {
  const out: number[] = [];
  const text = warc.toString('latin1');
  for (const m of text.matchAll(/WARC\/1\.[01]\r\n/g)) {
    const end = text.indexOf('\r\n\r\n', m.index);
    if (new RegExp(`^WARC-Type: ${type}\\r$`, 'm').test(text.slice(m.index, end))) out.push(m.index);
  }
  return out;
}

/** Wait past the next whole second: wget's WARC-Date has second precision. */
export async function nextSecond(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
}

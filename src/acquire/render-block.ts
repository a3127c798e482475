import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

/** The block list kept with livearchive (src/acquire/ad-hosts.txt). */
export const BUILTIN_BLOCK_LIST = new URL('./ad-hosts.txt', import.meta.url);

/** Hosts to refuse: one per line, "#" comments; a host covers its subdomains. */
export async function readBlockList(file: string | URL = BUILTIN_BLOCK_LIST): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const missing = (err as { code?: string }).code === 'ENOENT';
    throw new InputError(String(file), `cannot read the block list (${missing ? 'no such file' : (err as Error).message})`, err);
  }
  const hosts = text.split(/\r?\n/).map((l) => l.replace(/#.*$/, '').trim().toLowerCase().replace(/^\*\./, '')).filter(Boolean);
  const bad = hosts.find((h) => !/^[a-z0-9.-]+$/.test(h));
  if (bad) throw new InputError(String(file), `not a host name: "${bad}" (one host per line, # comments)`);
  return new Set(hosts);
}

/** Whether a URL's host, or a domain it belongs to, is on the list. */
export function isBlocked(url: string, hosts: Set<string>): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  const labels = host.split('.');
  for (let i = 0; i < labels.length; i++) if (hosts.has(labels.slice(i).join('.'))) return true;
  return false;
}

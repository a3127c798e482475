import { readFileSync } from 'node:fs';

/** livearchive's own version, from its package.json (read once). */
export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The User-Agent header of every request, unless --user-agent says otherwise. */
export const DEFAULT_USER_AGENT = `livearchive/${VERSION} (+https://www.npmjs.com/package/livearchive)`;

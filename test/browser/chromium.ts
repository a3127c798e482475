import { existsSync } from 'node:fs';
import { DEFAULT_BROWSERS } from '../../src/acquire/render.js';

/** The browser --render finds by itself, if any: the browser tests run only where there is one. */
export const BROWSER = DEFAULT_BROWSERS.find((p) => existsSync(p));

import { statSync } from 'node:fs';
import { acquire, type AcquireOptions } from './acquire/index.js';
import { isUrl } from './acquire/local.js';
import { LiveArchiveError } from './errors.js';
import { parsePage, type ParseOptions } from './parse/index.js';
import type { ParsedPage } from './types.js';

/** Parse one source without touching any archive: what a page yields, for adapter authors. */
export async function inspectSource(source: string, options: AcquireOptions & ParseOptions = {}): Promise<ParsedPage> {
  // A directory would show whichever of its files came first.
  if (source !== '-' && !isUrl(source) && statSync(source, { throwIfNoEntry: false })?.isDirectory()) {
    throw new LiveArchiveError('E_INPUT', 'is a directory: inspect reads one page (ingest reads every page of a directory)', { subject: source });
  }
  for await (const got of acquire([source], options)) {
    if (got.kind === 'failed') throw got.error;
    if (got.kind === 'capture') {
      const parsed = parsePage(got.capture, options);
      // A rendered capture's own warnings (a page that never settled) belong with what it yields.
      const render = got.capture.provenance?.render;
      return render ? { ...parsed, warnings: [...parsed.warnings, ...render.warnings] } : parsed;
    }
  }
  throw new LiveArchiveError('E_INPUT', 'holds no page to inspect', { subject: source });
}

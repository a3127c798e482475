import { Command } from 'commander';
import type { RenderInfo } from '../../types.js';
import { waitLabel } from '../format.js';
import type { Io } from '../io.js';
import { dbPath, type OutputFlags, outputFormat, readOnly, withDbOption, withOutputOptions } from '../options.js';
import { render } from '../render.js';

export function snapshotsCommand(io: Io): Command {
  return withOutputOptions(withDbOption(new Command('snapshots')))
    .description("a page's captures, oldest first: id, time, SHA-256, posts, adapter, how a rendered one was taken, source")
    .argument('<page-url>', 'the page, as `livearchive pages` lists it')
    .addHelpText('after', `
Examples:
  $ livearchive snapshots https://www.cnn.com/world/live-news/example/index.html
  $ livearchive diff https://www.cnn.com/world/live-news/example/index.html --from 3 --to 7`)
    .action(async (url: string, opts: OutputFlags & { db?: string }) => {
      const format = outputFormat(opts, io);
      const [{ openArchive }, { listSnapshots }] = await Promise.all([import('../../store/archive.js'), import('../../store/read.js')]);
      const archive = await openArchive(dbPath(opts, io), readOnly(io));
      try {
        await render(io, await listSnapshots(archive, url) as unknown as Array<Record<string, unknown>>, format,
          (r) => ({ ...r, sha256: String(r['sha256']).slice(0, 12), rendered: r['render'] ? waitLabel(r['render'] as RenderInfo) : '' }),
          ['id', 'capturedAt', 'sha256', 'posts', 'adapter', 'warnings', 'rendered', 'source']);
      } finally {
        await archive.close();
      }
    });
}

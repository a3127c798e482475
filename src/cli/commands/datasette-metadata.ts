import { Command } from 'commander';
import type { Io } from '../io.js';
import { dbPath, readOnly, withDbOption } from '../options.js';
import { renderObject, renderYaml } from '../render.js';

export function datasetteMetadataCommand(io: Io): Command {
  return withDbOption(new Command('datasette-metadata'))
    .description('print the Datasette configuration for the archive: full-text search, facets, labels, sortable times')
    .option('--json', 'print it as datasette.json instead of YAML')
    .addHelpText('after', `
Examples:
  $ livearchive datasette-metadata > datasette.yaml
  $ datasette livearchive.db -c datasette.yaml            # Datasette 1.0 (0.x: -m datasette.yaml)
  $ livearchive datasette-metadata --db news.db --json > datasette.json

The database is named after the archive file (news.db → news), as Datasette names it.`)
    .action(async (opts: { db?: string; json?: boolean }) => {
      const path = dbPath(opts, io);
      const [{ openArchive }, { datasetteConfig }] = await Promise.all([import('../../store/archive.js'), import('../../store/datasette.js')]);
      const archive = await openArchive(path, readOnly(io));
      try {
        const config = datasetteConfig(archive);
        if (opts.json) await renderObject(io, config);
        else await renderYaml(io, config, `Datasette configuration for ${path}, written by livearchive datasette-metadata.\n  datasette ${path} -c datasette.yaml   (Datasette 0.x: -m datasette.yaml)`);
      } finally {
        await archive.close();
      }
    });
}

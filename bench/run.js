// `npm run bench`: every benchmark in one run, as Markdown on stdout (progress on stderr).
//
//   npm run bench                          # scale run of 100,000 posts
//   npm run bench -- --posts 1000000       # the full scale run (about half an hour here)
//   npm run bench -- --only scale,watched  # some of: compare, ingest, startup, scale, watched
//   node bench/run.js --lib ../old/dist/index.js --bin ../old/bin/livearchive.js --only ingest,startup,scale
//                                          # the same figures for another build (before/after)

import { compareParsers, compareTable } from './compare.js';
import { ingestTable, ingestTimes, startupTable, startupTimes } from './ingest.js';
import { scaleRun, scaleTable } from './scale.js';
import { watchedRun, watchedTable } from './watched.js';
import { loadLibrary, machine } from './common.js';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const only = new Set((arg('--only') ?? 'compare,ingest,startup,scale,watched').split(','));
const lib = arg('--lib');
const bin = arg('--bin');
const posts = Number(arg('--posts') ?? 100_000);
const runs = Number(arg('--runs') ?? 5);
const library = await loadLibrary(lib);

console.log(`# livearchive benchmarks\n\n${machine()}; ${new Date().toISOString()}${lib ? `; library ${lib}` : ''}\n`);
if (only.has('compare')) {
  console.log('## Parse: livearchive and the others, per page\n');
  console.log(compareTable(await compareParsers({ runs, lib: library })));
  console.log('');
}
if (only.has('ingest')) {
  console.log('## Ingest: first and unchanged, in-process\n');
  console.log(ingestTable(await ingestTimes({ runs, lib: library })));
  console.log('');
}
if (only.has('startup')) {
  console.log('## CLI start-up\n');
  console.log(startupTable(startupTimes(bin ? { bin } : {})));
  console.log('');
}
if (only.has('scale')) {
  console.log(`## Scale: ${posts.toLocaleString('en-US')} posts\n`);
  console.log(scaleTable(await scaleRun({ posts, ...(lib ? { lib } : {}), ...(bin ? { bin } : {}) })));
  console.log('');
}
if (only.has('watched')) {
  console.log('## A watched page: raw bytes of 6 hours of captures every 2 minutes\n');
  console.log(watchedTable(await watchedRun({ lib: library })));
  console.log('');
}

// Copies the non-TypeScript files the built library reads at run time (SQL migrations, the export schema, the
// web view's stylesheet, the block list of --render-block-ads).
// Each is replaced whole: a migration renamed or removed in src must not linger in dist.
import { cpSync, existsSync, rmSync } from 'node:fs';

for (const [from, to] of [
  ['src/store/migrations', 'dist/store/migrations'],
  ['src/export/export.schema.json', 'dist/export/export.schema.json'],
  ['src/serve/static', 'dist/serve/static'],
  ['src/acquire/ad-hosts.txt', 'dist/acquire/ad-hosts.txt'],
]) {
  rmSync(to, { recursive: true, force: true });
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}

// Copies the non-TypeScript files the built library reads at run time (SQL migrations, the export schema, the web view's stylesheet).
import { cpSync, existsSync } from 'node:fs';

for (const [from, to] of [
  ['src/store/migrations', 'dist/store/migrations'],
  ['src/export/export.schema.json', 'dist/export/export.schema.json'],
  ['src/serve/static', 'dist/serve/static'],
]) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, dir, f));
}

/** A file's code, without the "$ livearchive …" example lines of help texts. */
function code(file: string): string {
  return readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*\$ livearchive /.test(l)).join('\n');
}

function offenders(dir: string, pattern: RegExp): string[] {
  return files(dir).filter((f) => pattern.test(code(f))).map((f) => relative(ROOT, f));
}

describe('architecture', () => {
  it('library layers never import the CLI', () => {
    for (const layer of ['src/acquire', 'src/parse', 'src/store', 'src/export', 'src/serve']) {
      expect(offenders(layer, /from '(?:\.\.\/)+cli\//), layer).toEqual([]);
    }
  });

  it('commands hold no SQL, parsing or file access: they map options to one library call', () => {
    expect(offenders('src/cli/commands', /prepare\(|cheerio|node:fs|better-sqlite3/)).toEqual([]);
  });

  it('commands print through the renderer, never JSON.stringify or console.log', () => {
    expect(offenders('src/cli/commands', /JSON\.stringify|console\.log/)).toEqual([]);
  });

  it('parsing is pure: no I/O modules and no clock', () => {
    expect(offenders('src/parse', /from 'node:(?:fs|http|https|net|child_process)|from 'undici'|Date\.now\(|new Date\(\)/)).toEqual([]);
  });

  it('playwright is loaded in one place, by dynamic import behind --render; elsewhere only its types are named', () => {
    expect(offenders('src', /import\s+(?!type\b)[^;]*from\s+'playwright/)).toEqual([]);
    expect(offenders('src', /import\(\s*'playwright/)).toEqual(['src/acquire/render.ts']);
  });

  it('no explicit any: types say what flows', () => {
    expect(offenders('src', /:\s*any\b|\bas any\b|<any>/)).toEqual([]);
  });

  it('all SQL lives in src/store', () => {
    const sql = /\b(?:SELECT|INSERT|UPDATE|DELETE)\s+[\w*(]+[\s\S]{0,40}?\b(?:FROM|INTO|SET)\b/;
    const outside = ['src/acquire', 'src/parse', 'src/export', 'src/cli', 'src/serve'].flatMap((d) => offenders(d, sql));
    expect(outside).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { cli, ROOT, SEEDS, tempDir } from './helpers.js';

const sink = { write: () => true, once: () => undefined };
const program = buildProgram({ stdout: sink, stderr: sink }, { exitCode: 0 });
const cliDoc = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('docs', () => {
  it.each(program.commands.map((c) => [c.name(), c] as const))('%s is documented in docs/cli.md, described, and has examples', (name, cmd) => {
    expect(cliDoc).toMatch(new RegExp(`^## ${name}$`, 'm'));
    expect(cmd.description().length).toBeGreaterThan(10);
    let help = '';
    cmd.configureOutput({ writeOut: (s) => { help += s; } });
    cmd.outputHelp();
    expect(help).toContain('Examples:');
  });

  it('every read command lists the same output flags', () => {
    for (const name of ['pages', 'posts']) {
      const flags = program.commands.find((c) => c.name() === name)!.options.map((o) => o.long);
      expect(flags).toEqual(expect.arrayContaining(['--db', '--format', '--json', '--nl', '--csv']));
    }
  });

  it('search says what order its results come in: --help, docs/cli.md and the README', () => {
    let help = '';
    const search = program.commands.find((c) => c.name() === 'search')!;
    search.configureOutput({ writeOut: (s) => { help += s; } });
    search.outputHelp();
    const flat = help.replace(/\s+/g, ' ');
    expect(flat).toContain('most recently archived first, or best matches first with --rank');
    expect(flat).toContain('Results come most recently archived first');
    const section = cliDoc.slice(cliDoc.indexOf('\n## search\n'), cliDoc.indexOf('\n## diff\n'));
    expect(section).toContain('By default results come **most recently archived first**');
    expect(section).toMatch(/`--rank` orders by\s+relevance instead/);
    expect(readme).toMatch(/livearchive search .* # most recently archived first\n/);
    expect(readme).toMatch(/livearchive search \S+ --rank +# best matches first/);
  });

  it('the README starts with the install-and-run command and the test command', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(readme)![1]!.trim().split('\n');
    expect(block[0]).toMatch(/^npm install && npx livearchive ingest fixtures\/\S+\.html/);
    expect(block[1]).toBe('npm test');
  });

  it('the README exit-status table holds, row by row', async () => {
    const rows = [...readme.matchAll(/^\| (\d) \| (.+) \|$/gm)].map((m) => Number(m[1]));
    expect(rows).toEqual([0, 1, 2, 3, 4]);
    const dir = tempDir();
    const db = join(dir, 'x.db');
    const page = join(SEEDS, 'cnn-live-2025-11-25-A.html');
    const scenario: Record<number, string[]> = {
      0: ['ingest', page, '--db', db],
      1: ['ingest', page, join(dir, 'missing.html'), '--db', db],
      2: ['ingest', '--no-such-flag', '--db', db],
    };
    for (const [code, args] of Object.entries(scenario)) expect((await cli(args)).code, args.join(' ')).toBe(Number(code));
    // 3: an archive written by a newer livearchive.
    const { default: Database } = await import('better-sqlite3');
    const newer = join(dir, 'newer.db');
    new Database(newer).pragma('user_version = 7');
    expect((await cli(['pages', '--db', newer])).code).toBe(3);
    // A --db that names a folder is a bad path, like a missing one.
    expect((await cli(['pages', '--db', dir])).code).toBe(1);
    // 4 is for bugs: none can be provoked on purpose; the mapping is checked in test/cli/errors.test.ts.
  });
});

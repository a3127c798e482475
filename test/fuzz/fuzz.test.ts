import { describe, expect, it } from 'vitest';
import { LiveArchiveError } from '../../src/errors.js';
import { parsePage } from '../../src/parse/index.js';
import type { ParsedPage } from '../../src/types.js';
import { cases, check, mutate, seedPages } from './mutators.js';
import found from './regressions.json' with { type: 'json' };

/**
 * The fuzzer on a small fixed sample (the large run is bench/fuzz.js): seeded mutations of the
 * seeds, the real corpus and the fixtures. Every parse ends in a page or in a refusal of bad
 * input, never an internal error; no impossible date becomes a real one; no URL of another
 * scheme is stored. Cases it once failed on are kept in regressions.json and run first.
 */
const SAMPLE = 2_000;
/** Cases the fuzzer failed on once: the seed page, the mutator and its seed reproduce the page exactly. */
const regressions: Array<{ page: string; mutator: string; seed: number; found: string }> = found;
const pages = seedPages();

function parse(page: { name: string; capturedAt: Date }, bytes: Buffer): ParsedPage | Error {
  try {
    return parsePage({ source: page.name, bytes, capturedAt: page.capturedAt });
  } catch (err) {
    return err as Error;
  }
}

const isInputError = (e: Error): boolean => e instanceof LiveArchiveError && e.code === 'E_INPUT';
const originals = new Map<string, ParsedPage | Error>();

function problemsOf(c: { page: (typeof pages)[number]; mutator: string; seed: number }): string[] {
  const { bytes, injected } = mutate(c.page, c.mutator, c.seed);
  if (!originals.has(c.page.name)) originals.set(c.page.name, parse(c.page, c.page.bytes));
  return check(parse(c.page, bytes), { injected: injected ?? [], original: originals.get(c.page.name)!, isInputError }).map((p) => `${c.page.name} ${c.mutator} seed ${c.seed}: ${p}`);
}

describe('fuzzing the parser', () => {
  it('has seed pages from ../shared and the fixtures', () => {
    expect(pages.some((p) => p.name.startsWith('../shared/seeds/'))).toBe(true);
    expect(pages.some((p) => p.name.startsWith('../shared/corpus/'))).toBe(true);
    expect(pages.some((p) => p.name.startsWith('fixtures/'))).toBe(true);
  });

  it.each(regressions.map((r) => [`${r.page} ${r.mutator} ${r.seed}`, r] as const))('regression: %s', (_name, r) => {
    const page = pages.find((p) => p.name === r.page);
    expect(page, `${r.page} is not among the seed pages`).toBeDefined();
    expect(problemsOf({ page: page!, mutator: r.mutator, seed: r.seed })).toEqual([]);
  });

  it(`${SAMPLE} mutated pages: no internal error, no impossible date made real, no unsafe URL`, () => {
    const problems: string[] = [];
    for (const c of cases(pages, SAMPLE, 20261203)) problems.push(...problemsOf(c));
    expect(problems).toEqual([]);
  }, 300_000);
});

import type { ParsedPage } from '../types.js';

/**
 * One live blog spread over several pages (newest first) as one parsed page: the first
 * page's facts, then every post once, in page order. Warnings name the page they came from.
 */
export function mergePages(pages: ParsedPage[]): ParsedPage {
  const [first, ...rest] = pages;
  if (!first) throw new Error('mergePages needs at least one page');
  const seen = new Set(first.posts.map((p) => p.id));
  const posts = [...first.posts];
  const warnings = [...first.warnings];
  for (const page of rest) {
    for (const p of page.posts) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      posts.push(p);
    }
    warnings.push(...page.warnings.map((w) => `${page.savedFromUrl ?? page.url ?? 'older page'}: ${w}`));
  }
  return { ...first, posts, warnings };
}

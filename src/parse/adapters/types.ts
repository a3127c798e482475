import type { PageContext } from '../context.js';
import type { PageKind, Post } from '../../types.js';
import type { StructuredUpdate } from '../structured.js';

export interface ExtractResult {
  kind: PageKind;
  posts: Post[];
  keyPoints?: string[];
  /** Overrides the page headline when the adapter knows better than <h1>. */
  headline?: string | null;
  /**
   * Whether the page's structured updates (JSON-LD liveBlogUpdate, microdata, RDFa) are merged:
   * "merge" joins each to its page post and keeps those only found there; "ignore" for pages
   * where they add nothing.
   */
  structuredData?: 'merge' | 'ignore';
  /** Posts already known to be a given update (found on the page through it). */
  located?: Map<Post, StructuredUpdate>;
  /** Links to the live blog's other pages (older posts), recorded on the snapshot. */
  pageLinks?: string[];
  /** Page facts the adapter knows better than the markup (all of them, for JSON page data). */
  page?: Partial<Record<'url' | 'title' | 'headline' | 'publisher' | 'language' | 'coverageStart' | 'coverageEnd', string | null> & { authors: string[] }>;
}

/**
 * One publisher layout. Versions of the same publisher sit side by side and are chosen
 * by capture date (validFrom inclusive, validUntil exclusive, ISO dates).
 */
export interface Adapter {
  id: string;
  version: string;
  validFrom: string;
  validUntil?: string;
  /** IANA zone the publisher prints clock times in. */
  timeZone?: string;
  matches(ctx: PageContext): boolean;
  extract(ctx: PageContext): ExtractResult;
}

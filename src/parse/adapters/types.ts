import type { PageContext } from '../context.js';
import type { PageKind, Post } from '../../types.js';

export interface ExtractResult {
  kind: PageKind;
  posts: Post[];
  keyPoints?: string[];
  /** Overrides the page headline when the adapter knows better than <h1>. */
  headline?: string | null;
  /**
   * Whether the page's JSON-LD liveBlogUpdate list is merged: "merge" fills gaps in DOM posts
   * and keeps posts only found there; "ignore" for pages where it adds nothing.
   */
  structuredData?: 'merge' | 'ignore';
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

/** Where a capture's bytes came from: a WARC record (file, WACZ or stdin) or a web archive's replay are their own. */
export type Origin = 'file' | 'stdin' | 'http' | 'warc' | 'archive';

/**
 * How the capture time was established: told by the user, read from the file, the moment of
 * reading, the HTTP response, a WARC record's WARC-Date, or a web archive's capture timestamp.
 */
export type CapturedAtSource = 'option' | 'mtime' | 'now' | 'http' | 'warc' | 'archive';

/** A WARC record a capture was read from. */
export interface WarcProvenance {
  /** The WARC file (absolute path; "-" for stdin), or the WACZ holding it. */
  file: string;
  /** Inside a WACZ: the WARC's path in the ZIP (archive/data.warc.gz). */
  entry?: string;
  /** Byte offset of the record (of its gzip member in a .warc.gz). */
  offset: number;
  recordId: string | null;
  /** For a revisit: the WARC-Record-ID of the record it repeats. */
  refersTo?: string;
}

/** A capture replayed from a web archive (Wayback Machine, pywb, any Memento archive). */
export interface ArchiveProvenance {
  /** What was fetched: the replay URL of the original bytes (Wayback's id_ form where there is one). */
  url: string;
  /** The archive's capture time as it names it (YYYYMMDDhhmmss). */
  timestamp: string;
  /** The URL the archive captured. */
  original: string;
  /** How the capture was listed: a CDX server query or a Memento TimeMap, and its address. */
  via: 'cdx' | 'timemap';
  index: string;
}

/** Where a capture came from beyond its origin: one key per kind of source, so new kinds add keys. */
export interface Provenance {
  warc?: WarcProvenance;
  archive?: ArchiveProvenance;
  /** The bytes are the DOM a browser rendered (`--render`), not the server's response: how they were made. */
  render?: RenderInfo;
}

/** One capture of a page: raw bytes plus what is known about how they were taken. */
export interface Capture {
  /** What the user named: a path, "-" or a URL. Used in messages. */
  source: string;
  origin: Origin;
  bytes: Buffer;
  capturedAt: Date;
  capturedAtSource: CapturedAtSource;
  /** Page URL given by the user (--url) or by the transport; overrides what the page says. */
  url?: string;
  /**
   * The URL the bytes were served at, when the transport says so (a WARC record's target, an
   * archived capture's original URL): the page URL when the page itself names none.
   */
  targetUrl?: string;
  /**
   * The key a page that names no URL was archived under (urn:livearchive:…), read back from
   * livearchive's WARC export: it is archived under it again. Not a URL the page was served at.
   */
  pageKey?: string;
  /** Content-Type header, when a transport gave one (charset comes from it). */
  contentType?: string;
  /** How an HTTP capture was fetched (live, or by the crawler that wrote a WARC). */
  fetch?: FetchInfo;
  /** Where a WARC record or an archived capture came from; how a rendered one was made. */
  provenance?: Provenance;
  /** The server's own response, kept beside a rendered capture (the bytes are the DOM the browser made of it). */
  response?: { bytes: Buffer; contentType?: string };
}

/** What ended a browser's wait for a page: its post list stayed the same, the time ran out, or the memory cap was near. */
export type RenderWaitEnd = 'stable' | 'timeout' | 'memory';

/** How a rendered capture was taken: recorded with its snapshot, as its provenance's "render" key. */
export interface RenderInfo {
  rendered: true;
  /** "Chromium 156.0.8078.114". */
  browser: string;
  wait: {
    ended: RenderWaitEnd;
    /** From the start of loading to the capture. */
    ms: number;
    /** How long the post list had to stay the same (--render-settle). */
    settleMs: number;
    timeoutMs: number;
  };
  /** Post-like elements counted when the capture was taken (see docs/cli.md). */
  postElements: number;
  /** "Load more" controls clicked (or scrolls to the end that loaded more). */
  expanded: number;
  /** URLs of the frames whose documents were inlined where they sat. */
  frames: string[];
  /** Requests not made: `types` (images, media, fonts), `ads` (block list), `robots` (robots.txt), `navigation` (the page leaving itself). */
  blocked: { types: number; ads: number; robots: number; navigation: number };
  warnings: string[];
}

export interface FetchInfo {
  requestedUrl: string;
  finalUrl: string;
  status: number;
  /** Selected response headers (content-type, etag, last-modified, date, …). */
  headers: Record<string, string>;
  /** How long the fetch took; unknown for captures read from a WARC. */
  durationMs?: number;
}

export type ContributorRole = 'author' | 'contributor';

export interface Contributor {
  name: string;
  role: ContributorRole;
}

export type MediaKind = 'image' | 'video' | 'embed';

export interface Media {
  kind: MediaKind;
  url: string | null;
  name: string | null;
  alt: string | null;
  caption: string | null;
  credit: string | null;
  /** A video's description, as plain text. */
  description: string | null;
  /** ISO-8601 duration, e.g. PT1M9S. */
  duration: string | null;
  thumbnail: string | null;
}

/** Where a post was found: rendered on the page, or only in the page's structured data. */
export type PostOrigin = 'page' | 'structured-data';

/** Where a post's id came from: its element, its own permalink, the structured data, or its content (no id on the page). */
export type IdSource = 'dom-id' | 'permalink' | 'jsonld' | 'microdata' | 'rdfa' | 'content';

/** A first-publication time one source gave for a post. */
export interface TimeSource {
  /** A datetime or data attribute, the text shown, or a structured-data syntax. */
  from: 'attr' | 'text' | 'jsonld' | 'microdata' | 'rdfa';
  at: string;
}

/**
 * How a post was read, for people who maintain the parser (`inspect`): not stored, not exported.
 */
export interface PostProvenance {
  id: IdSource;
  /** The sources that gave a publication time, the one taken first. */
  times: TimeSource[];
  /** Sources that disagreed, and what was done. */
  notes: string[];
}

export interface Post {
  id: string;
  url: string | null;
  headline: string | null;
  bodyHtml: string;
  bodyText: string;
  /** UTC ISO-8601 with milliseconds, or null when the page does not say. */
  publishedAt: string | null;
  updatedAt: string | null;
  /** The time as the page displays it ("7 min ago", "12.50 BST"). */
  displayTime: string | null;
  contributors: Contributor[];
  media: Media[];
  origin: PostOrigin;
  pinned: boolean;
  keyEvent: boolean;
  provenance?: PostProvenance;
}

export type PageKind = 'liveblog' | 'article' | 'unknown';

export interface AdapterRef {
  id: string;
  version: string;
}

export interface ParsedPage {
  /** The URL the page is archived under: --url, else canonical, og:url, saved-from. */
  url: string | null;
  canonicalUrl: string | null;
  savedFromUrl: string | null;
  publisher: string | null;
  title: string | null;
  headline: string | null;
  language: string | null;
  kind: PageKind;
  keyPoints: string[];
  coverageStart: string | null;
  coverageEnd: string | null;
  authors: string[];
  posts: Post[];
  /** Links to the live blog's other pages (pagination), absolute. */
  pageLinks: string[];
  warnings: string[];
  adapter: AdapterRef;
  /** Text encoding the bytes were decoded with. */
  encoding: string;
}

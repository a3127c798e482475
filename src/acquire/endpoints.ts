// Addresses livearchive uses by default, apart from the modules that talk to them, so that the
// CLI can name them in its help without loading those modules.

/** The Wayback Machine's CDX server. */
export const WAYBACK_CDX = 'https://web.archive.org/cdx/search/cdx';

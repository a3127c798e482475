// The library: every stage of the pipeline as a function. The CLI is a thin layer over these.
export { acquire } from './acquire/index.js';
export { parsePage } from './parse/index.js';
export { openArchive } from './store/archive.js';
export { ingestCapture } from './store/ingest.js';
export { ingest } from './ingest.js';
export { listPages, listPosts, iteratePages, findPage } from './store/read.js';
export { exportPosts } from './export/index.js';
export { ADAPTERS } from './parse/adapters/index.js';
export * from './errors.js';
export type * from './types.js';
export type { IngestResult, IngestFailure, IngestOptions } from './ingest.js';
export type { IngestOutcome, PostCounts } from './store/ingest.js';
export type { PageRecord, PostRecord, PageSummary } from './store/read.js';

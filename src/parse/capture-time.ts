/**
 * The warning a capture gets when the page shows a post from after its capture time: that time
 * is wrong (a file copied later, a date given without its time), and with it every "5 min ago"
 * read from the page. Before archiving, the remedy is --captured-at; once the capture is a
 * snapshot, it is `livearchive retime`, which the store names with the snapshot's id.
 */
const BEFORE_ARCHIVING = 'give --captured-at with the time the page was saved';

export function captureTimeWarning(capturedAt: Date, newest: string): string {
  return `captured at ${capturedAt.toISOString()}, before the page's newest post (${newest}): the capture time is probably wrong; ${BEFORE_ARCHIVING}`;
}

/**
 * A capture's warnings once it is a snapshot: the wrong-time one says to correct it with
 * `livearchive retime`, naming the snapshot's id when given (as the ingest line does; the
 * warnings stored with the snapshot stay free of ids, which differ between copies of an archive).
 */
export function snapshotWarnings(warnings: string[], snapshotId?: number): string[] {
  return warnings.map((w) => (w.endsWith(BEFORE_ARCHIVING)
    ? `${w.slice(0, -BEFORE_ARCHIVING.length)}correct it with: livearchive retime ${snapshotId ?? '<snapshot-id>'} <time the page was saved>`
    : w));
}

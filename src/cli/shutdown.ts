/**
 * Close what a command opened, in the order given, every one even when one fails (the first
 * failure is thrown once all are closed). ingest and watch close the browser first, while the
 * fetcher and the WARC recorder its pages' requests go through are still open, and the archive last.
 */
export async function closeInOrder(...closers: Array<() => Promise<unknown> | undefined>): Promise<void> {
  const failures: unknown[] = [];
  for (const close of closers) {
    try {
      await close();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw failures[0];
}

import type { SearchBackend, SearchDocument } from './search-backend.js';

/**
 * Batches written side by side: one is built and sent while Postgres writes the other (and each
 * backend's writes use a core of their own), so a full reindex takes about half as long on two cores.
 */
const WRITERS = 2;

/**
 * Writes every page of documents into the index, WRITERS at a time, and returns how many it wrote;
 * `progress` hears of each further `every` documents.
 * The first failure stops it: the error is thrown once the batches in flight have settled.
 */
export async function reindexAll(pages: AsyncIterable<SearchDocument[]>, index: Pick<SearchBackend, 'upsertMany'>,
  progress: { every: number; report(indexed: number): void } | null = null): Promise<number> {
  let reported = 0;
  const inFlight = new Set<Promise<void>>();
  let indexed = 0;
  let failure: unknown = null;
  const settle = async () => {
    await Promise.race(inFlight);
    if (failure !== null) throw failure;
  };
  try {
    for await (const page of pages) {
      const write: Promise<void> = index.upsertMany(page).then(() => {
        indexed += page.length;
        if (progress && indexed - reported >= progress.every) progress.report(reported = indexed);
      }, (error: unknown) => { failure ??= error; }).finally(() => inFlight.delete(write));
      inFlight.add(write);
      if (inFlight.size >= WRITERS) await settle();
    }
  } finally {
    await Promise.all(inFlight);
  }
  if (failure !== null) throw failure;
  return indexed;
}

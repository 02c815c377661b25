import { openDatabase } from '../src/bootstrap.js';
import { loadConfig } from '../src/core/config.js';
import { Db } from '../src/core/db/client.js';
import { createSearchBackend } from '../src/search/index.js';
import { SearchDocumentSource } from '../src/search/search-documents.js';

/**
 * `npm run reindex`: rebuilds the search index from the database, e.g. after switching to
 * Meilisearch or restoring a backup. Publishing keeps it in sync otherwise.
 */
const config = loadConfig();
const database = await openDatabase(config, console.log);
const db = new Db(database.url);
try {
  const search = await createSearchBackend(config.search, db.db);
  await search.setup();
  let count = 0;
  for await (const page of new SearchDocumentSource(db.db).all()) {
    await search.upsertMany(page);
    count += page.length;
  }
  console.log(`reindexed ${count} published materials into ${search.name}`);
} finally {
  await db.close();
  await database.embedded?.stop();
}

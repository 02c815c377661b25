import { openDatabase } from '../src/bootstrap.js';
import { loadConfig } from '../src/core/config.js';
import { Db } from '../src/core/db/client.js';
import { createSearchBackend } from '../src/search/index.js';
import { SearchDocumentSource } from '../src/search/search-documents.js';
import { reindexAll } from '../src/search/reindex.js';
import { SearchService } from '../src/search/search.service.js';
import { TaxonomyService } from '../src/taxonomy/taxonomy.service.js';

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
  const taxonomy = new TaxonomyService(db.db);
  await taxonomy.load();
  const service = new SearchService(search, taxonomy);
  const started = Date.now();
  const count = await reindexAll(new SearchDocumentSource(db.db, () => service.vocabulary()).all(), search, { every: 50_000, report: (indexed) => console.log(`${indexed} …`) });
  console.log(`reindexed ${count} published materials into ${search.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await db.close();
  await database.embedded?.stop();
}

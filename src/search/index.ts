import type { Config } from '../core/config.js';
import type { Database } from '../core/db/client.js';
import { PostgresSearch } from './postgres/postgres-search.js';
import type { SearchBackend } from './search-backend.js';

/** The configured backend; the Meilisearch client is loaded only when MEILI_HOST is set. */
export async function createSearchBackend(config: Config['search'], db: Database): Promise<SearchBackend> {
  if (config.backend === 'postgres') return new PostgresSearch(db);
  const { MeiliSearchBackend } = await import('./meili-search.js');
  return new MeiliSearchBackend(config);
}

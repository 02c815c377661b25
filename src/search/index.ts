import type { Config } from '../core/config.js';
import type { Database } from '../core/db/client.js';
import { MeiliSearchBackend } from './meili-search.js';
import { PostgresSearch } from './postgres-search.js';
import type { SearchBackend } from './search-backend.js';

export function createSearchBackend(config: Config['search'], db: Database): SearchBackend {
  return config.backend === 'meilisearch' ? new MeiliSearchBackend(config) : new PostgresSearch(db);
}

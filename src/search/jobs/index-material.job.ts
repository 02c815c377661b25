import { ChangeFeed } from '../../core/db/change-feed.js';
import type { Db } from '../../core/db/client.js';
import { SEARCH_TOPIC } from '../../core/public-cache.js';
import type { BatchJobHandler, JobPolicy } from '../../core/queue/job.js';
import type { SearchBackend } from '../search-backend.js';
import type { SearchDocumentSource } from '../search-documents.js';

/**
 * Brings materials' search entries in line with the database: indexed while published, removed
 * otherwise. Reading the current state (not the event) makes retries and duplicates harmless. Every
 * waiting job is taken at once (up to 500) and polled for twice a second: a publication is found
 * within a second, and a province publishing thousands at the end of a term is indexed in batches.
 */
export class IndexMaterialJob implements BatchJobHandler<{ materialId: string }> {
  static readonly queue = 'search.index-material';
  static readonly policy: JobPolicy = {
    retryLimit: 10, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 300, pollingIntervalSeconds: 0.5, batchSize: 500,
  };

  constructor(private readonly deps: { db: Db; searchIndex: SearchBackend; searchDocuments: SearchDocumentSource }) {}

  async handleBatch(items: Array<{ materialId: string }>): Promise<void> {
    const { documents, absent } = await this.deps.searchDocuments.forMaterials([...new Set(items.map((item) => item.materialId))]);
    await this.deps.searchIndex.upsertMany(documents);
    await this.deps.searchIndex.removeMany(absent);
    // Search pages kept in memory by the API processes show the index as it was.
    await ChangeFeed.announce(this.deps.db.db, SEARCH_TOPIC);
  }
}

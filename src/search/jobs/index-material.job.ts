import { ChangeFeed } from '../../core/db/change-feed.js';
import type { Db } from '../../core/db/client.js';
import { SEARCH_TOPIC } from '../../core/public-cache.js';
import type { JobHandler, JobPolicy } from '../../core/queue/job.js';
import type { SearchBackend } from '../search-backend.js';
import type { SearchDocumentSource } from '../search-documents.js';

/**
 * Brings one material's search entry in line with the database: indexed while it is published,
 * removed otherwise. Reading the current state (not the event) makes retries and duplicates harmless.
 */
export class IndexMaterialJob implements JobHandler<{ materialId: string }> {
  static readonly queue = 'search.index-material';
  static readonly policy: JobPolicy = { retryLimit: 10, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 300 };

  constructor(private readonly deps: { db: Db; search: SearchBackend; searchDocuments: SearchDocumentSource }) {}

  async handle({ materialId }: { materialId: string }): Promise<void> {
    const document = await this.deps.searchDocuments.forMaterial(materialId);
    if (document) await this.deps.search.upsert(document);
    else await this.deps.search.remove(materialId);
    // Search pages kept in memory by the API processes show the index as it was.
    await ChangeFeed.announce(this.deps.db.db, SEARCH_TOPIC);
  }
}

import type { JobHandler, JobPolicy } from '../../core/queue/job.js';
import type { SearchBackend } from '../search-backend.js';
import type { SearchDocumentSource } from '../search-documents.js';

/**
 * Download counts change with every download, not with a publication: every ten minutes the index
 * takes them over (for sorting by most downloaded), writing only those that changed.
 */
export class SyncSearchDownloadsJob implements JobHandler<Record<string, never>> {
  static readonly queue = 'search.sync-downloads';
  static readonly policy: JobPolicy = { retryLimit: 1, retryDelaySeconds: 60, retryBackoff: false, expireInSeconds: 600, cron: '*/10 * * * *' };

  constructor(private readonly deps: { searchIndex: SearchBackend; searchDocuments: SearchDocumentSource }) {}

  async handle(): Promise<void> {
    for await (const counts of this.deps.searchDocuments.downloadCounts()) await this.deps.searchIndex.syncDownloads(counts);
  }
}

import os from 'node:os';
import type { JobHandler, JobPolicy } from '../../core/queue/job.js';
import type { DocumentService } from '../document.service.js';

export interface ProcessDocumentData {
  sha256: string;
  mime: string;
}

/** A large deck takes about 1 GiB in LibreOffice: one conversion per GiB of half the memory, at most one per core. */
export function documentConcurrency(configured: number | undefined): number {
  if (configured) return configured;
  return Math.max(1, Math.min(os.cpus().length, Math.floor(os.totalmem() / 2 / 1024 ** 3)));
}

/**
 * Makes the preview of an uploaded document: PDF (LibreOffice for Office files), page images,
 * per-page text, poster. Bad documents end as `failed` at once; system faults are retried.
 */
export class ProcessDocumentJob implements JobHandler<ProcessDocumentData> {
  static readonly queue = 'documents.process-file';
  static readonly policy: JobPolicy = { retryLimit: 2, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 120 };
  /** How many of these one worker process runs at once. */
  static concurrency(deps: { config: { documents: { workers?: number } } }): number {
    return documentConcurrency(deps.config.documents.workers);
  }

  constructor(private readonly deps: { documents: DocumentService }) {}

  async handle(data: ProcessDocumentData): Promise<void> {
    await this.deps.documents.process(data);
  }
}

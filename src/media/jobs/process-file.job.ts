import type { JobHandler, JobPolicy } from '../../core/queue/job.js';
import type { MediaService } from '../media.service.js';

export interface ProcessFileData {
  sha256: string;
  mime: string;
  materialType: string;
}

/**
 * Probes an uploaded media file and produces its renditions (HLS ladder, download MP4, posters,
 * thumbnails, normalised audio). Retried on transient failures; bad input ends as `failed`.
 */
export class ProcessFileJob implements JobHandler<ProcessFileData> {
  static readonly queue = 'media.process-file';
  static readonly policy: JobPolicy = { retryLimit: 2, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 120 };

  constructor(private readonly deps: { media: MediaService }) {}

  async handle(data: ProcessFileData): Promise<void> {
    await this.deps.media.process(data);
  }
}

import type { JobHandler, JobPolicy } from '../../../core/queue/job.js';
import type { ExportService } from '../export.service.js';

/** A material was published in a new version, archived or withdrawn: its YouTube videos follow. */
export class MaterialChangedJob implements JobHandler<{ materialId: string }> {
  static readonly queue = 'publishing.material-changed';
  static readonly policy: JobPolicy = { retryLimit: 3, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 60 };

  constructor(private readonly deps: { youtubeExports: ExportService }) {}

  async handle({ materialId }: { materialId: string }): Promise<void> {
    await this.deps.youtubeExports.onMaterialChanged(materialId);
  }
}

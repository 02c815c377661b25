import type { JobHandler, JobPolicy } from '../../core/queue/job.js';
import type { PackageService } from '../package.service.js';

export interface ValidatePackageData {
  sha256: string;
}

/**
 * Checks an uploaded interactive package (SCORM 1.2/2004, HTML5, H5P) and unpacks it to storage for
 * the content origin. Retried on transient failures; a refused package ends as `failed` with its reason.
 */
export class ValidatePackageJob implements JobHandler<ValidatePackageData> {
  static readonly queue = 'packages.validate';
  static readonly policy: JobPolicy = { retryLimit: 2, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 120 };

  constructor(private readonly deps: { packages: PackageService }) {}

  async handle(data: ValidatePackageData): Promise<void> {
    await this.deps.packages.process(data);
  }
}

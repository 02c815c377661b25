import type { JobHandler, JobPolicy } from '../../core/queue/job.js';
import type { AuthService } from '../auth.service.js';

/** Deletes sign-in throttle counters that throttle nobody any more (quiet for a day, no recent success). */
export class ForgetLoginThrottlesJob implements JobHandler<Record<string, never>> {
  static readonly queue = 'auth.forget-login-throttles';
  static readonly policy: JobPolicy = { retryLimit: 2, retryDelaySeconds: 60, retryBackoff: false, expireInSeconds: 600, cron: '23 * * * *' };

  constructor(private readonly deps: { auth: AuthService }) {}

  async handle(): Promise<void> {
    await this.deps.auth.forgetQuietThrottles();
  }
}

import { requireRole } from '../../auth/principal.js';
import { AppError } from '../../core/errors.js';
import { BEARER, IdParams, type Route } from '../../http/types.js';

export const retryJob: Route = (app, ctx) => {
  app.post('/api/v1/jobs/:id/retry', { schema: { tags: ['jobs'], summary: 'Chạy lại một tác vụ lỗi (quản trị)', security: BEARER, params: IdParams } }, async (request) => {
    requireRole(request.principal, 'admin');
    const job = await ctx.queue.find(request.params.id);
    if (!job) throw AppError.notFound('job');
    if (job.state !== 'failed' && job.state !== 'cancelled') throw new AppError('JOB_NOT_RETRYABLE', { state: job.state });
    await ctx.queue.retry(job);
    return { id: job.id, state: 'retry' };
  });
};

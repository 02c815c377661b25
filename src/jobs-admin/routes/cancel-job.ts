import { requireRole } from '../../auth/principal.js';
import { AppError } from '../../core/errors.js';
import { BEARER, IdParams, type Route } from '../../http/types.js';

export const cancelJob: Route = (app, ctx) => {
  app.post('/api/v1/jobs/:id/cancel', { schema: { tags: ['jobs'], summary: 'Huỷ một tác vụ chưa xong (quản trị)', security: BEARER, params: IdParams } }, async (request) => {
    requireRole(request.principal, 'admin');
    const job = await ctx.queue.find(request.params.id);
    if (!job) throw AppError.notFound('job');
    if (!['created', 'retry', 'active'].includes(job.state)) throw new AppError('JOB_NOT_CANCELLABLE', { state: job.state });
    await ctx.queue.cancel(job);
    return { id: job.id, state: 'cancelled' };
  });
};

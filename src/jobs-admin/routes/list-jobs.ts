import { Type } from 'typebox';
import { requireRole } from '../../auth/principal.js';
import { JOB_STATES, type JobState } from '../../core/queue/queue.js';
import { BEARER, type Route } from '../../http/types.js';

const Query = Type.Object({ state: Type.Optional(Type.Union(JOB_STATES.map((s) => Type.Literal(s)), { default: 'failed' })) });

export const listJobs: Route = (app, ctx) => {
  app.get('/api/v1/jobs', { schema: { tags: ['jobs'], summary: 'Tác vụ nền theo trạng thái (quản trị)', security: BEARER, querystring: Query } }, async (request) => {
    requireRole(request.principal, 'admin');
    return { items: await ctx.queue.list((request.query.state ?? 'failed') as JobState) };
  });
};

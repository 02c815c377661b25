import { BEARER, IdParams, type Route } from '../../http/types.js';

export const cancelJob: Route = (app, ctx) => {
  app.post('/api/v1/jobs/:id/cancel', { schema: { tags: ['jobs'], summary: 'Huỷ một tác vụ chưa xong, kể cả tác vụ bị treo (quản trị)', security: BEARER, params: IdParams } }, async (request) => (
    ctx.jobsAdmin.cancel(request.principal, request.params.id)
  ));
};

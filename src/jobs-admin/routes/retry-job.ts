import { BEARER, IdParams, type Route } from '../../http/types.js';

export const retryJob: Route = (app, ctx) => {
  app.post('/api/v1/jobs/:id/retry', { schema: { tags: ['jobs'], summary: 'Chạy lại một tác vụ lỗi hoặc đã huỷ (quản trị)', security: BEARER, params: IdParams } }, async (request) => (
    ctx.jobsAdmin.retry(request.principal, request.params.id)
  ));
};

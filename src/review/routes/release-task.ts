import { BEARER, IdParams, type Route } from '../../http/types.js';

export const releaseTask: Route = (app, ctx) => {
  app.post('/api/v1/review/tasks/:id/release', { schema: { tags: ['review'], summary: 'Trả lại nhiệm vụ thẩm định cho hàng đợi', security: BEARER, params: IdParams } },
    async (request) => ctx.reviews.release(request.principal, request.params.id));
};

import { BEARER, IdParams, type Route } from '../../http/types.js';

export const claimTask: Route = (app, ctx) => {
  app.post('/api/v1/review/tasks/:id/claim', { schema: { tags: ['review'], summary: 'Nhận nhiệm vụ thẩm định (có thời hạn)', security: BEARER, params: IdParams } },
    async (request) => ctx.reviews.claim(request.principal, request.params.id));
};

import { BEARER, IdParams, type Route } from '../../http/types.js';

export const getTask: Route = (app, ctx) => {
  app.get('/api/v1/review/tasks/:id', {
    schema: { tags: ['review'], summary: 'Một nhiệm vụ thẩm định: nguồn gốc, các vòng thẩm định, những gì đã thay đổi', security: BEARER, params: IdParams },
  }, async (request) => ctx.reviews.detail(request.principal, request.params.id));
};

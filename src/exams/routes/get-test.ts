import { BEARER, IdParams, type Route } from '../../http/types.js';

export const getTest: Route = (app, ctx) => {
  app.get('/api/v1/tests/:id', {
    schema: { tags: ['tests'], summary: 'Đề kiểm tra đã sinh (chỉ người tạo)', security: BEARER, params: IdParams },
  }, async (request) => ctx.exams.get(request.principal, request.params.id));
};

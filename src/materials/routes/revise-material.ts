import { BEARER, IdParams, type Route } from '../../http/types.js';

export const reviseMaterial: Route = (app, ctx) => {
  app.post('/api/v1/materials/:id/revise', {
    schema: { tags: ['materials'], summary: 'Tạo phiên bản mới của học liệu đã xuất bản (bản cũ vẫn công khai đến khi bản mới được duyệt)', security: BEARER, params: IdParams },
  }, async (request) => ctx.materials.revise(request.principal, request.params.id));
};

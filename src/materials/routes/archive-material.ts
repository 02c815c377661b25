import { BEARER, IdParams, type Route } from '../../http/types.js';

export const archiveMaterial: Route = (app, ctx) => {
  app.post('/api/v1/materials/:id/archive', { schema: { tags: ['materials'], summary: 'Lưu trữ (gỡ khỏi kho công khai)', security: BEARER, params: IdParams } },
    async (request) => ctx.materials.archive(request.principal, request.params.id));
};

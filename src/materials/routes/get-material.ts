import { IdParams, type Route } from '../../http/types.js';

export const getMaterial: Route = (app, ctx) => {
  app.get('/api/v1/materials/:id', { schema: { tags: ['materials'], summary: 'Xem học liệu (công chúng: phiên bản đã xuất bản)', params: IdParams } },
    async (request) => ctx.materials.get(request.principal, request.params.id));
};

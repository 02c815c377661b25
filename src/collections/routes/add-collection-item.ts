import { Type } from 'typebox';
import { BEARER, IdParams, type Route } from '../../http/types.js';

export const addCollectionItem: Route = (app, ctx) => {
  app.post('/api/v1/collections/:id/items', {
    schema: { tags: ['collections'], summary: 'Thêm học liệu đã xuất bản vào cuối bộ sưu tập', security: BEARER, params: IdParams, body: Type.Object({ materialId: Type.String({ format: 'uuid' }) }) },
  }, async (request, reply) => reply.code(201).send(await ctx.collections.addItem(request.principal, request.params.id, request.body.materialId)));
};

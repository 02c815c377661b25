import { IdParams, type Route } from '../../http/types.js';

export const getCollection: Route = (app, ctx) => {
  app.get('/api/v1/collections/:id', { schema: { tags: ['collections'], summary: 'Xem bộ sưu tập', params: IdParams } }, async (request) => ctx.collections.get(request.params.id));
};

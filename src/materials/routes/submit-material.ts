import { BEARER, IdParams, type Route } from '../../http/types.js';

export const submitMaterial: Route = (app, ctx) => {
  app.post('/api/v1/materials/:id/submit', { schema: { tags: ['materials'], summary: 'Gửi thẩm định', security: BEARER, params: IdParams } },
    async (request) => ctx.materials.submit(request.principal, request.params.id));
};

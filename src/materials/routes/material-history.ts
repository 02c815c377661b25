import { BEARER, IdParams, type Route } from '../../http/types.js';

export const materialHistory: Route = (app, ctx) => {
  app.get('/api/v1/materials/:id/history', { schema: { tags: ['materials'], summary: 'Lịch sử (nhật ký chỉ ghi thêm)', security: BEARER, params: IdParams } },
    async (request) => ctx.materials.history(request.principal, request.params.id));
};

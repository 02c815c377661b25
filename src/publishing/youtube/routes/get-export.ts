import { BEARER, IdParams, type Route } from '../../../http/types.js';

export const getExport: Route = (app, ctx) => {
  app.get('/api/v1/publishing/youtube/exports/:id', {
    schema: { tags: ['publishing'], security: BEARER, params: IdParams, summary: 'Một lượt xuất bản YouTube' },
  }, async (request) => ctx.youtubeExports.get(request.principal, request.params.id));
};

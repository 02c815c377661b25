import { IdParams, type Route } from '../../../http/types.js';

export const materialBroadcasts: Route = (app, ctx) => {
  app.get('/api/v1/materials/:id/broadcasts', {
    schema: { tags: ['broadcast'], summary: 'Học liệu đã (và sẽ) được phát sóng ở đâu, khi nào (ai xem được học liệu thì xem được)', params: IdParams },
  }, async (request) => ctx.broadcast.broadcastsOf(request.principal, request.params.id));
};

import { BEARER, IdParams, type Route } from '../../http/types.js';

export const readNotification: Route = (app, ctx) => {
  app.post('/api/v1/notifications/:id/read', {
    schema: { tags: ['notifications'], summary: 'Đánh dấu một thông báo của tôi là đã đọc', security: BEARER, params: IdParams },
  }, async (request) => ctx.notifications.markRead(request.principal, request.params.id));
};

import { BEARER, type Route } from '../../http/types.js';

export const readAllNotifications: Route = (app, ctx) => {
  app.post('/api/v1/notifications/read-all', {
    schema: { tags: ['notifications'], summary: 'Đánh dấu mọi thông báo của tôi là đã đọc', security: BEARER },
  }, async (request) => ctx.notifications.markAllRead(request.principal));
};

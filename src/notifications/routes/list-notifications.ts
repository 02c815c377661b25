import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';

const Query = Type.Object({
  unread: Type.Optional(Type.Boolean({ description: 'true: chỉ các thông báo chưa đọc' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});

export const listNotifications: Route = (app, ctx) => {
  app.get('/api/v1/notifications', {
    schema: { tags: ['notifications'], summary: 'Thông báo của tôi (mới nhất trước), kèm số chưa đọc', security: BEARER, querystring: Query },
  }, async (request) => ctx.notifications.list(request.principal, {
    limit: request.query.limit ?? 20, offset: request.query.offset ?? 0, unreadOnly: request.query.unread ?? false,
  }));
};

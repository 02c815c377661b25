import { Type } from 'typebox';
import type { Route } from '../../http/types.js';

const Query = Type.Object({ level: Type.Optional(Type.String()), grade: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })), subject: Type.Optional(Type.String()) });

export const listCollections: Route = (app, ctx) => {
  app.get('/api/v1/collections', { schema: { tags: ['collections'], summary: 'Danh sách bộ sưu tập', querystring: Query } }, async (request) => ctx.collections.list(request.query));
};

import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';
import type { TaskStatus } from '../review.repository.js';

const Code = Type.String({ maxLength: 60, pattern: '^[a-z0-9-]+$' });
const Query = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('claimed'), Type.Literal('done')], { default: 'open' })),
  level: Type.Optional(Code),
  grade: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
  subject: Type.Optional(Code),
  type: Type.Optional(Code),
  waitingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'Chỉ những nhiệm vụ đã chờ ít nhất từng này ngày' })),
}, { additionalProperties: false });

export const listTasks: Route = (app, ctx) => {
  app.get('/api/v1/review/tasks', { schema: { tags: ['review'], summary: 'Hàng đợi thẩm định của đơn vị mình (cũ nhất trước)', security: BEARER, querystring: Query } },
    async (request) => {
      const { status, ...filter } = request.query;
      return ctx.reviews.list(request.principal, (status ?? 'open') as TaskStatus, filter);
    });
};

import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';
import type { TaskStatus } from '../review.repository.js';

const Query = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('claimed'), Type.Literal('done')], { default: 'open' })) });

export const listTasks: Route = (app, ctx) => {
  app.get('/api/v1/review/tasks', { schema: { tags: ['review'], summary: 'Hàng đợi thẩm định của đơn vị mình (cũ nhất trước)', security: BEARER, querystring: Query } },
    async (request) => ctx.reviews.list(request.principal, (request.query.status ?? 'open') as TaskStatus));
};

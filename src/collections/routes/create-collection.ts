import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';

const Body = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 300 }),
  description: Type.Optional(Type.String({ maxLength: 10_000 })),
  level: Type.Optional(Type.String({ minLength: 1 })),
  grade: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
  subject: Type.Optional(Type.String({ minLength: 1 })),
}, { additionalProperties: false });

export const createCollection: Route = (app, ctx) => {
  app.post('/api/v1/collections', { schema: { tags: ['collections'], summary: 'Tạo bộ sưu tập', security: BEARER, body: Body } },
    async (request, reply) => reply.code(201).send(await ctx.collections.create(request.principal, request.body)));
};

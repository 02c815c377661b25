import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';
import { MaterialFieldsSchema } from './schemas.js';

const Body = Type.Object({ ...MaterialFieldsSchema, type: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const createMaterial: Route = (app, ctx) => {
  app.post('/api/v1/materials', { schema: { tags: ['materials'], summary: 'Tạo học liệu (bản nháp, phiên bản 1)', security: BEARER, body: Body } },
    async (request, reply) => reply.code(201).send(await ctx.materials.create(request.principal, request.body)));
};

import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';
import type { OrgKind as Kind } from '../org.repository.js';
import { OrgCode, OrgKind, ReviewScope } from './schemas.js';

const Body = Type.Object({
  code: OrgCode,
  name: Type.String({ minLength: 1, maxLength: 300 }),
  kind: OrgKind,
  parentCode: Type.Optional(Type.String({ minLength: 1 })),
  reviewScope: Type.Optional(ReviewScope),
}, { additionalProperties: false });

export const createOrg: Route = (app, ctx) => {
  app.post('/api/v1/orgs', {
    schema: { tags: ['orgs'], summary: 'Tạo đơn vị (Bộ, Vụ/Cục, Sở, Phòng, trường)', security: BEARER, body: Body },
  }, async (request, reply) => {
    const org = await ctx.orgs.create(request.principal, { ...request.body, kind: request.body.kind as Kind });
    return reply.code(201).send(org);
  });
};

import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';
import { orgEtag } from '../org.service.js';
import { OrgParams, ReviewScope } from './schemas.js';

const Body = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  reviewScope: Type.Optional(Type.Union([ReviewScope, Type.Null()], { description: 'null: đơn vị không còn là một cấp thẩm định' })),
}, { additionalProperties: false });

export const updateOrg: Route = (app, ctx) => {
  app.patch('/api/v1/orgs/:code', {
    schema: {
      tags: ['orgs'], summary: 'Đổi tên hoặc phạm vi thẩm định của một đơn vị (cần If-Match: ETag lấy từ GET)', security: BEARER,
      params: OrgParams, body: Body,
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 200 })) }),
    },
  }, async (request, reply) => {
    const org = await ctx.orgs.update(request.principal, request.params.code, request.headers['if-match'], request.body);
    return reply.header('etag', orgEtag(org)).send(org);
  });
};

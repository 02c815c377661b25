import { Type } from 'typebox';
import { ROLES, type Role } from '../../core/db/schema.js';
import { BEARER, type Route } from '../../http/types.js';

const Query = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Một phần tên đăng nhập hoặc họ tên (không phân biệt dấu), hoặc đúng mã định danh' })),
  org: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Mã đơn vị: tài khoản của đơn vị này và các đơn vị trực thuộc' })),
  role: Type.Optional(Type.Union(ROLES.map((r) => Type.Literal(r)))),
  active: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});

export const listUsers: Route = (app, ctx) => {
  app.get('/api/v1/users', {
    schema: { tags: ['users'], summary: 'Danh sách tài khoản (quản trị; quản trị đơn vị: trong cây đơn vị của mình)', security: BEARER, querystring: Query },
  }, async (request) => {
    const { q, org, role, active, limit, offset } = request.query;
    return ctx.users.list(request.principal, { q, orgCode: org, role: role as Role | undefined, active, limit: limit ?? 50, offset: offset ?? 0 });
  });
};

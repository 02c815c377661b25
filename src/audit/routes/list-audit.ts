import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';

const Query = Type.Object({
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Tên đăng nhập của người thực hiện' })),
  org: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Mã đơn vị: sự kiện của đơn vị đó và các đơn vị trực thuộc' })),
  material: Type.Optional(Type.String({ format: 'uuid' })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z_]+$' })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
}, { additionalProperties: false });

export const listAudit: Route = (app, ctx) => {
  app.get('/api/v1/audit', {
    schema: { tags: ['audit'], summary: 'Nhật ký kiểm toán, lọc theo người, đơn vị, học liệu, thao tác và thời gian (quản trị; quản trị đơn vị: cây đơn vị của mình)', security: BEARER, querystring: Query },
  }, async (request) => {
    const q = request.query;
    return ctx.audit.search(request.principal, {
      actor: q.actor, org: q.org, material: q.material, action: q.action,
      from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit: q.limit ?? 50, offset: q.offset ?? 0,
    });
  });
};

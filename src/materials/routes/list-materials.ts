import { Type } from 'typebox';
import { MATERIAL_STATUSES } from '../../core/db/schema.js';
import { BEARER, type Route } from '../../http/types.js';

const Query = Type.Object({
  // Only one's own materials are listed here; the public lists through search.
  mine: Type.Literal(true),
  status: Type.Optional(Type.Union(MATERIAL_STATUSES.map((s) => Type.Literal(s)))),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});

export const listMaterials: Route = (app, ctx) => {
  app.get('/api/v1/materials', {
    schema: {
      tags: ['materials'], summary: 'Học liệu của tôi (mọi trạng thái; đang thẩm định: nơi đang chờ; cần chỉnh sửa: ý kiến người thẩm định)',
      security: BEARER, querystring: Query,
    },
  }, async (request) => {
    const { status, limit, offset } = request.query;
    return ctx.materials.mine(request.principal, { status, limit: limit ?? 20, offset: offset ?? 0 });
  });
};

import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';
import { OrgParams } from './schemas.js';

const Query = Type.Object({
  to: Type.String({ minLength: 1, maxLength: 64, description: 'Mã đơn vị cấp trên mới (chuyển) hoặc đơn vị nhận (sáp nhập)' }),
  mode: Type.Optional(Type.Union([Type.Literal('move'), Type.Literal('merge')], { default: 'move' })),
}, { additionalProperties: false });

export const movePreview: Route = (app, ctx) => {
  app.get('/api/v1/orgs/:code/move-preview', {
    schema: {
      tags: ['orgs'], security: BEARER, params: OrgParams, querystring: Query,
      summary: 'Xem trước những gì sẽ chuyển khi chuyển (mode=move) hoặc sáp nhập (mode=merge) một đơn vị: đơn vị, tài khoản, học liệu, nhiệm vụ thẩm định đang mở',
    },
  }, async (request) => ctx.orgTransfers.preview(request.principal, request.params.code, request.query.to, request.query.mode ?? 'move'));
};

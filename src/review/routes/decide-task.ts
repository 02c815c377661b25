import { Type } from 'typebox';
import { BEARER, IdParams, type Route } from '../../http/types.js';
import type { Decision } from '../review.service.js';

const Body = Type.Object({
  decision: Type.Union([Type.Literal('approve'), Type.Literal('request_changes'), Type.Literal('reject')]),
  comment: Type.Optional(Type.String({ maxLength: 10_000, description: 'Ý kiến cho người đóng góp: bắt buộc khi yêu cầu chỉnh sửa hoặc không đồng ý' })),
  reasons: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50, description: 'Mã lý do trong danh mục (src/review/reasons.json): ít nhất một khi yêu cầu chỉnh sửa hoặc không đồng ý' })),
  internalNote: Type.Optional(Type.String({ maxLength: 10_000, description: 'Ghi chú nội bộ cho các cấp thẩm định sau; người đóng góp không thấy' })),
  claimedAt: Type.Optional(Type.String({ format: 'date-time', description: 'Lượt nhận mà quyết định dựa vào (claimedAt khi nhận): lượt nhận mới hơn thì bị từ chối' })),
}, { additionalProperties: false });

export const decideTask: Route = (app, ctx) => {
  app.post('/api/v1/review/tasks/:id/decision', {
    schema: { tags: ['review'], summary: 'Quyết định: duyệt, yêu cầu chỉnh sửa, hoặc từ chối', security: BEARER, params: IdParams, body: Body },
  }, async (request) => {
    const { decision, comment, reasons, internalNote, claimedAt } = request.body;
    return ctx.reviews.decide(request.principal, request.params.id, {
      decision: decision as Decision, comment: comment?.trim() || null, reasons: reasons ?? [], internalNote: internalNote?.trim() || null, claimedAt,
    });
  });
};

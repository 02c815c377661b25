import { Type } from 'typebox';
import { BEARER, IdParams, type Route } from '../../../http/types.js';

const Body = Type.Object({
  start: Type.String({ format: 'date-time', description: 'Giờ bắt đầu mới, ISO 8601 có múi giờ; lịch giữ nguyên độ dài' }),
}, { additionalProperties: false });

export const moveBroadcastSlot: Route = (app, ctx) => {
  app.patch('/api/v1/publishing/broadcast/slots/:id', {
    schema: { tags: ['broadcast'], summary: 'Dời một lịch phát chưa bắt đầu sang giờ khác (giữ độ dài); trùng lịch → 409 nêu bài đã có', security: BEARER, params: IdParams, body: Body },
  }, async (request) => ctx.broadcast.moveSlot(request.principal, request.params.id, request.body.start));
};

import { Type } from 'typebox';
import { BEARER, IdParams, type Route } from '../../../http/types.js';

const Body = Type.Object({ status: Type.Union([Type.Literal('aired'), Type.Literal('missed')]) }, { additionalProperties: false });

export const setBroadcastSlotStatus: Route = (app, ctx) => {
  app.post('/api/v1/publishing/broadcast/slots/:id/status', {
    schema: { tags: ['broadcast'], summary: 'Đánh dấu đã phát hoặc bị lỡ (sau giờ bắt đầu)', security: BEARER, params: IdParams, body: Body },
  }, async (request) => ctx.broadcast.setStatus(request.principal, request.params.id, request.body.status as 'aired' | 'missed'));
};

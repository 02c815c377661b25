import { BEARER, type Route } from '../../../http/types.js';
import { SlotBody } from './schemas.js';

export const createBroadcastSlot: Route = (app, ctx) => {
  app.post('/api/v1/publishing/broadcast/slots', {
    schema: {
      tags: ['broadcast'], security: BEARER, body: SlotBody,
      summary: 'Xếp lịch phát một bài học đã xuất bản; trùng lịch trên kênh → 409, khung giờ ngắn hơn bài học → 422',
    },
  }, async (request, reply) => reply.code(201).send(await ctx.broadcast.createSlot(request.principal, request.body)));
};

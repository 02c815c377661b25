import { Type } from 'typebox';
import { languageOf } from '../../../core/errors.js';
import { BEARER, type Route } from '../../../http/types.js';
import { SlotBody } from './schemas.js';

const Body = Type.Object({ slots: Type.Array(SlotBody, { minItems: 1, maxItems: 2000 }) }, { additionalProperties: false });

export const importBroadcastSlots: Route = (app, ctx) => {
  app.post('/api/v1/publishing/broadcast/slots/import', {
    schema: {
      tags: ['broadcast'], security: BEARER, body: Body,
      summary: 'Nhập cả lịch phát sóng: ghi tất cả trong một giao dịch, hoặc không ghi gì và liệt kê mọi dòng lỗi, mọi chỗ trùng',
    },
  }, async (request, reply) => reply.code(201).send(
    await ctx.broadcast.importSlots(request.principal, request.body.slots, languageOf(request.headers['accept-language']))));
};

import { BEARER, IdParams, type Route } from '../../../http/types.js';

export const deleteBroadcastSlot: Route = (app, ctx) => {
  app.delete('/api/v1/publishing/broadcast/slots/:id', {
    schema: { tags: ['broadcast'], summary: 'Huỷ một lịch phát chưa bắt đầu', security: BEARER, params: IdParams },
  }, async (request, reply) => {
    await ctx.broadcast.deleteSlot(request.principal, request.params.id);
    return reply.code(204).send();
  });
};

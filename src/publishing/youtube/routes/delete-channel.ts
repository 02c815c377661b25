import { BEARER, IdParams, type Route } from '../../../http/types.js';

export const deleteChannel: Route = (app, ctx) => {
  app.delete('/api/v1/publishing/youtube/channels/:id', {
    schema: { tags: ['publishing'], security: BEARER, params: IdParams, summary: 'Xoá kênh (các lượt xuất bản đang chờ sẽ kết thúc với lý do "kênh đã bị xoá")' },
  }, async (request, reply) => {
    await ctx.youtubeChannels.remove(request.principal, request.params.id);
    return reply.code(204).send();
  });
};

import { BEARER, IdParams, type Route } from '../../../http/types.js';

export const authorizeChannel: Route = (app, ctx) => {
  app.get('/api/v1/publishing/youtube/channels/:id/authorize', {
    schema: {
      tags: ['publishing'], security: BEARER, params: IdParams,
      summary: 'Chuyển tới trang đồng ý của Google (OAuth 2.0, truy cập ngoại tuyến, phạm vi youtube.force-ssl)',
      description: '302 tới Google; thân trả lời cũng có {url} cho ứng dụng không tự theo chuyển hướng.',
    },
  }, async (request, reply) => {
    const url = await ctx.youtubeChannels.authorizeUrl(request.principal, request.params.id);
    return reply.code(302).header('location', url).send({ url });
  });
};

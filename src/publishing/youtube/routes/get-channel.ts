import { BEARER, IdParams, type Route } from '../../../http/types.js';

export const getChannel: Route = (app, ctx) => {
  app.get('/api/v1/publishing/youtube/channels/:id', {
    schema: { tags: ['publishing'], security: BEARER, params: IdParams, summary: 'Một kênh YouTube (không bao giờ kèm bí mật)' },
  }, async (request) => ctx.youtubeChannels.get(request.principal, request.params.id));
};

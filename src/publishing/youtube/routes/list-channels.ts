import { BEARER, type Route } from '../../../http/types.js';

export const listChannels: Route = (app, ctx) => {
  app.get('/api/v1/publishing/youtube/channels', {
    schema: { tags: ['publishing'], security: BEARER, summary: 'Các kênh YouTube bạn được dùng, với trạng thái uỷ quyền, cài đặt và hạn mức API hôm nay' },
  }, async (request) => ctx.youtubeChannels.list(request.principal));
};

import type { Route } from '../../../http/types.js';

export const listBroadcastChannels: Route = (app, ctx) => {
  app.get('/api/v1/publishing/broadcast/channels', {
    schema: { tags: ['broadcast'], summary: 'Danh sách kênh truyền hình, phát thanh (công khai)' },
  }, async () => ctx.broadcast.listChannels());
};

import { Type } from 'typebox';
import { BEARER, type Route } from '../../../http/types.js';
import { Privacy } from './schemas.js';

const Body = Type.Object({
  channelId: Type.String({ format: 'uuid' }),
  collectionId: Type.String({ format: 'uuid' }),
  privacy: Type.Optional(Privacy),
}, { additionalProperties: false });

export const bulkExport: Route = (app, ctx) => {
  app.post('/api/v1/publishing/youtube/exports/bulk', {
    schema: {
      tags: ['publishing'], security: BEARER, body: Body,
      summary: 'Xuất bản cả một bộ sưu tập lên kênh: mỗi học liệu một lượt; học liệu không xuất được được liệt kê kèm lý do',
    },
  }, async (request, reply) => reply.code(202).send(await ctx.youtubeExports.requestBulk(request.principal, request.body)));
};

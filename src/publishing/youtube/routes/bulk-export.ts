import { Type } from 'typebox';
import { BEARER, type Route } from '../../../http/types.js';
import { Privacy } from './schemas.js';

const Filter = Type.Object({
  level: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  grade: Type.Optional(Type.Integer({ minimum: 0, maximum: 12 })),
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  series: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
}, { additionalProperties: false, minProperties: 1 });

const Body = Type.Union([
  Type.Object({ channelId: Type.String({ format: 'uuid' }), collectionId: Type.String({ format: 'uuid' }), privacy: Type.Optional(Privacy) }, { additionalProperties: false }),
  Type.Object({ channelId: Type.String({ format: 'uuid' }), filter: Filter, privacy: Type.Optional(Privacy) }, { additionalProperties: false }),
]);

export const bulkExport: Route = (app, ctx) => {
  app.post('/api/v1/publishing/youtube/exports/bulk', {
    schema: {
      tags: ['publishing'], security: BEARER, body: Body,
      summary: 'Xuất bản cả một bộ sưu tập ({collectionId}) hoặc mọi bài đã xuất bản theo bộ lọc ({filter: {level, grade, subject, series}}) lên kênh: mỗi học liệu một lượt; bài không xuất được được liệt kê kèm lý do',
    },
  }, async (request, reply) => reply.code(202).send(await ctx.youtubeExports.requestBulk(request.principal, request.body)));
};

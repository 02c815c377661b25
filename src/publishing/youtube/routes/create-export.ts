import { Type } from 'typebox';
import { BEARER, type Route } from '../../../http/types.js';
import { Privacy } from './schemas.js';

const Body = Type.Object({
  materialId: Type.String({ format: 'uuid' }),
  channelId: Type.String({ format: 'uuid' }),
  privacy: Type.Optional(Privacy),
  publishAt: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false });

export const createExport: Route = (app, ctx) => {
  app.post('/api/v1/publishing/youtube/exports', {
    schema: {
      tags: ['publishing'], security: BEARER, body: Body,
      summary: 'Xuất bản một bài giảng truyền hình/video đã thẩm định lên kênh YouTube (người xuất bản)',
      description: 'Mỗi (phiên bản học liệu, kênh) chỉ một video: yêu cầu lặp lại trả về lượt đã có (200) thay vì tạo mới (202). publishAt: công khai theo lịch (video ở chế độ riêng tư đến lúc đó).',
    },
  }, async (request, reply) => {
    const { created, export: shown } = await ctx.youtubeExports.request(request.principal, request.body);
    return reply.code(created ? 202 : 200).send(shown);
  });
};

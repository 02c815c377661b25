import { Type } from 'typebox';
import { BEARER, type Route } from '../../../http/types.js';
import { EXPORT_STATES } from '../model.js';

const Query = Type.Object({ state: Type.Optional(Type.Union(EXPORT_STATES.map((s) => Type.Literal(s)))) });

export const listExports: Route = (app, ctx) => {
  app.get('/api/v1/publishing/youtube/exports', {
    schema: {
      tags: ['publishing'], security: BEARER, querystring: Query,
      summary: 'Hàng đợi xuất bản YouTube: trạng thái, % tải lên, video và đường dẫn, lý do lỗi, thời điểm dự kiến bắt đầu theo hạn mức',
    },
  }, async (request) => ctx.youtubeExports.list(request.principal, request.query));
};

import { Type } from 'typebox';
import type { Route } from '../../http/types.js';

const Query = Type.Object({ q: Type.String({ maxLength: 100 }) });

export const suggestSearch: Route = (app, ctx) => {
  app.get('/api/v1/search/suggest', {
    schema: {
      tags: ['search'],
      summary: 'Gợi ý khi đang gõ: môn, cấp học, loại học liệu và tên học liệu bắt đầu bằng chuỗi đã gõ',
      querystring: Query,
    },
  }, async (request, reply) => {
    // The same for everyone and cheap to recompute: a browser may keep it a minute.
    reply.header('cache-control', 'public, max-age=60');
    return { suggestions: await ctx.search.suggest(request.query.q) };
  });
};

import { Type } from 'typebox';
import type { Route } from '../../http/types.js';

const Code = Type.Optional(Type.String({ minLength: 1, maxLength: 64 }));
const Query = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  level: Code, subject: Code, type: Code, series: Code, org: Code, license: Code,
  grade: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
  sort: Type.Optional(Type.Union([Type.Literal('relevance'), Type.Literal('newest')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

export const search: Route = (app, ctx) => {
  app.get('/api/v1/search', {
    schema: { tags: ['search'], summary: 'Tìm học liệu đã xuất bản (gõ có dấu hoặc không dấu)', querystring: Query },
  }, async (request) => {
    const { q = '', sort = 'relevance', page = 1, pageSize = 20, ...filters } = request.query;
    return ctx.search.search({ q: q.trim(), sort, page, pageSize, filters });
  });
};

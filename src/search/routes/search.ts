import { Type } from 'typebox';
import type { Route } from '../../http/types.js';
import { SORTS } from '../search-backend.js';

const Code = Type.Optional(Type.String({ minLength: 1, maxLength: 64 }));
const Query = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  level: Code, subject: Code, type: Code, series: Code, province: Code, org: Code, license: Code,
  grade: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
  sort: Type.Optional(Type.Union(SORTS.map((s) => Type.Literal(s)))),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

export const search: Route = (app, ctx) => {
  app.get('/api/v1/search', {
    schema: {
      tags: ['search'],
      summary: 'Tìm học liệu đã xuất bản (gõ có dấu hoặc không dấu, viết tắt môn, "lớp 7"…)',
      description: 'Ranks by how much of the query a material covers (phrase, title, taxonomy terms, description, document text); words naming a level, grade, subject or type boost the materials carrying them. `partial`: no material holds every word. `suggestion`: a corrected query. Facets count under every filter but their own. `approximate`: the total and the counts are estimated from a sample (a match of more than a few thousand materials).',
      querystring: Query,
    },
  }, async (request) => {
    const { q = '', sort = 'relevance', page = 1, pageSize = 20, ...filters } = request.query;
    return ctx.search.search({ q: q.trim(), sort, page, pageSize, filters });
  });
};

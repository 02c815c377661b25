import type { Route } from '../../http/types.js';

export const getTaxonomy: Route = (app, ctx) => {
  app.get('/api/v1/taxonomy', { schema: { tags: ['taxonomy'], summary: 'Danh mục: cấp học, lớp, môn học, bộ sách, loại học liệu, giấy phép' } }, async () => ctx.taxonomy.document());
};

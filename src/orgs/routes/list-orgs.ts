import type { Route } from '../../http/types.js';

export const listOrgs: Route = (app, ctx) => {
  app.get('/api/v1/orgs', { schema: { tags: ['orgs'], summary: 'Danh sách đơn vị' } }, async () => ({ items: await ctx.orgs.list() }));
};

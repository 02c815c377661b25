import type { Route } from '../../http/types.js';
import { OrgParams } from './schemas.js';

export const getOrg: Route = (app, ctx) => {
  app.get('/api/v1/orgs/:code', { schema: { tags: ['orgs'], summary: 'Xem một đơn vị', params: OrgParams } }, async (request) => ctx.orgs.get(request.params.code));
};

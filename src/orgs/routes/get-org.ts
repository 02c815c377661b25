import type { Route } from '../../http/types.js';
import { orgEtag } from '../org.service.js';
import { OrgParams } from './schemas.js';

export const getOrg: Route = (app, ctx) => {
  app.get('/api/v1/orgs/:code', { schema: { tags: ['orgs'], summary: 'Xem một đơn vị (ETag: phiên bản để sửa bằng PATCH)', params: OrgParams } }, async (request, reply) => {
    const org = await ctx.orgs.get(request.params.code);
    return reply.header('etag', orgEtag(org)).send(org);
  });
};

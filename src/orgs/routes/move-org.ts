import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';
import { OrgParams } from './schemas.js';

export const moveOrg: Route = (app, ctx) => {
  app.post('/api/v1/orgs/:code/move', {
    schema: {
      tags: ['orgs'], summary: 'Chuyển một đơn vị (và cả cây con) sang đơn vị cấp trên khác — ví dụ khi sáp nhập tỉnh', security: BEARER,
      params: OrgParams, body: Type.Object({ parentCode: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
    },
  }, async (request) => ctx.orgTransfers.move(request.principal, request.params.code, request.body.parentCode));
};

import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';
import { OrgParams } from './schemas.js';

export const mergeOrg: Route = (app, ctx) => {
  app.post('/api/v1/orgs/:code/merge', {
    schema: {
      tags: ['orgs'], security: BEARER, params: OrgParams,
      summary: 'Sáp nhập một đơn vị vào đơn vị cùng cấp (ví dụ sáp nhập tỉnh): đơn vị trực thuộc, tài khoản, học liệu, kênh và nhiệm vụ thẩm định đang mở chuyển sang; đơn vị cũ đóng lại, lịch sử giữ nguyên',
      body: Type.Object({ into: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
    },
  }, async (request) => ctx.orgTransfers.merge(request.principal, request.params.code, request.body.into));
};

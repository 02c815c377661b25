import { Type } from 'typebox';
import { BEARER, IdParams, type Route } from '../../http/types.js';
import { MaterialFieldsSchema } from './schemas.js';

// Type.Partial drops additionalProperties: false; the app makes every body strict (src/http/strict-schemas.ts).
const Body = Type.Partial(Type.Object(MaterialFieldsSchema));

export const updateMaterial: Route = (app, ctx) => {
  app.patch('/api/v1/materials/:id', {
    schema: { tags: ['materials'], summary: 'Sửa phiên bản đang soạn (khi là bản nháp hoặc được yêu cầu chỉnh sửa)', security: BEARER, params: IdParams, body: Body },
  }, async (request) => ctx.materials.update(request.principal, request.params.id, request.body));
};

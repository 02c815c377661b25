import { Type } from 'typebox';
import { ROLES, type Role } from '../../core/db/schema.js';
import { BEARER, IdParams, type Route } from '../../http/types.js';
import { EMAIL_PATTERN_SOURCE } from '../../notifications/email-address.js';

const Body = Type.Object({
  active: Type.Optional(Type.Boolean({ description: 'false: khoá tài khoản (thu hồi mọi phiên đăng nhập, trả lại các nhiệm vụ thẩm định đang nhận); true: mở lại' })),
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  roles: Type.Optional(Type.Array(Type.Union(ROLES.map((r) => Type.Literal(r))), { minItems: 1, maxItems: ROLES.length })),
  orgCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Chuyển tài khoản sang đơn vị này (trả lại các nhiệm vụ thẩm định đang nhận)' })),
  email: Type.Optional(Type.Union([Type.String({ maxLength: 254, pattern: EMAIL_PATTERN_SOURCE }), Type.Null()])),
}, { additionalProperties: false, minProperties: 1 });

export const updateUser: Route = (app, ctx) => {
  app.patch('/api/v1/users/:id', {
    schema: { tags: ['users'], summary: 'Sửa (họ tên, đơn vị, vai trò, e-mail), khoá hoặc mở lại tài khoản (quản trị; quản trị đơn vị trong cây đơn vị của mình)', security: BEARER, params: IdParams, body: Body },
  }, async (request) => ctx.users.update(request.principal, request.params.id, { ...request.body, roles: request.body.roles as Role[] | undefined }));
};

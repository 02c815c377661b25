import { Type } from 'typebox';
import { ROLES, type Role } from '../../core/db/schema.js';
import { BEARER, type Route } from '../../http/types.js';
import { EMAIL_PATTERN_SOURCE } from '../../notifications/email-address.js';

const Body = Type.Object({
  username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
  password: Type.Optional(Type.String({ maxLength: 256, description: 'Bỏ trống: tài khoản nhận một liên kết dùng một lần để tự đặt mật khẩu (passwordLink trong kết quả)' })),
  displayName: Type.String({ minLength: 1, maxLength: 200 }),
  orgCode: Type.String({ minLength: 1 }),
  roles: Type.Array(Type.Union(ROLES.map((r) => Type.Literal(r))), { minItems: 1, maxItems: ROLES.length }),
  personalId: Type.Optional(Type.String({ minLength: 4, maxLength: 32, pattern: '^[A-Za-z0-9-]+$', description: 'Mã định danh ngành giáo dục (Thông tư 09/2021, Điều 15)' })),
  email: Type.Optional(Type.String({ maxLength: 254, pattern: EMAIL_PATTERN_SOURCE, description: 'Chỉ để gửi những thông báo người dùng chọn nhận qua e-mail' })),
}, { additionalProperties: false });

export const createUser: Route = (app, ctx) => {
  app.post('/api/v1/users', { schema: { tags: ['users'], summary: 'Tạo tài khoản', security: BEARER, body: Body } }, async (request, reply) => {
    const user = await ctx.users.create(request.principal, { ...request.body, roles: request.body.roles as Role[] });
    return reply.code(201).send(user);
  });
};

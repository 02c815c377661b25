import { BEARER, IdParams, type Route } from '../../http/types.js';

export const createPasswordReset: Route = (app, ctx) => {
  app.post('/api/v1/users/:id/password-reset', {
    schema: {
      tags: ['users'], security: BEARER, params: IdParams,
      summary: 'Tạo liên kết dùng một lần để người dùng tự đặt mật khẩu mới (hết hạn sau 72 giờ; liên kết cũ chưa dùng hết hiệu lực)',
    },
  }, async (request, reply) => reply.code(201).send(await ctx.passwordResets.create(request.principal, request.params.id)));
};

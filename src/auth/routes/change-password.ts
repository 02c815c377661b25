import { Type } from 'typebox';
import { requirePrincipal } from '../principal.js';
import { BEARER, type Route } from '../../http/types.js';

const Body = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: Type.String({ maxLength: 256 }),
}, { additionalProperties: false });

export const changePassword: Route = (app, ctx) => {
  app.post('/api/v1/me/password', {
    schema: { tags: ['auth'], summary: 'Đổi mật khẩu của mình; các phiên đăng nhập khác bị kết thúc', security: BEARER, body: Body },
  }, async (request, reply) => {
    await ctx.auth.changePassword(requirePrincipal(request.principal), request.bearerToken!, request.body, request.ip);
    return reply.code(204).send();
  });
};

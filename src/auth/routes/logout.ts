import { requirePrincipal } from '../principal.js';
import { BEARER, type Route } from '../../http/types.js';

export const logout: Route = (app, ctx) => {
  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Đăng xuất (thu hồi mã truy cập)', security: BEARER } }, async (request, reply) => {
    requirePrincipal(request.principal);
    await ctx.auth.logout(request.bearerToken!);
    return reply.code(204).send();
  });
};

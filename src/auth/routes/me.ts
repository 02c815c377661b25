import { requirePrincipal } from '../principal.js';
import { BEARER, type Route } from '../../http/types.js';

export const me: Route = (app) => {
  app.get('/api/v1/me', { schema: { tags: ['auth'], summary: 'Tài khoản đang đăng nhập', security: BEARER } }, async (request) => requirePrincipal(request.principal));
};

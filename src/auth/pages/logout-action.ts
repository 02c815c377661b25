import { Type } from 'typebox';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import { clearSessionCookie } from '../../web/session.js';

const Body = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) });

/** Sign-out (the header's form): the session is revoked, not only forgotten by the browser. */
export const logoutAction: Page = (app, ctx) => {
  app.post('/dang-xuat', { schema: { hide: true, body: Body }, preHandler: requireCsrf(app) }, async (request, reply) => {
    if (request.sessionToken) await ctx.auth.logout(request.sessionToken);
    clearSessionCookie(ctx, reply);
    return reply.header('cache-control', 'no-store').redirect('/', 303);
  });
};

import { AppError } from '../../core/errors.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import { requirePrincipal } from '../principal.js';
import { issueUploadToken } from '../upload-token.js';

/**
 * A fresh upload token for the upload island of a page (src/auth/upload-token.ts), before the one
 * it has runs out. Cookie-authenticated, so it takes the page's CSRF token (x-csrf-token header; no body):
 * another site can neither call it nor read its answer.
 */
export const uploadTokenAction: Page = (app, ctx) => {
  app.post('/cua-toi/ma-tai-len', { schema: { hide: true }, preHandler: requireCsrf(app) }, async (request, reply) => {
    requirePrincipal(request.principal);
    // Bound to a page session: a bearer token has no session cookie to bind it to.
    if (!request.sessionToken) throw new AppError('UNAUTHENTICATED');
    return reply.header('cache-control', 'no-store').send(issueUploadToken(ctx.secretKey, request.sessionToken));
  });
};

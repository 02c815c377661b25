import { Type } from 'typebox';
import { AppError } from '../../core/errors.js';
import { isUuid } from '../../http/types.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';

const Params = Type.Object({ id: Type.String({ maxLength: 100 }) });
const Body = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) });

/** Marking read from the inbox, without script: each a POST form, back to the inbox. */
export const inboxActions: Page = (app, ctx) => {
  app.post('/cua-toi/thong-bao/:id/da-doc', { schema: { hide: true, params: Params, body: Body }, preHandler: requireCsrf(app) }, async (request, reply) => {
    if (!isUuid(request.params.id)) throw AppError.notFound('notification');
    await ctx.notifications.markRead(request.principal, request.params.id);
    return reply.header('cache-control', 'no-store').redirect('/cua-toi/thong-bao', 303);
  });
  app.post('/cua-toi/thong-bao/da-doc-het', { schema: { hide: true, body: Body }, preHandler: requireCsrf(app) }, async (request, reply) => {
    await ctx.notifications.markAllRead(request.principal);
    return reply.header('cache-control', 'no-store').redirect('/cua-toi/thong-bao?thong-bao=da-doc-het', 303);
  });
};

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { isUuid } from '../../http/types.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { Params, sendUser } from './user-edit-page.js';
import { userPath } from './user-fields.js';

const Body = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) });

/** Lock or unlock: back to the account with a notice, or the account's page with the refusal (the last admin, one's own account). */
async function setActive(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, id: string, active: boolean) {
  if (!isUuid(id)) throw AppError.notFound('user');
  try {
    await ctx.users.update(request.principal, id, { active });
  } catch (error) {
    if (error instanceof AppError && (error.code === 'LAST_ADMIN' || error.code === 'OWN_ACCOUNT')) {
      return sendUser(ctx, pages, request, reply, id, { message: error.describe('vi') }, error.status);
    }
    throw error;
  }
  return reply.header('cache-control', 'no-store').redirect(`${userPath(id)}?thong-bao=${active ? 'da-mo-khoa' : 'da-khoa'}`, 303);
}

export const userActions: Page = (app, ctx, pages) => {
  const options = { schema: { hide: true, params: Params, body: Body }, preHandler: requireCsrf(app) };
  app.post('/quan-tri/nguoi-dung/:id/khoa', options, (request, reply) => setActive(ctx, pages, request, reply, request.params.id, false));
  app.post('/quan-tri/nguoi-dung/:id/mo-khoa', options, (request, reply) => setActive(ctx, pages, request, reply, request.params.id, true));
  // The link is shown once, on the page this answers with; never put in a URL that a redirect would leave in the history.
  app.post('/quan-tri/nguoi-dung/:id/dat-lai-mat-khau', options, async (request, reply) => {
    if (!isUuid(request.params.id)) throw AppError.notFound('user');
    const link = await ctx.passwordResets.create(request.principal, request.params.id);
    return sendUser(ctx, pages, request, reply, request.params.id, { link, notice: 'Đã tạo liên kết đặt lại mật khẩu.' });
  });
};

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.js';
import type { AppContext } from '../../context.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import { handlePostedFile } from '../../web/posted-file.js';
import type { PageRenderer } from '../../web/render.js';
import { loadWorkspaceMaterial, sendWorkspace } from './workspace-material-page.js';
import { workspacePath } from './workspace-page.js';

const Params = Type.Object({ id: Type.String({ maxLength: 100 }) });
const FileParams = Type.Object({ id: Type.String({ maxLength: 100 }), fileId: Type.String({ maxLength: 100 }) });
const Body = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) });
const SubmitBody = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })), note: Type.Optional(Type.String({ maxLength: 10_000 })) });

/**
 * The actions of the workspace page, each a POST form with its CSRF token: the service decides
 * what the state allows. A refusal (no files yet, a failed technical check, a state that moved on)
 * shows the workspace page again with its Vietnamese message; success returns to it with a notice.
 */
async function act(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, id: string, notice: string, run: () => Promise<unknown>) {
  await loadWorkspaceMaterial(ctx, request, id);
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && error.status !== 401 && error.status !== 404) {
      return sendWorkspace(ctx, pages, request, reply, id, { message: error.describe('vi') }, error.status);
    }
    throw error;
  }
  return reply.header('cache-control', 'no-store').redirect(`${workspacePath(id)}?thong-bao=${notice}`, 303);
}

export const workspaceActions: Page = (app, ctx, pages) => {
  const options = { schema: { hide: true, params: Params, body: Body }, preHandler: requireCsrf(app) };
  app.post('/cua-toi/hoc-lieu/:id/gui-tham-dinh', { schema: { hide: true, params: Params, body: SubmitBody }, preHandler: requireCsrf(app) }, (request, reply) =>
    act(ctx, pages, request, reply, request.params.id, 'da-gui', () => ctx.materials.submit(request.principal, request.params.id, request.body.note?.trim() || null)));
  app.post('/cua-toi/hoc-lieu/:id/phien-ban-moi', options, (request, reply) =>
    act(ctx, pages, request, reply, request.params.id, 'phien-ban-moi', () => ctx.materials.revise(request.principal, request.params.id)));
  app.post('/cua-toi/hoc-lieu/:id/luu-tru', options, (request, reply) =>
    act(ctx, pages, request, reply, request.params.id, 'da-luu-tru', () => ctx.materials.archive(request.principal, request.params.id)));
  app.post('/cua-toi/hoc-lieu/:id/tep/:fileId/xoa', { schema: { hide: true, params: FileParams, body: Body }, preHandler: requireCsrf(app) }, (request, reply) =>
    act(ctx, pages, request, reply, request.params.id, 'da-xoa-tep', () => ctx.files.remove(request.principal, request.params.id, request.params.fileId)));

  // Without script: the file posted by the plain form (multipart, its _csrf field first), finalised like any upload.
  app.post('/cua-toi/hoc-lieu/:id/tep', { schema: { hide: true, params: Params } }, async (request, reply) => {
    const id = request.params.id;
    return handlePostedFile(app, request, reply,
      (part) => act(ctx, pages, request, reply, id, 'da-tai-tep', () => ctx.files.add(request.principal, id, { filename: part.filename.normalize('NFC'), stream: part.file })),
      () => sendWorkspace(ctx, pages, request, reply, id, { message: 'Hãy chọn một tệp để tải lên.' }, 400));
  });
};

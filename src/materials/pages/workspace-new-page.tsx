import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { requirePrincipal, requireRole } from '../../auth/principal.js';
import { issueUploadToken } from '../../auth/upload-token.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { acceptedFor } from '../../files/allow-list.js';
import { UPLOADS_PATH } from '../../uploads/tus-server.js';
import { Button, CsrfField, FormError } from '../../web/components/form.js';
import { UploadPanel } from '../../web/components/upload-panel.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { fieldErrorOf, fieldsOf, MaterialFields, MaterialFormBody, valuesOf, type MaterialFormErrors, type MaterialFormValues } from './material-form.js';
import { workspacePath } from './workspace-page.js';
import { isUuid } from '../../http/types.js';

/**
 * A new material, PeerTube's way: the upload starts as soon as a file is chosen, while the teacher
 * fills in the rest. tus needs the material's id, so choosing the first file creates the draft
 * (POST …/ban-nhap, JSON, CSRF in a header) from what the form holds then (the type chosen first,
 * the title defaulting to the file's name); "Lưu bản nháp" then saves the fields to that draft.
 * Making the form step 1 would hold every byte back until the metadata is complete; this way the
 * longest part (a video over a mobile link) starts first, and a failed upload loses no metadata.
 * Without script, the form creates the draft and the files are added on its workspace page.
 */
const Body = Type.Object({ ...MaterialFormBody, materialId: Type.Optional(Type.String({ maxLength: 100 })) });
type FormBody = Static<typeof Body>;

interface FormState { values: MaterialFormValues; errors: MaterialFormErrors; message?: string; materialId?: string }

function send(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) {
  const csrfToken = reply.generateCsrf();
  const uploadToken = request.sessionToken ? issueUploadToken(ctx.secretKey, request.sessionToken) : null;
  const materialId = state.materialId && isUuid(state.materialId) ? state.materialId : undefined;
  return pages.send(request, reply, {
    status, title: 'Tạo học liệu mới', description: 'Tạo học liệu mới: chọn tệp để tải lên ngay, rồi điền thông tin.', cache: 'no-store',
    scripts: ['upload.js', 'dependent-selects.js'],
    body: (
      <>
        <h1>Tạo học liệu mới</h1>
        <p>Chọn loại học liệu, rồi chọn tệp: tệp được tải lên ngay trong lúc bạn điền các thông tin còn lại. Học liệu chỉ hiện với mọi người sau khi được thẩm định và xuất bản.</p>
        <FormError message={state.message} />
        <form method="post" action="/cua-toi/hoc-lieu/moi" novalidate>
          <CsrfField token={csrfToken} />
          <input type="hidden" name="materialId" value={materialId ?? ''} />
          <MaterialFields ctx={ctx} values={state.values} errors={state.errors} editableType={!materialId}
            afterType={<UploadPanel endpoint={UPLOADS_PATH} uploadToken={uploadToken} csrfToken={csrfToken} materialId={materialId}
              draftUrl="/cua-toi/hoc-lieu/moi/ban-nhap" accepted={acceptedFor(state.values.type)} />} />
          <Button>Lưu bản nháp</Button>
        </form>
      </>
    ),
  });
}

async function save(ctx: AppContext, pages: PageRenderer, body: FormBody, request: FastifyRequest, reply: FastifyReply) {
  const values = valuesOf(body);
  const materialId = body.materialId && isUuid(body.materialId) ? body.materialId : undefined;
  if (body['khoi-phuc']) return send(ctx, pages, request, reply, { values, errors: {}, materialId, message: 'Đây là những gì bạn đã nhập trước khi phiên đăng nhập hết hạn. Hãy kiểm tra rồi lưu.' });
  requirePrincipal(request.principal);
  const checked = fieldsOf(values);
  const refuse = (errors: MaterialFormErrors) =>
    send(ctx, pages, request, reply, { values, errors, materialId, message: 'Chưa lưu được: hãy sửa các ô được đánh dấu.' }, 400);
  if ('errors' in checked) return refuse(checked.errors);
  try {
    const { type: _type, ...patch } = checked.fields;
    const saved = materialId ? await ctx.materials.update(request.principal, materialId, patch) : await ctx.materials.create(request.principal, checked.fields);
    return reply.header('cache-control', 'no-store').redirect(`${workspacePath(saved.id)}?da-luu=1`, 303);
  } catch (error) {
    const errors = fieldErrorOf(error);
    if (errors) return refuse(errors);
    throw error;
  }
}

/** The draft the upload island creates when the first file is chosen: JSON, under the page scope and its CSRF check. */
async function createDraft(ctx: AppContext, body: FormBody, request: FastifyRequest, reply: FastifyReply) {
  const values = valuesOf(body);
  const checked = fieldsOf(values);
  if ('errors' in checked) {
    throw new AppError('VALIDATION_FAILED', {}, Object.entries(checked.errors).map(([field, message]) => ({ field, message })));
  }
  const created = await ctx.materials.create(request.principal, checked.fields);
  return reply.code(201).header('cache-control', 'no-store').send({ id: created.id, url: workspacePath(created.id) });
}

export const workspaceNewPage: Page = (app, ctx, pages) => {
  app.get('/cua-toi/hoc-lieu/moi', { schema: { hide: true } }, (request, reply) => {
    requireRole(request.principal, 'contributor');
    return send(ctx, pages, request, reply, { values: valuesOf({}), errors: {} });
  });
  app.post('/cua-toi/hoc-lieu/moi', { schema: { hide: true, body: Body }, preHandler: requireCsrf(app) }, (request, reply) => save(ctx, pages, request.body, request, reply));
  app.post('/cua-toi/hoc-lieu/moi/ban-nhap', { schema: { hide: true, body: Body }, preHandler: requireCsrf(app) }, (request, reply) => createDraft(ctx, request.body, request, reply));
};

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { requirePrincipal } from '../../auth/principal.js';
import { issueUploadToken } from '../../auth/upload-token.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { acceptedFor } from '../../files/allow-list.js';
import type { QcView } from '../../media/qc.service.js';
import { UPLOADS_PATH } from '../../uploads/tus-server.js';
import { termName } from '../../web/components/classification.js';
import { fileSize, formatDate, formatTime, isoDate } from '../../web/components/format.js';
import { Button, ConfirmAction, CsrfField, FormError, TextArea } from '../../web/components/form.js';
import { reasonLabel } from '../../review/reasons.js';
import { processingText, STATUS_NAMES } from '../../web/components/status.js';
import { UploadPanel } from '../../web/components/upload-panel.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { EDITABLE } from '../material.service.js';
import { fieldErrorOf, fieldsOf, MaterialFields, MaterialFormBody, valuesFromMaterial, valuesOf, type MaterialFormErrors, type MaterialFormValues } from './material-form.js';
import { materialPath } from '../material-url.js';
import { QuestionImportForm, type ImportPreview } from './workspace-question-import.js';
import { isUuid } from '../../http/types.js';
import { workspacePath } from './workspace-page.js';
import { PackagePlayer } from '../../packages/pages/package-player.js';
import { DocumentViewer } from '../../documents/pages/document-viewer.js';
import { signFile } from '../../files/signed-url.js';

const Params = Type.Object({ id: Type.String({ maxLength: 100 }) });
const Query = Type.Object({ 'da-luu': Type.Optional(Type.String({ maxLength: 1 })), 'thong-bao': Type.Optional(Type.String({ maxLength: 40 })) });

/** What an action (src/materials/pages/workspace-actions.ts) reports back with `?thong-bao=`. */
const NOTICES: Record<string, string> = {
  'da-luu': 'Đã lưu thông tin học liệu.',
  'da-gui': 'Đã gửi thẩm định.',
  'phien-ban-moi': 'Đã tạo phiên bản mới: bản đã xuất bản vẫn hiện với mọi người cho đến khi bản mới được duyệt.',
  'da-luu-tru': 'Đã lưu trữ học liệu: học liệu không còn hiện với mọi người.',
  'da-xoa-tep': 'Đã xoá tệp.',
  'da-tai-tep': 'Đã tải tệp lên.',
  'da-nhap': 'Đã nhập câu hỏi.',
};

const ACTION_NAMES: Record<string, string> = {
  created: 'Tạo bản nháp', updated: 'Sửa thông tin', file_added: 'Thêm tệp', file_removed: 'Xoá tệp', submitted: 'Gửi thẩm định', claimed: 'Người thẩm định nhận xem xét', released: 'Người thẩm định trả lại hàng đợi',
  decided: 'Quyết định thẩm định', published: 'Xuất bản', revised: 'Tạo phiên bản mới', archived: 'Lưu trữ', questions_imported: 'Nhập câu hỏi',
};
const DECISION_NAMES: Record<string, string> = { approve: 'Đồng ý', request_changes: 'Yêu cầu chỉnh sửa', reject: 'Không đồng ý', withdrawn: 'Rút lại' };

/** The material in its editors' workspace: only they see it; anybody else gets the 404 page (its existence is private). */
export async function loadWorkspaceMaterial(ctx: AppContext, request: FastifyRequest, id: string) {
  const actor = requirePrincipal(request.principal);
  if (!isUuid(id)) throw AppError.notFound('material');
  const { material, working } = await ctx.materials.readable(actor, id);
  if (!working || !(material.ownerId === actor.id || (await ctx.orgs.canAdminister(actor, material.orgId)))) throw AppError.notFound('material');
  return { actor, material, shown: await ctx.materials.get(actor, id) };
}

export interface WorkspaceState { values?: MaterialFormValues; errors?: MaterialFormErrors; message?: string; notice?: string; preview?: ImportPreview }

const seconds = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

function QcSection({ view }: { view: QcView | undefined }) {
  if (!view) return <p class="meta">Kiểm tra kỹ thuật: chưa bắt đầu.</p>;
  if (view.state === 'failed') return <p class="field-error">Kiểm tra kỹ thuật không thực hiện được: {view.error}</p>;
  if (view.state !== 'ready') return <p class="meta">Kiểm tra kỹ thuật: đang thực hiện.</p>;
  return (
    <div>
      <p><strong>Kiểm tra kỹ thuật (bài giảng truyền hình): {view.report.status === 'pass' ? 'Đạt' : view.report.status === 'warn' ? 'Đạt, có cảnh báo' : 'Không đạt'}</strong></p>
      <ul>
        {view.report.checks.map((check) => (
          <li>
            {check.status === 'pass' ? 'Đạt' : check.status === 'warn' ? 'Cảnh báo' : 'Không đạt'}: {check.message}
            {check.findings?.length ? <ul>{check.findings.map((f) => <li>Từ {seconds(f.start)} đến {seconds(f.end)} ({Math.round(f.duration)} giây)</li>)}</ul> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export async function sendWorkspace(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, id: string, state: WorkspaceState = {}, status = 200) {
  const { shown } = await loadWorkspaceMaterial(ctx, request, id);
  const [history, qc] = await Promise.all([
    ctx.materials.history(request.principal, id),
    shown.type === 'tv-lesson' ? ctx.qc.views(shown.files.map((f) => f.sha256)) : Promise.resolve(new Map<string, QcView>()),
  ]);
  // Unpublished files: the images are fetched by the browser without a bearer token, so their URLs are signed.
  const documents = new Map(await Promise.all(shown.files.map(async (file) => [file.id, await ctx.documents.view(file, { sign: signFile(ctx.secretKey, file.id), withText: true })] as const)));
  const packages = new Map(await Promise.all(shown.files.map(async (file) => [file.id, await ctx.packages.view(file, request.principal)] as const)));
  const editable = EDITABLE.includes(shown.status as (typeof EDITABLE)[number]);
  const csrfToken = reply.generateCsrf();
  const base = workspacePath(shown.id);
  const uploadToken = request.sessionToken ? issueUploadToken(ctx.secretKey, request.sessionToken) : null;
  const typeName = termName(ctx.taxonomy, 'material-type', shown.type);
  return pages.send(request, reply, {
    status, title: shown.title, description: `Học liệu của tôi: ${shown.title}`, cache: 'no-store', frameSources: [...packages.values()].some(Boolean) ? [ctx.packages.contentOrigin] : [], scripts: editable ? ['upload.js', 'dependent-selects.js'] : [],
    body: (
      <>
        <p><a href="/cua-toi">‹ Học liệu của tôi</a></p>
        <p class="meta">{typeName} · Phiên bản {shown.version}</p>
        <h1>{shown.title}</h1>
        {state.notice ? <p class="notice" role="status">{state.notice}</p> : null}
        <FormError message={state.message} />
        <p>Trạng thái: <strong data-status={shown.status}>{STATUS_NAMES[shown.status as keyof typeof STATUS_NAMES] ?? shown.status}</strong>
          {shown.publishedVersion ? <> · <a href={materialPath(shown.id, shown.title)}>Xem trang công khai (phiên bản {shown.publishedVersion})</a></> : null}</p>

        <div class="actions">
          {editable ? (
            <form method="post" action={`${base}/gui-tham-dinh`}>
              <CsrfField token={csrfToken} />
              {/* After a request for changes, the teacher tells the reviewers what was changed. */}
              {shown.status === 'changes_requested'
                ? <TextArea name="note" label="Trả lời người thẩm định (không bắt buộc)" hint="Những gì bạn đã sửa theo ý kiến thẩm định; người thẩm định đọc được khi xem lại." rows={3} maxLength={10_000} />
                : null}
              <Button>{shown.status === 'changes_requested' ? 'Gửi thẩm định lại' : 'Gửi thẩm định'}</Button>
            </form>
          ) : null}
          {shown.status === 'published' || shown.status === 'rejected' ? (
            <form method="post" action={`${base}/phien-ban-moi`}><CsrfField token={csrfToken} /><Button>Tạo phiên bản mới</Button></form>
          ) : null}
          {shown.status !== 'archived' ? (
            <ConfirmAction action={`${base}/luu-tru`} csrfToken={csrfToken} label="Lưu trữ…" confirmLabel="Lưu trữ học liệu"
              question="Lưu trữ học liệu? Học liệu sẽ không còn hiện với mọi người và không tiếp tục thẩm định." />
          ) : null}
        </div>

        <section aria-labelledby="tep">
          <h2 id="tep">Tệp</h2>
          {shown.files.length ? (
            <ul class="plain-list status-list">
              {shown.files.map((file) => (
                <li data-file={file.id}>
                  <strong>{file.name}</strong> <span class="meta">({fileSize(file.size)})</span>
                  {'processing' in file && file.processing ? (
                    <>
                      <p data-processing={file.processing.state}>{processingText(file.processing)}</p>
                      {file.processing.state === 'failed' && file.processing.error ? <p class="field-error">{file.processing.error}</p> : null}
                    </>
                  ) : null}
                  {shown.type === 'tv-lesson' && 'processing' in file ? <QcSection view={qc.get(file.sha256)} /> : null}
                  {packages.get(file.id) ? <PackagePlayer view={packages.get(file.id)!} title={file.name} /> : null}
                  {documents.get(file.id) ? (
                    <details class="document-preview"><summary>Xem trước tài liệu</summary><DocumentViewer document={documents.get(file.id)!} title={file.name} /></details>
                  ) : null}
                  {editable ? (
                    <ConfirmAction action={`${base}/tep/${file.id}/xoa`} csrfToken={csrfToken} label={`Xoá tệp ${file.name}…`} confirmLabel="Xoá tệp"
                      question={`Xoá tệp “${file.name}” khỏi học liệu?`} />
                  ) : null}
                </li>
              ))}
            </ul>
          ) : <p class="meta">Chưa có tệp nào.</p>}
          {shown.files.some((f) => 'processing' in f && f.processing && (f.processing.state === 'queued' || f.processing.state === 'running'))
            ? <p><a href={base}>Tải lại trang để xem tình trạng xử lý</a></p> : null}
          {editable ? (
            <UploadPanel endpoint={UPLOADS_PATH} uploadToken={uploadToken} csrfToken={csrfToken} materialId={shown.id} accepted={acceptedFor(shown.type)} fallbackAction={`${base}/tep`} />
          ) : null}
        </section>

        {shown.type === 'question-bank' && editable ? <QuestionImportForm action={`${base}/cau-hoi`} csrfToken={csrfToken} preview={state.preview} /> : null}

        {editable ? (
          <section aria-labelledby="thong-tin">
            <h2 id="thong-tin">Thông tin học liệu</h2>
            <form method="post" action={base} novalidate>
              <CsrfField token={csrfToken} />
              <MaterialFields ctx={ctx} values={state.values ?? valuesFromMaterial(shown)} errors={state.errors ?? {}} editableType={false} />
              <Button>Lưu thông tin</Button>
            </form>
          </section>
        ) : null}

        <section aria-labelledby="lich-su">
          <h2 id="lich-su">Lịch sử thẩm định</h2>
          <ol class="status-list">
            {history.items.map((event) => {
              const details = (event.details ?? {}) as { decision?: string; comment?: string | null; reasons?: string[]; note?: string };
              return (
                <li>
                  <time datetime={isoDate(event.at)}>{formatDate(event.at)} {formatTime(event.at)}</time> — {ACTION_NAMES[event.action] ?? event.action}
                  {details.decision ? `: ${DECISION_NAMES[details.decision] ?? details.decision}` : ''} (phiên bản {event.version}{event.actor ? `, ${event.actor.displayName}` : ''})
                  {details.reasons?.length ? <ul data-reasons>{details.reasons.map((code) => <li>{reasonLabel(code)}</li>)}</ul> : null}
                  {details.comment ? <blockquote class="state-note">{details.comment}</blockquote> : null}
                  {details.note ? <blockquote class="state-note">Trả lời gửi người thẩm định: {details.note}</blockquote> : null}
                </li>
              );
            })}
          </ol>
        </section>
      </>
    ),
  });
}

const Body = Type.Object(MaterialFormBody);

async function save(ctx: AppContext, pages: PageRenderer, id: string, body: Static<typeof Body>, request: FastifyRequest, reply: FastifyReply) {
  const { shown } = await loadWorkspaceMaterial(ctx, request, id);
  const values = valuesOf({ ...body, type: shown.type }, valuesFromMaterial(shown));
  if (body['khoi-phuc']) return sendWorkspace(ctx, pages, request, reply, id, { values, message: 'Đây là những gì bạn đã nhập trước khi phiên đăng nhập hết hạn. Hãy kiểm tra rồi lưu.' });
  const checked = fieldsOf(values);
  const refuse = (errors: MaterialFormErrors) => sendWorkspace(ctx, pages, request, reply, id, { values, errors, message: 'Chưa lưu được: hãy sửa các ô được đánh dấu.' }, 400);
  if ('errors' in checked) return refuse(checked.errors);
  try {
    const { type: _type, ...patch } = checked.fields;
    await ctx.materials.update(request.principal, id, patch);
  } catch (error) {
    const errors = fieldErrorOf(error);
    if (errors) return refuse(errors);
    throw error;
  }
  return reply.header('cache-control', 'no-store').redirect(`${workspacePath(id)}?thong-bao=da-luu`, 303);
}

export const workspaceMaterialPage: Page = (app, ctx, pages) => {
  app.get('/cua-toi/hoc-lieu/:id', { schema: { hide: true, params: Params, querystring: Query } }, (request, reply) => {
    const notice = request.query['da-luu'] ? NOTICES['da-luu'] : NOTICES[request.query['thong-bao'] ?? ''];
    return sendWorkspace(ctx, pages, request, reply, request.params.id, { notice });
  });
  app.post('/cua-toi/hoc-lieu/:id', { schema: { hide: true, params: Params, body: Body }, preHandler: requireCsrf(app) },
    (request, reply) => save(ctx, pages, request.params.id, request.body, request, reply));
};

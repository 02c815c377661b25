import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../../auth/principal.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { signFile } from '../../files/signed-url.js';
import { isUuid } from '../../http/types.js';
import type { QcView } from '../../media/qc.service.js';
import { isCaptionFile, type ShownFile } from '../../materials/pages/material-media.js';
import { classificationLine, termName } from '../../web/components/classification.js';
import { formatDate, formatTime, isoDate } from '../../web/components/format.js';
import { Button, CsrfField, FormError } from '../../web/components/form.js';
import { stageKindName } from '../../web/components/status.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { DecisionForm, type DecisionErrors, type DecisionValues } from './decision-form.js';
import { FilePreview, previewKind } from './file-preview.js';
import { QuestionList } from './question-list.js';
import { ChangeList, DECISION_NAMES, ReviewRounds } from './review-history.js';

const Params = Type.Object({ taskId: Type.String({ maxLength: 100 }) });
const Query = Type.Object({ 'thong-bao': Type.Optional(Type.String({ maxLength: 40 })), trang: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) });
const QUESTIONS_PER_PAGE = 20;

export const reviewTaskPath = (taskId: string) => `/tham-dinh/${taskId}`;

const NOTICES: Record<string, string> = { 'da-nhan': 'Bạn đã nhận thẩm định học liệu này.' };

export interface ReviewTaskState { notice?: string; message?: string; values?: DecisionValues; errors?: DecisionErrors; page?: number }

const When = ({ at }: { at: Date | string }) => <time datetime={isoDate(at)}>{formatTime(at)} ngày {formatDate(at)}</time>;

/** The review screen: who holds the task, the material beside its files' previews, the rounds, the changes, the decision. */
export async function sendReviewTask(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, taskId: string, state: ReviewTaskState = {}, status = 200) {
  const actor = requireRole(request.principal, 'reviewer');
  if (!isUuid(taskId)) throw AppError.notFound('task');
  const task = await ctx.reviews.detail(actor, taskId);
  const material = task.canSeeContent ? await ctx.materials.get(actor, task.materialId) : null;
  // The working version is not public: its players and viewers load it through signed links (a browser sends them no token).
  const files: Array<ShownFile & { sha256: string }> = material ? await Promise.all(material.files.map(async (file) => ({
    ...file, sign: signFile(ctx.secretKey, file.id),
    renditions: ['video', 'audio', 'image'].includes(previewKind(file)) ? await ctx.mediaRepository.renditions(file.sha256) : [],
  }))) : [];
  const documents = new Map(await Promise.all(files.filter((f) => previewKind(f) === 'document')
    .map(async (file) => [file.id, await ctx.documents.view(file, { sign: file.sign ?? '', withText: true })] as const)));
  const packages = new Map(await Promise.all(files.filter((f) => previewKind(f) === 'package').map(async (file) => [file.id, await ctx.packages.view(file, actor)] as const)));
  const qc = material?.type === 'tv-lesson' ? await ctx.qc.views(files.map((f) => f.sha256)) : new Map<string, QcView>();
  const page = state.page ?? 1;
  const questions = material?.type === 'question-bank'
    ? await ctx.questions.list(actor, material.id, {}, { limit: QUESTIONS_PER_PAGE, offset: (page - 1) * QUESTIONS_PER_PAGE }) : null;
  const csrfToken = reply.generateCsrf();
  const base = reviewTaskPath(task.id);
  const t = ctx.taxonomy;
  const captions = files.filter(isCaptionFile);

  return pages.send(request, reply, {
    status, title: `Thẩm định: ${task.title}`, description: `Thẩm định học liệu “${task.title}”`, cache: 'no-store',
    scripts: files.some((f) => previewKind(f) === 'video') ? ['player.js'] : [],
    frameSources: [...packages.values()].some(Boolean) ? [ctx.packages.contentOrigin] : [],
    body: (
      <>
        <p><a href="/tham-dinh">‹ Hàng đợi thẩm định</a></p>
        <p class="meta">{termName(t, 'material-type', task.type)} · Phiên bản {task.version} · Bước {task.stage.order}: {task.stage.org.name} ({stageKindName(task.stage.org.kind)})</p>
        <h1>{task.title}</h1>
        {state.notice ? <p class="notice" role="status">{state.notice}</p> : null}
        <FormError message={state.message} />

        <div class="review-claim" data-task-status={task.status}>
          {task.status === 'open' ? (
            <form method="post" action={`${base}/nhan`}>
              <CsrfField token={csrfToken} />
              <p>Chưa có ai nhận thẩm định nhiệm vụ này.</p>
              <Button>Nhận thẩm định</Button>
            </form>
          ) : null}
          {task.heldByMe ? (
            <form method="post" action={`${base}/tra-lai`}>
              <CsrfField token={csrfToken} />
              <p>Bạn đang thẩm định nhiệm vụ này, đến <When at={task.claimExpiresAt!} />.</p>
              <Button>Trả lại</Button>
            </form>
          ) : null}
          {task.status === 'claimed' && !task.heldByMe ? (
            <p class="state-note" data-holder>Đang được <strong>{task.claimedBy?.displayName}</strong> thẩm định, đến <When at={task.claimExpiresAt!} />.</p>
          ) : null}
          {task.status === 'done' ? <p class="state-note">Đã kết thúc: <strong>{DECISION_NAMES[task.decision ?? ''] ?? task.decision}</strong>.</p> : null}
        </div>

        <dl class="facts">
          <dt>Trường / đơn vị</dt><dd>{task.origin.school?.name ?? '—'}</dd>
          <dt>Sở GDĐT</dt><dd>{task.origin.province?.name ?? '—'}</dd>
          <dt>Chờ từ</dt><dd><When at={task.createdAt} /></dd>
        </dl>

        {material ? (
          <div class="review-layout">
            <section aria-labelledby="thong-tin">
              <h2 id="thong-tin">Thông tin học liệu</h2>
              <dl class="facts">
                <dt>Phân loại</dt><dd>{classificationLine(t, material)}</dd>
                {material.series ? <><dt>Bộ sách</dt><dd>{termName(t, 'series', material.series)}</dd></> : null}
                {material.topic ? <><dt>Chủ đề</dt><dd>{material.topic}</dd></> : null}
                <dt>Mô tả</dt><dd>{material.description ?? '(không có)'}</dd>
                <dt>Giấy phép</dt><dd>{termName(t, 'license', material.license)}</dd>
                <dt>Ngôn ngữ</dt><dd>{material.language}</dd>
                <dt>Người đóng góp</dt><dd>{material.owner.displayName}</dd>
              </dl>
            </section>
            <section aria-labelledby="xem-truoc">
              <h2 id="xem-truoc">Xem trước tệp</h2>
              {files.length ? (
                <ul class="plain-list previews">
                  {files.map((file) => <li data-preview={previewKind(file)}><h3>{file.name}</h3><FilePreview file={file} title={task.title} captions={captions} qc={qc.get(file.sha256)} document={documents.get(file.id)} pack={packages.get(file.id)} /></li>)}
                </ul>
              ) : <p class="meta">Không có tệp.</p>}
            </section>
          </div>
        ) : <p class="meta">Nội dung học liệu chỉ hiện khi nhiệm vụ chưa có ai nhận hoặc do bạn đang thẩm định.</p>}

        {questions ? <QuestionList questions={questions.items} total={questions.total} page={page} pageSize={QUESTIONS_PER_PAGE} href={(p) => `${base}?trang=${p}`} /> : null}

        <section aria-labelledby="thay-doi">
          <h2 id="thay-doi">Những gì đã thay đổi</h2>
          <h3>So với vòng thẩm định trước</h3>
          {task.changes.sinceLastRound ? <ChangeList changes={task.changes.sinceLastRound} taxonomy={t} /> : <p class="meta">Đây là vòng thẩm định đầu tiên.</p>}
          <h3>So với phiên bản đã xuất bản{task.changes.sincePublished ? ` (phiên bản ${task.changes.sincePublished.version})` : ''}</h3>
          {task.changes.sincePublished ? <ChangeList changes={task.changes.sincePublished} taxonomy={t} /> : <p class="meta">Học liệu chưa có phiên bản đã xuất bản.</p>}
        </section>

        <section aria-labelledby="cac-vong">
          <h2 id="cac-vong">Các vòng thẩm định</h2>
          <ReviewRounds rounds={task.rounds} />
        </section>

        {task.heldByMe ? (
          <DecisionForm action={`${base}/quyet-dinh`} csrfToken={csrfToken} claimedAt={task.claimedAt ? isoDate(task.claimedAt) : ''}
            values={state.values ?? { reasons: [], comment: '', internalNote: '' }} errors={state.errors ?? {}} />
        ) : null}
      </>
    ),
  });
}

export const reviewTaskPage: Page = (app, ctx, pages) => {
  app.get('/tham-dinh/:taskId', { schema: { hide: true, params: Params, querystring: Query } }, (request, reply) =>
    sendReviewTask(ctx, pages, request, reply, request.params.taskId, { notice: NOTICES[request.query['thong-bao'] ?? ''], page: request.query.trang }));
};

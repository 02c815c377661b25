import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../../auth/principal.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { AdminBackLink, Notice } from '../../web/components/admin.js';
import { CsrfField, FormError } from '../../web/components/form.js';
import { DataTable } from '../../web/components/data-table.js';
import { formatDate, formatTime, isoDate } from '../../web/components/format.js';
import { isUuid } from '../../http/types.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import type { JobFilter, PresentedJob } from '../jobs-admin.service.js';

const Params = Type.Object({ id: Type.String({ maxLength: 100 }) });
const Query = Type.Object({ 'thong-bao': Type.Optional(Type.String({ maxLength: 40 })) });
const Body = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })), 'khoi-phuc': Type.Optional(Type.String({ maxLength: 1 })) });

/** What each queue does, as administrators read it; an unknown one shows its name. */
const JOB_NAMES: Record<string, string> = {
  'media.process-file': 'Xử lý tệp hình, tiếng',
  'media.tv-lesson-qc': 'Kiểm tra kỹ thuật bài giảng truyền hình',
  'documents.process-file': 'Xử lý tài liệu',
  'packages.validate': 'Kiểm tra gói tương tác',
  'search.index-material': 'Cập nhật chỉ mục tìm kiếm',
  'search.sync-downloads': 'Đồng bộ lượt tải',
  'publishing.youtube-export': 'Xuất bản lên YouTube',
  'publishing.youtube-scheduler': 'Lịch xuất bản YouTube',
  'publishing.material-changed': 'Cập nhật video đã xuất bản',
  'storage.sweep-temp-objects': 'Dọn tệp tạm',
  'uploads.sweep-expired': 'Dọn phiên tải lên hết hạn',
  'auth.forget-login-throttles': 'Xoá bộ đếm đăng nhập sai',
};

const SECTIONS: Array<{ filter: JobFilter; id: string; title: string; explain: string }> = [
  { filter: 'stuck', id: 'bi-treo', title: 'Bị treo', explain: 'Đang chạy nhưng đã quá hạn thuê: máy xử lý có thể đã dừng. Huỷ rồi chạy lại nếu cần.' },
  { filter: 'failed', id: 'loi', title: 'Lỗi', explain: 'Đã hết số lần thử lại.' },
  { filter: 'retry', id: 'cho-thu-lai', title: 'Chờ thử lại', explain: 'Lần chạy trước lỗi; hệ thống sẽ tự thử lại.' },
  { filter: 'cancelled', id: 'da-huy', title: 'Đã huỷ', explain: 'Có thể đưa lại vào hàng đợi.' },
];

const NOTICES: Record<string, string> = { 'da-chay-lai': 'Đã đưa tác vụ vào hàng đợi để chạy lại.', 'da-huy': 'Đã huỷ tác vụ.' };

const when = (date: Date | string | null) => (date ? <time datetime={isoDate(date)}>{formatDate(date)} {formatTime(date)}</time> : '—');

function JobAction({ job, csrf }: { job: PresentedJob; csrf: string }) {
  const name = JOB_NAMES[job.name] ?? job.name;
  const action = job.state === 'failed' || job.state === 'cancelled' ? { path: 'chay-lai', label: 'Chạy lại' } : { path: 'huy', label: 'Huỷ' };
  return (
    <form method="post" action={`/quan-tri/tac-vu/${job.id}/${action.path}`}>
      <CsrfField token={csrf} />
      <button type="submit" class="button secondary" aria-label={`${action.label}: ${name}, tạo lúc ${formatDate(job.createdOn)} ${formatTime(job.createdOn)}`}>{action.label}</button>
    </form>
  );
}

async function show(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, state: { notice?: string; message?: string }, status = 200) {
  const lists = await Promise.all(SECTIONS.map((section) => ctx.jobsAdmin.list(request.principal, section.filter)));
  const csrf = reply.generateCsrf();
  return pages.send(request, reply, {
    status, title: 'Tác vụ nền', description: 'Tác vụ nền lỗi và bị treo: chạy lại hoặc huỷ.', cache: 'no-store',
    body: (
      <>
        <AdminBackLink />
        <h1>Tác vụ nền</h1>
        <Notice text={state.notice} />
        <FormError message={state.message} />
        {SECTIONS.map((section, i) => (
          <section aria-labelledby={section.id}>
            <h2 id={section.id}>{section.title} ({lists[i]!.length})</h2>
            <p class="meta">{section.explain}</p>
            <DataTable caption={`Tác vụ ${section.title.toLowerCase()}`} empty="Không có tác vụ nào." rows={lists[i]!} columns={[
              { header: 'Tác vụ', cell: (job) => JOB_NAMES[job.name] ?? job.name, rowHeader: true },
              { header: 'Tạo lúc', cell: (job) => when(job.createdOn) },
              { header: section.filter === 'stuck' ? 'Hết hạn thuê lúc' : 'Bắt đầu', cell: (job) => when(section.filter === 'stuck' ? job.leaseEndsOn : job.startedOn) },
              { header: 'Số lần thử lại', cell: (job) => job.retryCount },
              { header: 'Lỗi', cell: (job) => job.error ?? '—' },
              { header: 'Thao tác', cell: (job) => <JobAction job={job} csrf={csrf} /> },
            ]} />
          </section>
        ))}
      </>
    ),
  });
}

async function act(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, notice: string, run: () => Promise<unknown>) {
  requireRole(request.principal, 'admin');
  try {
    await run();
  } catch (error) {
    // A job that moved on meanwhile (finished, already retried): the page as it is now, with the reason.
    if (error instanceof AppError && (error.status === 409 || error.code === 'NOT_FOUND')) return show(ctx, pages, request, reply, { message: error.describe('vi') }, error.status);
    throw error;
  }
  return reply.header('cache-control', 'no-store').redirect(`/quan-tri/tac-vu?thong-bao=${notice}`, 303);
}

export const jobsPage: Page = (app, ctx, pages) => {
  app.get('/quan-tri/tac-vu', { schema: { hide: true, querystring: Query } }, (request, reply) => show(ctx, pages, request, reply, { notice: NOTICES[request.query['thong-bao'] ?? ''] }));
  const options = { schema: { hide: true, params: Params, body: Body }, preHandler: requireCsrf(app) };
  app.post('/quan-tri/tac-vu/:id/chay-lai', options, (request, reply) => act(ctx, pages, request, reply, 'da-chay-lai', async () => {
    if (!isUuid(request.params.id)) throw AppError.notFound('job');
    return ctx.jobsAdmin.retry(request.principal, request.params.id);
  }));
  app.post('/quan-tri/tac-vu/:id/huy', options, (request, reply) => act(ctx, pages, request, reply, 'da-huy', async () => {
    if (!isUuid(request.params.id)) throw AppError.notFound('job');
    return ctx.jobsAdmin.cancel(request.principal, request.params.id);
  }));
};

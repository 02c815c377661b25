import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { isUuid } from '../../http/types.js';
import { AdminBackLink, requireAdministrator } from '../../web/components/admin.js';
import { Button, FormError, SelectField, TextField } from '../../web/components/form.js';
import { DataTable } from '../../web/components/data-table.js';
import { count, formatDate, formatTime, isoDate } from '../../web/components/format.js';
import { Pagination } from '../../web/components/pagination.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';

const Query = Type.Object({
  nguoi: Type.Optional(Type.String({ maxLength: 100 })),
  'don-vi': Type.Optional(Type.String({ maxLength: 64 })),
  'hoc-lieu': Type.Optional(Type.String({ maxLength: 100 })),
  'thao-tac': Type.Optional(Type.String({ maxLength: 60 })),
  tu: Type.Optional(Type.String({ maxLength: 20 })),
  den: Type.Optional(Type.String({ maxLength: 20 })),
  trang: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});
type Filters = Static<typeof Query>;

const PAGE_ROWS = 50;

/** The trail's actions, as administrators read them (an action not named here shows its code). */
export const AUDIT_ACTION_NAMES: Record<string, string> = {
  created: 'Tạo học liệu', updated: 'Sửa học liệu', file_added: 'Thêm tệp', file_removed: 'Xoá tệp', submitted: 'Gửi thẩm định',
  claimed: 'Nhận thẩm định', decided: 'Quyết định thẩm định', published: 'Xuất bản', archived: 'Lưu trữ', revised: 'Tạo phiên bản mới',
  questions_imported: 'Nhập câu hỏi', org_created: 'Tạo đơn vị', org_updated: 'Sửa đơn vị', org_moved: 'Chuyển đơn vị',
  org_merged: 'Sáp nhập (đơn vị bị sáp nhập)', org_absorbed: 'Sáp nhập (đơn vị nhận)', user_created: 'Tạo tài khoản',
  user_updated: 'Sửa tài khoản', user_deactivated: 'Khoá tài khoản', user_reactivated: 'Mở khoá tài khoản', password_changed: 'Đổi mật khẩu',
  login_refused: 'Từ chối đăng nhập', youtube_channel_created: 'Tạo kênh YouTube', youtube_channel_settings: 'Sửa cài đặt kênh YouTube',
  youtube_channel_deleted: 'Xoá kênh YouTube', youtube_channel_authorized: 'Kết nối kênh YouTube', youtube_channel_revoked: 'Kênh YouTube bị thu hồi quyền',
  youtube_export_requested: 'Yêu cầu xuất lên YouTube', youtube_export_done: 'Đã xuất lên YouTube', youtube_export_failed: 'Xuất lên YouTube lỗi',
  broadcast_channel_created: 'Tạo kênh phát sóng', broadcast_slot_created: 'Xếp lịch phát sóng', broadcast_slot_status: 'Đánh dấu lịch phát sóng',
  broadcast_slot_deleted: 'Xoá lịch phát sóng',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A day typed in the form, in Vietnam time (UTC+7, no daylight saving): its first instant. */
const dayStart = (day: string) => new Date(`${day}T00:00:00+07:00`);

function href(filters: Filters, page: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (key !== 'trang' && value) params.set(key, String(value));
  if (page > 1) params.set('trang', String(page));
  const query = params.toString();
  return `/quan-tri/nhat-ky${query ? `?${query}` : ''}`;
}

function summary(data: Record<string, unknown>): string {
  const text = JSON.stringify(data);
  return text === '{}' ? '' : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

async function show(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, filters: Filters) {
  requireAdministrator(request.principal);
  const page = filters.trang ?? 1;
  const errors: Record<string, string> = {};
  if (filters['hoc-lieu'] && !isUuid(filters['hoc-lieu'])) errors.material = 'Mã học liệu không hợp lệ.';
  if (filters.tu && !DATE.test(filters.tu)) errors.from = 'Ngày không hợp lệ.';
  if (filters.den && !DATE.test(filters.den)) errors.to = 'Ngày không hợp lệ.';
  let message: string | null = Object.keys(errors).length ? 'Hãy sửa các ô lọc được đánh dấu.' : null;
  let result: Awaited<ReturnType<AppContext['audit']['search']>> = { total: 0, items: [] };
  if (!message) {
    try {
      result = await ctx.audit.search(request.principal, {
        actor: filters.nguoi || undefined, org: filters['don-vi'] || undefined, material: filters['hoc-lieu'] || undefined,
        action: filters['thao-tac'] || undefined,
        from: filters.tu ? dayStart(filters.tu) : undefined,
        // The whole last day: up to the first instant of the next.
        to: filters.den ? new Date(dayStart(filters.den).getTime() + 86_400_000) : undefined,
        limit: PAGE_ROWS, offset: (page - 1) * PAGE_ROWS,
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 401) throw error;
      message = error.describe('vi');
    }
  }
  return pages.send(request, reply, {
    status: message ? 400 : 200, title: 'Nhật ký hệ thống', description: 'Nhật ký các thao tác trong hệ thống, lọc theo người, đơn vị, học liệu, thao tác và thời gian.', cache: 'private',
    body: (
      <>
        <AdminBackLink />
        <h1>Nhật ký hệ thống</h1>
        <form method="get" action="/quan-tri/nhat-ky" class="filters" aria-label="Lọc nhật ký">
          <TextField name="nguoi" label="Người thực hiện (tên đăng nhập)" value={filters.nguoi} />
          <TextField name="don-vi" label="Mã đơn vị (gồm các đơn vị trực thuộc)" value={filters['don-vi']} />
          <TextField name="hoc-lieu" label="Mã học liệu" value={filters['hoc-lieu']} error={errors.material} />
          <SelectField name="thao-tac" label="Thao tác" emptyLabel="Tất cả" value={filters['thao-tac']}
            options={Object.entries(AUDIT_ACTION_NAMES).map(([value, label]) => ({ value, label }))} />
          <TextField name="tu" type="date" label="Từ ngày" value={filters.tu} error={errors.from} />
          <TextField name="den" type="date" label="Đến hết ngày" value={filters.den} error={errors.to} />
          <Button>Lọc</Button>
        </form>
        <FormError message={message} />
        <p role="status">{count(result.total)} sự kiện.</p>
        <DataTable caption="Sự kiện trong nhật ký, mới nhất trước" empty="Không có sự kiện nào." rows={result.items} columns={[
          { header: 'Thời điểm', cell: (e) => <time datetime={isoDate(e.at)}>{formatDate(e.at)} {formatTime(e.at)}</time>, rowHeader: true },
          { header: 'Thao tác', cell: (e) => AUDIT_ACTION_NAMES[e.action] ?? e.action },
          { header: 'Người thực hiện', cell: (e) => (e.actor ? `${e.actor.displayName} (${e.actor.username})` : 'Hệ thống') },
          { header: 'Đơn vị', cell: (e) => e.org?.name ?? '—' },
          { header: 'Học liệu', cell: (e) => (e.material ? <>{e.material.title}{e.version ? ` (phiên bản ${e.version})` : ''}</> : '—') },
          { header: 'Chi tiết', cell: (e) => <code class="audit-data">{summary(e.data)}</code> },
        ]} />
        <Pagination page={page} totalPages={Math.ceil(result.total / PAGE_ROWS)} href={(p) => href(filters, p)} />
      </>
    ),
  });
}

export const auditPage: Page = (app, ctx, pages) => {
  app.get('/quan-tri/nhat-ky', { schema: { hide: true, querystring: Query } }, (request, reply) => show(ctx, pages, request, reply, request.query));
};

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { AdminBackLink } from '../../web/components/admin.js';
import { CsrfField, FormError } from '../../web/components/form.js';
import { count } from '../../web/components/format.js';
import { DataTable } from '../../web/components/data-table.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import type { TransferMode } from '../org-transfer.service.js';
import { ORG_KIND_NAMES, orgPath } from './org-kinds.js';

const Params = Type.Object({ code: Type.String({ maxLength: 64 }) });
const Query = Type.Object({ cach: Type.Optional(Type.String({ maxLength: 10 })), den: Type.Optional(Type.String({ maxLength: 64 })) });
const Body = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  cach: Type.Optional(Type.String({ maxLength: 10 })),
  den: Type.Optional(Type.String({ maxLength: 64 })),
  'khoi-phuc': Type.Optional(Type.String({ maxLength: 1 })),
});

const ROLE_NAMES: Record<string, string> = { contributor: 'giáo viên', reviewer: 'thẩm định', publisher: 'xuất bản', 'org-admin': 'quản trị đơn vị', admin: 'quản trị hệ thống' };
/** Orgs listed by name in the preview; the count says how many there are in all. */
const LISTED_ORGS = 200;

const modeOf = (value: string | undefined): TransferMode => (value === 'merge' ? 'merge' : 'move');

/**
 * The preview of a move or a merge, counted as it would be carried out, and the button that does
 * it. A refusal (a department outside the ministry, a merge across kinds, a target inside the
 * subtree) shows here, before anything is asked.
 */
async function preview(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, code: string, mode: TransferMode, target: string | undefined, message?: string) {
  const back = <AdminBackLink to={orgPath(code)} label="Quay lại đơn vị" />;
  const refuse = (text: string, status: number) => pages.send(request, reply, {
    status, title: 'Không thực hiện được', description: text, cache: 'no-store',
    body: <>{back}<h1>{mode === 'merge' ? 'Sáp nhập đơn vị' : 'Chuyển đơn vị'}</h1><FormError message={text} /></>,
  });
  if (!target) return refuse('Hãy chọn đơn vị đích.', 400);
  let result: Awaited<ReturnType<AppContext['orgTransfers']['preview']>>;
  try {
    result = await ctx.orgTransfers.preview(request.principal, code, target, mode);
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && error.status !== 401 && error.code !== 'NOT_FOUND') return refuse(error.describe('vi'), error.status);
    throw error;
  }
  const { org, target: into } = result;
  const heading = mode === 'merge' ? `Sáp nhập ${org.name} vào ${into.name}` : `Chuyển ${org.name} về ${into.name}`;
  return pages.send(request, reply, {
    status: message ? 409 : 200, title: heading, description: 'Xem trước những gì sẽ chuyển.', cache: 'no-store',
    body: (
      <>
        {back}
        <h1>{heading}</h1>
        <FormError message={message} />
        <p>Xem trước: chưa có gì thay đổi. Những con số dưới đây là đúng những gì sẽ chuyển khi bạn xác nhận.</p>
        <dl class="facts preview-counts">
          <dt>Đơn vị chuyển sang {into.code}</dt><dd>{count(result.orgs.total)} (trong đó {count(result.orgs.schools)} trường)</dd>
          <dt>Tài khoản</dt><dd>{count(result.users)}</dd>
          <dt>Học liệu</dt><dd>{count(result.materials)}</dd>
          <dt>Nhiệm vụ thẩm định đang mở</dt><dd>{count(result.openReviewTasks)}</dd>
          <dt>Nhiệm vụ đang mở ở cấp khác (ở lại cấp đó)</dt><dd>{count(result.openReviewTasksElsewhere)}</dd>
        </dl>
        {mode === 'merge' ? (
          <>
            <p class="state-note">{org.name} sẽ đóng lại (lịch sử giữ nguyên). Tài khoản, học liệu, bộ sưu tập, kênh và nhiệm vụ thẩm định đang mở của chính {org.code} chuyển về {into.code}; các bước thẩm định còn chờ ở {org.code} sẽ do {into.code} thực hiện.</p>
            <h2>Tài khoản của {org.code} chuyển về {into.code} ({result.rehomedAccounts.length})</h2>
            {result.rehomedAccounts.some((a) => a.roles.includes('org-admin')) ? <p>Lưu ý: tài khoản quản trị đơn vị sẽ quản trị toàn bộ cây đơn vị của {into.code}.</p> : null}
            <DataTable caption={`Tài khoản chuyển về ${into.code}`} empty="Không có tài khoản nào." rows={result.rehomedAccounts} columns={[
              { header: 'Tên đăng nhập', cell: (a) => a.username, rowHeader: true },
              { header: 'Họ tên', cell: (a) => a.displayName },
              { header: 'Vai trò', cell: (a) => a.roles.map((r) => ROLE_NAMES[r] ?? r).join(', ') },
              { header: 'Trạng thái', cell: (a) => (a.active ? 'Đang dùng' : 'Đã khoá') },
            ]} />
          </>
        ) : null}
        <h2>Đơn vị chuyển sang {into.code} ({count(result.orgs.total)})</h2>
        <DataTable caption={`Đơn vị chuyển sang ${into.code}`} empty="Không có đơn vị nào." rows={result.orgs.items.slice(0, LISTED_ORGS)} columns={[
          { header: 'Tên', cell: (o) => o.name, rowHeader: true },
          { header: 'Mã', cell: (o) => o.code },
          { header: 'Loại', cell: (o) => ORG_KIND_NAMES[o.kind] },
        ]} />
        {result.orgs.total > LISTED_ORGS ? <p class="meta">… và {count(result.orgs.total - LISTED_ORGS)} đơn vị khác.</p> : null}
        <form method="post" action={`${orgPath(org.code)}/chuyen`} class="actions">
          <CsrfField token={reply.generateCsrf()} />
          <input type="hidden" name="cach" value={mode} />
          <input type="hidden" name="den" value={into.code} />
          <button type="submit" class="button danger">{mode === 'merge' ? 'Xác nhận sáp nhập' : 'Xác nhận chuyển'}</button>
          <a class="button secondary" href={orgPath(org.code)}>Huỷ</a>
        </form>
      </>
    ),
  });
}

async function confirm(ctx: AppContext, pages: PageRenderer, code: string, body: { cach?: string; den?: string; 'khoi-phuc'?: string }, request: FastifyRequest, reply: FastifyReply) {
  const mode = modeOf(body.cach);
  // Back from a sign-in after the session ended: the preview again, to confirm anew.
  if (body['khoi-phuc']) return preview(ctx, pages, request, reply, code, mode, body.den);
  try {
    if (mode === 'merge') await ctx.orgTransfers.merge(request.principal, code, body.den ?? '');
    else await ctx.orgTransfers.move(request.principal, code, body.den ?? '');
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && error.status !== 401 && error.code !== 'NOT_FOUND') {
      return preview(ctx, pages, request, reply, code, mode, body.den, error.describe('vi'));
    }
    throw error;
  }
  const landing = mode === 'merge' ? `${orgPath(body.den!)}?thong-bao=da-sap-nhap` : `${orgPath(code)}?thong-bao=da-chuyen`;
  return reply.header('cache-control', 'no-store').redirect(landing, 303);
}

export const orgTransferPage: Page = (app, ctx, pages) => {
  app.get('/quan-tri/don-vi/:code/chuyen', { schema: { hide: true, params: Params, querystring: Query } }, (request, reply) =>
    preview(ctx, pages, request, reply, request.params.code, modeOf(request.query.cach), request.query.den || undefined));
  app.post('/quan-tri/don-vi/:code/chuyen', { schema: { hide: true, params: Params, body: Body }, preHandler: requireCsrf(app) }, (request, reply) =>
    confirm(ctx, pages, request.params.code, request.body, request, reply));
};

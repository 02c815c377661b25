import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { requirePrincipal } from '../../auth/principal.js';
import type { AppContext } from '../../context.js';
import { MATERIAL_STATUSES, type MaterialStatus } from '../../core/db/schema.js';
import { classificationLine } from '../../web/components/classification.js';
import { formatDate, isoDate } from '../../web/components/format.js';
import { Pagination } from '../../web/components/pagination.js';
import { STATUS_NAMES, stageKindName } from '../../web/components/status.js';
import { reasonLabel } from '../../review/reasons.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';

const Query = Type.Object({
  'trang-thai': Type.Optional(Type.String({ maxLength: 40 })),
  trang: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});

/** Rows per state on the overview, and per page of one state. */
const OVERVIEW_ROWS = 10;
const PAGE_ROWS = 20;

type Mine = Awaited<ReturnType<AppContext['materials']['mine']>>;
type Item = Mine['items'][number];

export function workspacePath(id: string): string {
  return `/cua-toi/hoc-lieu/${id}`;
}

function ItemRow({ ctx, item }: { ctx: AppContext; item: Item }) {
  return (
    <li>
      <h3><a href={workspacePath(item.id)}>{item.title}</a></h3>
      <p class="meta">
        {classificationLine(ctx.taxonomy, item)} · Phiên bản {item.version} · Cập nhật <time datetime={isoDate(item.updatedAt)}>{formatDate(item.updatedAt)}</time>
      </p>
      {'waitingAt' in item && item.waitingAt ? (
        <p class="state-note">Đang chờ thẩm định tại: <strong>{item.waitingAt.name}</strong> ({stageKindName(item.waitingAt.kind)})</p>
      ) : null}
      {'changesRequested' in item && item.changesRequested ? (
        <div class="state-note">
          <p>Ý kiến người thẩm định: {item.changesRequested.comment ?? '(không ghi ý kiến)'}</p>
          {item.changesRequested.reasons?.length ? <ul>{item.changesRequested.reasons.map((code) => <li>{reasonLabel(code)}</li>)}</ul> : null}
        </div>
      ) : null}
    </li>
  );
}

function StateSection({ ctx, status, list, full }: { ctx: AppContext; status: MaterialStatus; list: Mine; full: boolean }) {
  const id = `trang-thai-${status}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{STATUS_NAMES[status]} <span class="meta">({list.total})</span></h2>
      {list.items.length ? <ul class="plain-list status-list">{list.items.map((item) => <ItemRow ctx={ctx} item={item} />)}</ul> : <p class="meta">Không có học liệu nào.</p>}
      {!full && list.total > list.items.length ? <p><a href={`/cua-toi?trang-thai=${status}`}>Xem tất cả {list.total} học liệu “{STATUS_NAMES[status]}”</a></p> : null}
    </section>
  );
}

async function show(ctx: AppContext, pages: PageRenderer, query: Static<typeof Query>, request: FastifyRequest, reply: FastifyReply) {
  const principal = requirePrincipal(request.principal);
  const only = MATERIAL_STATUSES.find((s) => s === query['trang-thai']);
  const page = query.trang ?? 1;
  const body = only
    ? await ctx.materials.mine(principal, { status: only, limit: PAGE_ROWS, offset: (page - 1) * PAGE_ROWS }).then((list) => (
      <>
        <p><a href="/cua-toi">‹ Mọi trạng thái</a></p>
        <StateSection ctx={ctx} status={only} list={list} full />
        <Pagination page={page} totalPages={Math.ceil(list.total / PAGE_ROWS)} href={(p) => `/cua-toi?trang-thai=${only}&trang=${p}`} />
      </>
    ))
    : await Promise.all(MATERIAL_STATUSES.map((status) => ctx.materials.mine(principal, { status, limit: OVERVIEW_ROWS, offset: 0 })))
      .then((lists) => <>{MATERIAL_STATUSES.map((status, i) => <StateSection ctx={ctx} status={status} list={lists[i]!} full={false} />)}</>);
  return pages.send(request, reply, {
    title: 'Học liệu của tôi', description: 'Học liệu của bạn theo trạng thái: bản nháp, đang thẩm định, cần chỉnh sửa, đã xuất bản, đã lưu trữ.',
    cache: 'private',
    body: (
      <>
        <h1>Học liệu của tôi</h1>
        <p class="actions">
          <a class="button" href="/cua-toi/hoc-lieu/moi">Tạo học liệu mới</a>
          <a class="button secondary" href="/cua-toi/mat-khau">Đổi mật khẩu</a>
        </p>
        {body}
      </>
    ),
  });
}

export const workspacePage: Page = (app, ctx, pages) => {
  app.get('/cua-toi', { schema: { hide: true, querystring: Query } }, (request, reply) => show(ctx, pages, request.query, request, reply));
};

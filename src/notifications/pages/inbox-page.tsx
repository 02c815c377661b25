import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { requirePrincipal } from '../../auth/principal.js';
import type { AppContext } from '../../context.js';
import { CsrfField } from '../../web/components/form.js';
import { formatDate, formatTime, isoDate } from '../../web/components/format.js';
import { Pagination } from '../../web/components/pagination.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';

const Query = Type.Object({
  trang: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  'chua-doc': Type.Optional(Type.String({ maxLength: 1 })),
  'thong-bao': Type.Optional(Type.String({ maxLength: 40 })),
});

const PAGE_ROWS = 20;
const NOTICES: Record<string, string> = { 'da-doc-het': 'Đã đánh dấu mọi thông báo là đã đọc.', 'da-luu': 'Đã lưu lựa chọn nhận thông báo qua e-mail.' };

type Item = Awaited<ReturnType<AppContext['notifications']['list']>>['items'][number];

function Row({ item, csrfToken }: { item: Item; csrfToken: string }) {
  return (
    <li class={item.read ? undefined : 'unread'}>
      <p>
        {item.read ? null : <strong>Chưa đọc: </strong>}
        {item.path ? <a href={item.path}>{item.title}</a> : item.title}
      </p>
      {item.detail ? <p class="notification-detail">{item.detail}</p> : null}
      <div class="meta">
        <time datetime={isoDate(item.createdAt)}>{formatDate(item.createdAt)}, {formatTime(item.createdAt)}</time>
        {item.read ? null : (
          <form method="post" action={`/cua-toi/thong-bao/${item.id}/da-doc`}>
            <CsrfField token={csrfToken} />
            {' · '}<button type="submit" class="link-button" aria-label={`Đánh dấu đã đọc: ${item.title}`}>Đánh dấu đã đọc</button>
          </form>
        )}
      </div>
    </li>
  );
}

async function show(ctx: AppContext, pages: PageRenderer, query: Static<typeof Query>, request: FastifyRequest, reply: FastifyReply) {
  const principal = requirePrincipal(request.principal);
  const page = query.trang ?? 1;
  const unreadOnly = query['chua-doc'] === '1';
  const list = await ctx.notifications.list(principal, { limit: PAGE_ROWS, offset: (page - 1) * PAGE_ROWS, unreadOnly });
  const csrfToken = reply.generateCsrf();
  const notice = query['thong-bao'] ? NOTICES[query['thong-bao']] : undefined;
  return pages.send(request, reply, {
    title: 'Thông báo', description: 'Thông báo về học liệu và nhiệm vụ thẩm định của bạn.', cache: 'private',
    body: (
      <>
        <h1>Thông báo</h1>
        {notice ? <p class="notice" role="status">{notice}</p> : null}
        <p>{list.unread > 0 ? `Bạn có ${list.unread} thông báo chưa đọc.` : 'Bạn đã đọc hết thông báo.'}</p>
        <p class="actions">
          {unreadOnly ? <a href="/cua-toi/thong-bao">Xem mọi thông báo</a> : <a href="/cua-toi/thong-bao?chua-doc=1">Chỉ xem thông báo chưa đọc</a>}
          {' · '}
          <a href="/cua-toi/thong-bao/cai-dat">Nhận thông báo qua e-mail</a>
        </p>
        {list.unread > 0 ? (
          <form method="post" action="/cua-toi/thong-bao/da-doc-het">
            <CsrfField token={csrfToken} />
            <button type="submit" class="button secondary">Đánh dấu tất cả đã đọc</button>
          </form>
        ) : null}
        {list.items.length
          ? <ul class="plain-list notification-list">{list.items.map((item) => <Row item={item} csrfToken={csrfToken} />)}</ul>
          : <p class="meta">Chưa có thông báo nào.</p>}
        <Pagination page={page} totalPages={Math.ceil(list.total / PAGE_ROWS)} href={(p) => `/cua-toi/thong-bao?${unreadOnly ? 'chua-doc=1&' : ''}trang=${p}`} />
      </>
    ),
  });
}

export const inboxPage: Page = (app, ctx, pages) => {
  app.get('/cua-toi/thong-bao', { schema: { hide: true, querystring: Query } }, (request, reply) => show(ctx, pages, request.query, request, reply));
};

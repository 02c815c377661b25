import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import { ROLES, type Role } from '../../core/db/schema.js';
import { AdminBackLink, requireAdministrator } from '../../web/components/admin.js';
import { Button, SelectField, TextField } from '../../web/components/form.js';
import { Pagination } from '../../web/components/pagination.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { ROLE_NAMES, userPath } from './user-fields.js';

const Query = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  'don-vi': Type.Optional(Type.String({ maxLength: 64 })),
  'vai-tro': Type.Optional(Type.String({ maxLength: 40 })),
  'trang-thai': Type.Optional(Type.String({ maxLength: 20 })),
  trang: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});

const PAGE_ROWS = 25;

async function show(ctx: AppContext, pages: PageRenderer, query: Static<typeof Query>, request: FastifyRequest, reply: FastifyReply) {
  const principal = requireAdministrator(request.principal);
  const orgs = (await ctx.orgs.administered(principal)).filter((org) => !org.closedAt);
  const q = query.q?.trim() || undefined;
  const orgCode = orgs.some((org) => org.code === query['don-vi']) ? query['don-vi'] : undefined;
  const role = ROLES.find((r) => r === query['vai-tro']);
  const state = query['trang-thai'] === 'hoat-dong' ? true : query['trang-thai'] === 'da-khoa' ? false : undefined;
  const page = query.trang ?? 1;
  const list = await ctx.users.list(principal, { q, orgCode, role: role as Role | undefined, active: state, limit: PAGE_ROWS, offset: (page - 1) * PAGE_ROWS });
  const filters = new URLSearchParams(Object.entries({ q, 'don-vi': orgCode, 'vai-tro': role, 'trang-thai': query['trang-thai'] }).filter((e): e is [string, string] => !!e[1]));
  return pages.send(request, reply, {
    title: 'Người dùng', description: 'Tìm và quản lý tài khoản.', cache: 'no-store',
    body: (
      <>
        <AdminBackLink />
        <h1>Người dùng</h1>
        <p class="actions">
          <a class="button" href="/quan-tri/nguoi-dung/moi">Tạo tài khoản</a>
          <a class="button secondary" href="/quan-tri/nguoi-dung/nhap">Nhập từ bảng tính</a>
        </p>
        <form method="get" action="/quan-tri/nguoi-dung" role="search" aria-label="Tìm tài khoản">
          <TextField name="q" label="Tên, tên đăng nhập hoặc mã định danh" type="search" value={q} />
          <SelectField name="don-vi" label="Đơn vị (kể cả đơn vị trực thuộc)" value={orgCode} emptyLabel="Tất cả" options={orgs.map((org) => ({ value: org.code, label: `${org.name} (${org.code})` }))} />
          <SelectField name="vai-tro" label="Vai trò" value={role} emptyLabel="Tất cả" options={ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] }))} />
          <SelectField name="trang-thai" label="Trạng thái" value={query['trang-thai']} emptyLabel="Tất cả"
            options={[{ value: 'hoat-dong', label: 'Đang hoạt động' }, { value: 'da-khoa', label: 'Đã khoá' }]} />
          <Button>Tìm</Button>
        </form>
        <p role="status">{list.total} tài khoản.</p>
        {list.items.length ? (
          <table>
            <caption class="visually-hidden">Tài khoản tìm được</caption>
            <thead><tr><th scope="col">Tên đăng nhập</th><th scope="col">Họ tên</th><th scope="col">Đơn vị</th><th scope="col">Vai trò</th><th scope="col">Trạng thái</th></tr></thead>
            <tbody>
              {list.items.map((user) => (
                <tr>
                  <td><a href={userPath(user.id)}>{user.username}</a></td>
                  <td>{user.displayName}</td>
                  <td>{user.orgCode}</td>
                  <td>{user.roles.map((r) => ROLE_NAMES[r]).join(', ')}</td>
                  <td>{user.active ? 'Đang hoạt động' : 'Đã khoá'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p class="meta">Không có tài khoản nào phù hợp.</p>}
        <Pagination page={page} totalPages={Math.ceil(list.total / PAGE_ROWS)} href={(p) => `/quan-tri/nguoi-dung?${filters.toString() ? `${filters.toString()}&` : ''}trang=${p}`} />
      </>
    ),
  });
}

export const usersPage: Page = (app, ctx, pages) => {
  app.get('/quan-tri/nguoi-dung', { schema: { hide: true, querystring: Query } }, (request, reply) => show(ctx, pages, request.query, request, reply));
};

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import type { Role } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { isUuid } from '../../http/types.js';
import { AdminBackLink, Notice, requireAdministrator } from '../../web/components/admin.js';
import { formatDate, isoDate } from '../../web/components/format.js';
import { Button, ConfirmAction, CsrfField, FormError } from '../../web/components/form.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { checkUserFields, PasswordLink } from './user-new-page.js';
import { fieldOfError, grantableRoles, listOf, ROLE_NAMES, UserFields, userPath, type UserFieldErrors, type UserFieldValues } from './user-fields.js';

export const Params = Type.Object({ id: Type.String({ maxLength: 100 }) });
const Query = Type.Object({ 'thong-bao': Type.Optional(Type.String({ maxLength: 40 })) });
const Body = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  displayName: Type.Optional(Type.String({ maxLength: 1000 })),
  orgCode: Type.Optional(Type.String({ maxLength: 200 })),
  roles: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })])),
  email: Type.Optional(Type.String({ maxLength: 1000 })),
  'khoi-phuc': Type.Optional(Type.String({ maxLength: 1 })),
});

const NOTICES: Record<string, string> = {
  'da-luu': 'Đã lưu thay đổi.',
  'da-khoa': 'Đã khoá tài khoản: mọi phiên đăng nhập và mã truy cập của nó đã hết hiệu lực, các nhiệm vụ thẩm định đang nhận đã trả lại hàng đợi.',
  'da-mo-khoa': 'Đã mở khoá tài khoản.',
};

export interface EditState { values?: UserFieldValues; errors?: UserFieldErrors; message?: string; notice?: string; link?: { url: string; expiresAt: Date } }

/** The account's page: its fields, and the actions (lock, unlock, a password link), each its own form. */
export async function sendUser(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, id: string, state: EditState, status = 200) {
  const principal = requireAdministrator(request.principal);
  if (!isUuid(id)) throw AppError.notFound('user');
  const user = await ctx.users.get(principal, id);
  const orgs = (await ctx.orgs.administered(principal)).filter((org) => !org.closedAt);
  const csrfToken = reply.generateCsrf();
  const own = user.id === principal.id;
  const values = state.values ?? { displayName: user.displayName, orgCode: user.orgCode, roles: user.roles, email: user.email ?? '' };
  return pages.send(request, reply, {
    status, title: `Tài khoản ${user.username}`, description: 'Sửa, khoá hoặc mở khoá tài khoản.', cache: 'no-store',
    body: (
      <>
        <AdminBackLink to="/quan-tri/nguoi-dung" label="Người dùng" />
        <h1>Tài khoản {user.username}</h1>
        <Notice text={state.notice} />
        {state.link ? <PasswordLink link={state.link} username={user.username} /> : null}
        <FormError message={state.message} />
        <dl class="facts">
          <dt>Trạng thái</dt><dd>{user.active ? 'Đang hoạt động' : 'Đã khoá'}</dd>
          <dt>Vai trò</dt><dd>{user.roles.map((r) => ROLE_NAMES[r]).join(', ')}</dd>
          {user.personalId ? <><dt>Mã định danh</dt><dd>{user.personalId}</dd></> : null}
          <dt>Tạo ngày</dt><dd><time datetime={isoDate(user.createdAt)}>{formatDate(user.createdAt)}</time></dd>
        </dl>
        <h2>Sửa thông tin</h2>
        <form method="post" action={userPath(user.id)} novalidate>
          <CsrfField token={csrfToken} />
          <UserFields principal={principal} orgs={orgs} values={values} errors={state.errors ?? {}} />
          <Button>Lưu thay đổi</Button>
        </form>
        <h2>Mật khẩu và khoá tài khoản</h2>
        <form method="post" action={`${userPath(user.id)}/dat-lai-mat-khau`}>
          <CsrfField token={csrfToken} />
          <p>Tạo một liên kết dùng một lần để người dùng tự đặt mật khẩu mới (liên kết cũ chưa dùng sẽ hết hiệu lực).</p>
          <button type="submit" class="button secondary">Tạo liên kết đặt lại mật khẩu</button>
        </form>
        {own ? <p class="meta">Bạn không thể tự khoá tài khoản của mình.</p> : user.active ? (
          <ConfirmAction action={`${userPath(user.id)}/khoa`} csrfToken={csrfToken} label="Khoá tài khoản" confirmLabel="Khoá ngay"
            question={`Khoá tài khoản ${user.username}? Mọi phiên đăng nhập và mã truy cập của tài khoản hết hiệu lực ngay; các nhiệm vụ thẩm định đang nhận trở lại hàng đợi.`} />
        ) : (
          <form method="post" action={`${userPath(user.id)}/mo-khoa`}>
            <CsrfField token={csrfToken} />
            <button type="submit" class="button">Mở khoá tài khoản</button>
          </form>
        )}
      </>
    ),
  });
}

async function save(ctx: AppContext, pages: PageRenderer, id: string, body: Static<typeof Body>, request: FastifyRequest, reply: FastifyReply) {
  const principal = requireAdministrator(request.principal);
  const roles = listOf(body.roles);
  const values = { displayName: body.displayName, orgCode: body.orgCode, roles, email: body.email };
  if (body['khoi-phuc']) return sendUser(ctx, pages, request, reply, id, { values, message: 'Phiên đăng nhập đã hết hạn trước khi lưu: hãy kiểm tra rồi lưu lại.' });
  const errors = checkUserFields(body, roles, grantableRoles(principal));
  const refuse = (e: UserFieldErrors, message = 'Chưa lưu được: hãy sửa các ô được đánh dấu.', status = 400) => sendUser(ctx, pages, request, reply, id, { values, errors: e, message }, status);
  if (Object.keys(errors).length) return refuse(errors);
  const current = await ctx.users.get(principal, id);
  try {
    await ctx.users.update(principal, id, {
      displayName: body.displayName!.trim(), orgCode: body.orgCode!, email: body.email?.trim() || null,
      // Roles unchanged are not sent: one's own account keeps its (unchangeable) roles while its name changes.
      ...(roles.length === current.roles.length && roles.every((r) => (current.roles as string[]).includes(r)) ? {} : { roles: roles as Role[] }),
    });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500 || error.status === 401 || error.status === 404) throw error;
    const field = fieldOfError(error.code);
    return field ? refuse({ [field]: error.describe('vi') }, undefined, error.status) : refuse({}, error.describe('vi'), error.status);
  }
  return reply.header('cache-control', 'no-store').redirect(`${userPath(id)}?thong-bao=da-luu`, 303);
}

export const userEditPage: Page = (app, ctx, pages) => {
  app.get('/quan-tri/nguoi-dung/:id', { schema: { hide: true, params: Params, querystring: Query } }, (request, reply) =>
    sendUser(ctx, pages, request, reply, request.params.id, { notice: request.query['thong-bao'] ? NOTICES[request.query['thong-bao']] : undefined }));
  app.post('/quan-tri/nguoi-dung/:id', { schema: { hide: true, params: Params, body: Body }, preHandler: requireCsrf(app) }, (request, reply) =>
    save(ctx, pages, request.params.id, request.body, request, reply));
};

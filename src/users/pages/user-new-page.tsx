import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import type { Role } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { EMAIL_PATTERN } from '../../notifications/email-address.js';
import { AdminBackLink, requireAdministrator } from '../../web/components/admin.js';
import { formatDate, formatTime } from '../../web/components/format.js';
import { Button, CsrfField, FormError, TextField } from '../../web/components/form.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { fieldOfError, grantableRoles, listOf, UserFields, userPath, type UserFieldErrors } from './user-fields.js';

const Body = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  username: Type.Optional(Type.String({ maxLength: 1000 })),
  displayName: Type.Optional(Type.String({ maxLength: 1000 })),
  orgCode: Type.Optional(Type.String({ maxLength: 200 })),
  roles: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })])),
  personalId: Type.Optional(Type.String({ maxLength: 1000 })),
  email: Type.Optional(Type.String({ maxLength: 1000 })),
  'khoi-phuc': Type.Optional(Type.String({ maxLength: 1 })),
});
type Form = Static<typeof Body>;

/** The one-time link shown once, right after it was made: the administrator passes it on. */
export function PasswordLink({ link, username }: { link: { url: string; expiresAt: Date | string }; username: string }) {
  return (
    <section aria-labelledby="lien-ket-mat-khau" class="notice">
      <h2 id="lien-ket-mat-khau">Liên kết đặt mật khẩu cho {username}</h2>
      <p>Gửi liên kết này cho chính người dùng (không gửi qua nhóm chung). Liên kết dùng được một lần, hết hạn lúc {formatTime(link.expiresAt)} ngày {formatDate(link.expiresAt)}, và chỉ hiện lần này.</p>
      <p><code class="secret-link">{link.url}</code></p>
    </section>
  );
}

async function sendForm(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, values: Form, errors: UserFieldErrors, message?: string, status = 200) {
  const principal = requireAdministrator(request.principal);
  const orgs = (await ctx.orgs.administered(principal)).filter((org) => !org.closedAt);
  return pages.send(request, reply, {
    status, title: 'Tạo tài khoản', description: 'Tạo một tài khoản mới.', cache: 'no-store',
    body: (
      <>
        <AdminBackLink to="/quan-tri/nguoi-dung" label="Người dùng" />
        <h1>Tạo tài khoản</h1>
        <FormError message={message} />
        <p>Tài khoản mới nhận một liên kết dùng một lần để người dùng tự đặt mật khẩu; quản trị viên không biết mật khẩu đó.</p>
        <form method="post" action="/quan-tri/nguoi-dung/moi" novalidate>
          <CsrfField token={reply.generateCsrf()} />
          <TextField name="username" label="Tên đăng nhập" value={values.username} autocomplete="off" required error={errors.username}
            hint="3–64 ký tự: chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang." />
          <UserFields principal={principal} orgs={orgs} values={{ ...values, roles: listOf(values.roles) }} errors={errors} />
          <TextField name="personalId" label="Mã định danh ngành (không bắt buộc)" value={values.personalId} autocomplete="off" error={errors.personalId} />
          <Button>Tạo tài khoản</Button>
        </form>
      </>
    ),
  });
}

/** What a form can get wrong, said beside its field before the service is asked. */
export function checkUserFields(values: { displayName?: string; orgCode?: string; email?: string }, roles: string[], grantable: Role[]): UserFieldErrors {
  const errors: UserFieldErrors = {};
  const displayName = values.displayName?.trim() ?? '';
  if (!displayName) errors.displayName = 'Hãy nhập họ tên.';
  else if (displayName.length > 200) errors.displayName = 'Họ tên dài tối đa 200 ký tự.';
  if (!values.orgCode) errors.orgCode = 'Hãy chọn đơn vị.';
  if (roles.length === 0) errors.roles = 'Hãy chọn ít nhất một vai trò.';
  else if (roles.some((role) => !(grantable as string[]).includes(role))) errors.roles = 'Bạn không cấp được vai trò này.';
  const email = values.email?.trim() ?? '';
  if (email && (email.length > 254 || !EMAIL_PATTERN.test(email))) errors.email = 'Địa chỉ e-mail không hợp lệ (ví dụ: ten@truong.edu.vn).';
  return errors;
}

async function create(ctx: AppContext, pages: PageRenderer, body: Form, request: FastifyRequest, reply: FastifyReply) {
  const principal = requireAdministrator(request.principal);
  if (body['khoi-phuc']) return sendForm(ctx, pages, request, reply, body, {}, 'Phiên đăng nhập đã hết hạn trước khi tạo: hãy kiểm tra rồi gửi lại.');
  const roles = listOf(body.roles);
  const username = body.username?.trim() ?? '';
  const personalId = body.personalId?.trim() ?? '';
  const errors = checkUserFields(body, roles, grantableRoles(principal));
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(username)) errors.username = username ? 'Tên đăng nhập không hợp lệ: 3–64 ký tự, chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang.' : 'Hãy nhập tên đăng nhập.';
  if (personalId && !/^[A-Za-z0-9-]{4,32}$/.test(personalId)) errors.personalId = 'Mã định danh gồm 4–32 chữ, số hoặc gạch ngang.';
  const refuse = (e: UserFieldErrors, message = 'Chưa tạo được tài khoản: hãy sửa các ô được đánh dấu.', status = 400) => sendForm(ctx, pages, request, reply, body, e, message, status);
  if (Object.keys(errors).length) return refuse(errors);
  let created: Awaited<ReturnType<AppContext['users']['create']>>;
  try {
    created = await ctx.users.create(principal, {
      username, displayName: body.displayName!.trim(), orgCode: body.orgCode!, roles: roles as Role[],
      ...(personalId ? { personalId } : {}), ...(body.email?.trim() ? { email: body.email.trim() } : {}),
    });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500 || error.status === 401) throw error;
    const field = fieldOfError(error.code);
    return field ? refuse({ [field]: error.describe('vi') }, undefined, error.status) : refuse({}, error.describe('vi'), error.status);
  }
  return pages.send(request, reply, {
    title: 'Đã tạo tài khoản', description: 'Tài khoản mới và liên kết đặt mật khẩu.', cache: 'no-store',
    body: (
      <>
        <AdminBackLink to="/quan-tri/nguoi-dung" label="Người dùng" />
        <h1>Đã tạo tài khoản {created.username}</h1>
        {'passwordLink' in created && created.passwordLink ? <PasswordLink link={created.passwordLink} username={created.username} /> : null}
        <p><a href={userPath(created.id)}>Xem tài khoản</a> · <a href="/quan-tri/nguoi-dung/moi">Tạo tài khoản khác</a></p>
      </>
    ),
  });
}

export const userNewPage: Page = (app, ctx, pages) => {
  app.get('/quan-tri/nguoi-dung/moi', { schema: { hide: true } }, (request, reply) => sendForm(ctx, pages, request, reply, {}, {}));
  app.post('/quan-tri/nguoi-dung/moi', { schema: { hide: true, body: Body }, preHandler: requireCsrf(app) }, (request, reply) => create(ctx, pages, request.body, request, reply));
};

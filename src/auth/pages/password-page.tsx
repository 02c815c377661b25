import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { Button, CsrfField, FormError, TextField } from '../../web/components/form.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { requirePrincipal } from '../principal.js';

// Lengths are checked in the handler: a refused field re-renders the form. Passwords are never sent back into the page.
const Body = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  currentPassword: Type.Optional(Type.String({ maxLength: 1000 })),
  newPassword: Type.Optional(Type.String({ maxLength: 1000 })),
  repeatPassword: Type.Optional(Type.String({ maxLength: 1000 })),
  'khoi-phuc': Type.Optional(Type.String({ maxLength: 1 })),
});

interface FormState { message?: string; notice?: string; errors?: { currentPassword?: string; newPassword?: string; repeatPassword?: string } }

function send(pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) {
  requirePrincipal(request.principal);
  return pages.send(request, reply, {
    status, title: 'Đổi mật khẩu', description: 'Đổi mật khẩu của bạn.', cache: 'no-store',
    body: (
      <>
        <p><a href="/cua-toi">‹ Học liệu của tôi</a></p>
        <h1>Đổi mật khẩu</h1>
        {state.notice ? <p class="notice" role="status">{state.notice}</p> : null}
        <FormError message={state.message} />
        <p>Mật khẩu mới cần ít nhất 10 ký tự, không chứa tên đăng nhập, không phải mật khẩu phổ biến hay chuỗi dễ đoán. Đổi mật khẩu sẽ đăng xuất bạn ở các thiết bị khác.</p>
        <form method="post" action="/cua-toi/mat-khau" novalidate>
          <CsrfField token={reply.generateCsrf()} />
          <TextField name="currentPassword" id="truong-mat-khau-hien-tai" label="Mật khẩu hiện tại" type="password" autocomplete="current-password" required error={state.errors?.currentPassword} />
          <TextField name="newPassword" id="truong-mat-khau-moi" label="Mật khẩu mới" type="password" autocomplete="new-password" required error={state.errors?.newPassword} />
          <TextField name="repeatPassword" id="truong-nhap-lai-mat-khau" label="Nhập lại mật khẩu mới" type="password" autocomplete="new-password" required error={state.errors?.repeatPassword} />
          <Button>Đổi mật khẩu</Button>
        </form>
      </>
    ),
  });
}

async function change(ctx: AppContext, pages: PageRenderer, body: Static<typeof Body>, request: FastifyRequest, reply: FastifyReply) {
  if (body['khoi-phuc']) return send(pages, request, reply, { message: 'Phiên đăng nhập đã hết hạn trước khi đổi mật khẩu: hãy nhập lại.' });
  const principal = requirePrincipal(request.principal);
  const current = body.currentPassword ?? '';
  const next = body.newPassword ?? '';
  const errors: NonNullable<FormState['errors']> = {};
  if (current === '') errors.currentPassword = 'Hãy nhập mật khẩu hiện tại.';
  if (next === '') errors.newPassword = 'Hãy nhập mật khẩu mới.';
  else if (next.length > 256) errors.newPassword = 'Mật khẩu dài tối đa 256 ký tự.';
  if (next !== '' && body.repeatPassword !== next) errors.repeatPassword = 'Hai lần nhập mật khẩu mới không giống nhau.';
  const refuse = (e: FormState['errors'], message = 'Chưa đổi được mật khẩu: hãy sửa các ô được đánh dấu.', status = 400) => send(pages, request, reply, { errors: e, message }, status);
  if (Object.keys(errors).length) return refuse(errors);
  try {
    await ctx.auth.changePassword(principal, request.sessionToken ?? '', { currentPassword: current, newPassword: next }, request.ip);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'CURRENT_PASSWORD_WRONG') return refuse({ currentPassword: error.describe('vi') });
    if (error.code === 'WEAK_PASSWORD') {
      const reasons = (Array.isArray(error.details) ? error.details : []).map((d) => (d as { message?: string }).message).filter(Boolean);
      return refuse({ newPassword: `${error.describe('vi')}${reasons.length ? ` Mật khẩu này ${reasons.join(', ')}.` : ''}` });
    }
    if (error.code === 'TOO_MANY_ATTEMPTS') return refuse({}, error.describe('vi'), 429);
    throw error;
  }
  return send(pages, request, reply, { notice: 'Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.' });
}

export const passwordPage: Page = (app, ctx, pages) => {
  app.get('/cua-toi/mat-khau', { schema: { hide: true } }, (request, reply) => send(pages, request, reply, {}));
  app.post('/cua-toi/mat-khau', { schema: { hide: true, body: Body }, preHandler: requireCsrf(app) }, (request, reply) => change(ctx, pages, request.body, request, reply));
};

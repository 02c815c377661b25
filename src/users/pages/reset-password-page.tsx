import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { Button, CsrfField, FormError, TextField } from '../../web/components/form.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { resetPath } from '../password-reset.service.js';

const Params = Type.Object({ token: Type.String({ maxLength: 100 }) });
const Body = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  username: Type.Optional(Type.String({ maxLength: 1000 })),
  newPassword: Type.Optional(Type.String({ maxLength: 1000 })),
  repeatPassword: Type.Optional(Type.String({ maxLength: 1000 })),
});

interface FormState { message?: string; errors?: { newPassword?: string; repeatPassword?: string } }

function sendForm(pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, token: string, user: { username: string; displayName: string }, state: FormState, status = 200) {
  return pages.send(request, reply, {
    status, title: 'Đặt mật khẩu mới', description: 'Đặt mật khẩu cho tài khoản của bạn.', cache: 'no-store',
    body: (
      <>
        <h1>Đặt mật khẩu mới</h1>
        <FormError message={state.message} />
        <p>Tài khoản <strong>{user.username}</strong> ({user.displayName}). Mật khẩu cần ít nhất 10 ký tự, không chứa tên đăng nhập, không phải mật khẩu phổ biến hay chuỗi dễ đoán. Liên kết này chỉ dùng được một lần.</p>
        <form method="post" action={resetPath(token)} novalidate>
          <CsrfField token={reply.generateCsrf()} />
          {/* Password managers file the new password under this username. */}
          <input type="hidden" name="username" value={user.username} autocomplete="username" />
          <TextField name="newPassword" id="truong-mat-khau-moi" label="Mật khẩu mới" type="password" autocomplete="new-password" required error={state.errors?.newPassword} />
          <TextField name="repeatPassword" id="truong-nhap-lai-mat-khau" label="Nhập lại mật khẩu mới" type="password" autocomplete="new-password" required error={state.errors?.repeatPassword} />
          <Button>Đặt mật khẩu</Button>
        </form>
      </>
    ),
  });
}

function sendDone(pages: PageRenderer, request: FastifyRequest, reply: FastifyReply) {
  return pages.send(request, reply, {
    title: 'Đã đặt mật khẩu', description: 'Mật khẩu mới đã được lưu.', cache: 'no-store',
    body: (
      <>
        <h1>Đã đặt mật khẩu</h1>
        <p class="notice" role="status">Mật khẩu mới đã được lưu; mọi phiên đăng nhập cũ của tài khoản đã kết thúc.</p>
        <p><a class="button" href="/dang-nhap">Đăng nhập</a></p>
      </>
    ),
  });
}

async function save(ctx: AppContext, pages: PageRenderer, token: string, body: Static<typeof Body>, request: FastifyRequest, reply: FastifyReply) {
  const user = await ctx.passwordResets.check(token);
  const next = body.newPassword ?? '';
  const errors: NonNullable<FormState['errors']> = {};
  if (next === '') errors.newPassword = 'Hãy nhập mật khẩu mới.';
  else if (next.length > 256) errors.newPassword = 'Mật khẩu dài tối đa 256 ký tự.';
  if (next !== '' && body.repeatPassword !== next) errors.repeatPassword = 'Hai lần nhập mật khẩu mới không giống nhau.';
  const refuse = (e: FormState['errors']) => sendForm(pages, request, reply, token, user, { errors: e, message: 'Chưa đặt được mật khẩu: hãy sửa các ô được đánh dấu.' }, 400);
  if (Object.keys(errors).length) return refuse(errors);
  try {
    await ctx.passwordResets.complete(token, next);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'WEAK_PASSWORD') throw error;
    const reasons = (Array.isArray(error.details) ? error.details : []).map((d) => (d as { message?: string }).message).filter(Boolean);
    return refuse({ newPassword: `${error.describe('vi')}${reasons.length ? ` Mật khẩu này ${reasons.join(', ')}.` : ''}` });
  }
  return sendDone(pages, request, reply);
}

/** The one-time link an administrator hands out (src/users/password-reset.service.ts): open to anyone who holds it. */
export const resetPasswordPage: Page = (app, ctx, pages) => {
  app.get('/dat-lai-mat-khau/:token', { schema: { hide: true, params: Params } }, async (request, reply) =>
    sendForm(pages, request, reply, request.params.token, await ctx.passwordResets.check(request.params.token), {}));
  app.post('/dat-lai-mat-khau/:token', { schema: { hide: true, params: Params, body: Body }, preHandler: requireCsrf(app) }, (request, reply) =>
    save(ctx, pages, request.params.token, request.body, request, reply));
};

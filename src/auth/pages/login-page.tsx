import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { Button, CsrfField, FormError, TextField } from '../../web/components/form.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { safeReturnPath } from '../../web/return-path.js';
import { setSessionCookie } from '../../web/session.js';

/** Where a sign-in without `tiep` leads. */
const AFTER_SIGN_IN = '/';

const Query = Type.Object({ tiep: Type.Optional(Type.String({ maxLength: 2000 })), 'het-han': Type.Optional(Type.String({ maxLength: 1 })) });
// Lengths are checked in the handler: a refused field re-renders the form, it is not a 400 page.
const Body = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  username: Type.Optional(Type.String({ maxLength: 1000 })),
  password: Type.Optional(Type.String({ maxLength: 1000 })),
  tiep: Type.Optional(Type.String({ maxLength: 2000 })),
});

interface FormState {
  username: string;
  next: string;
  message?: string;
  errors?: { username?: string; password?: string };
}

function LoginForm({ state, csrfToken }: { state: FormState; csrfToken: string }) {
  return (
    <>
      <h1>Đăng nhập</h1>
      <p>Dành cho giáo viên, người thẩm định và cán bộ quản lý. Người học và phụ huynh xem, tải học liệu không cần tài khoản.</p>
      <FormError message={state.message} />
      <form method="post" action="/dang-nhap" novalidate>
        <CsrfField token={csrfToken} />
        <input type="hidden" name="tiep" value={state.next} />
        <TextField name="username" label="Tên đăng nhập" value={state.username} autocomplete="username" required error={state.errors?.username} />
        <TextField name="password" label="Mật khẩu" type="password" autocomplete="current-password" required error={state.errors?.password} />
        <Button>Đăng nhập</Button>
      </form>
    </>
  );
}

function sendForm(pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) {
  return pages.send(request, reply, {
    status, title: 'Đăng nhập', description: 'Đăng nhập vào kho học liệu số dùng chung.', canonicalPath: '/dang-nhap', cache: 'no-store',
    body: <LoginForm state={state} csrfToken={reply.generateCsrf()} />,
  });
}

async function signIn(ctx: AppContext, pages: PageRenderer, body: Static<typeof Body>, request: FastifyRequest, reply: FastifyReply) {
  const username = (body.username ?? '').trim();
  const password = body.password ?? '';
  const next = safeReturnPath(body.tiep, ctx.config.publicUrl) ?? AFTER_SIGN_IN;
  const errors = {
    username: username === '' ? 'Hãy nhập tên đăng nhập.' : username.length > 64 ? 'Tên đăng nhập dài tối đa 64 ký tự.' : undefined,
    password: password === '' ? 'Hãy nhập mật khẩu.' : password.length > 256 ? 'Mật khẩu dài tối đa 256 ký tự.' : undefined,
  };
  if (errors.username || errors.password) return sendForm(pages, request, reply, { username, next, errors, message: 'Chưa đăng nhập được: hãy sửa các ô được đánh dấu.' }, 400);
  try {
    const { token } = await ctx.auth.login(username, password, request.ip);
    setSessionCookie(ctx, reply, token);
    return reply.header('cache-control', 'no-store').redirect(next, 303);
  } catch (error) {
    // The same words for an unknown user and a wrong password (INVALID_CREDENTIALS), and the throttle's wait.
    if (error instanceof AppError && (error.code === 'INVALID_CREDENTIALS' || error.code === 'TOO_MANY_ATTEMPTS')) {
      if (error.status === 429 && typeof error.params.seconds === 'number') reply.header('retry-after', String(error.params.seconds));
      return sendForm(pages, request, reply, { username, next, message: error.describe('vi') }, error.status);
    }
    throw error;
  }
}

export const loginPage: Page = (app, ctx, pages) => {
  app.get('/dang-nhap', { schema: { hide: true, querystring: Query } }, async (request, reply) => {
    const next = safeReturnPath(request.query.tiep, ctx.config.publicUrl) ?? AFTER_SIGN_IN;
    if (request.principal) return reply.redirect(next, 303);
    const message = request.query['het-han'] || request.sessionExpired ? 'Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.' : undefined;
    return sendForm(pages, request, reply, { username: '', next, message });
  });
  app.post('/dang-nhap', { schema: { hide: true, body: Body }, preHandler: requireCsrf(app) }, (request, reply) => signIn(ctx, pages, request.body, request, reply));
};

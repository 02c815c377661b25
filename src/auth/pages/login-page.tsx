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
const AFTER_SIGN_IN = '/cua-toi';

const Query = Type.Object({ tiep: Type.Optional(Type.String({ maxLength: 2000 })), 'het-han': Type.Optional(Type.String({ maxLength: 1 })) });
// Lengths are checked in the handler: a refused field re-renders the form, it is not a 400 page.
const Body = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  username: Type.Optional(Type.String({ maxLength: 1000 })),
  password: Type.Optional(Type.String({ maxLength: 1000 })),
  tiep: Type.Optional(Type.String({ maxLength: 2000 })),
  /** The fields of a form posted after the session ended (src/web/error-pages.tsx), as JSON: given back after sign-in. */
  giu: Type.Optional(Type.String({ maxLength: 200_000 })),
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

function pendingOf(text: string | undefined): Record<string, string | string[]> | null {
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const fields = Object.entries(parsed as Record<string, unknown>)
      .filter(([name, value]) => name !== '_csrf' && (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))));
    return fields.length ? Object.fromEntries(fields) as Record<string, string | string[]> : null;
  } catch {
    return null;
  }
}

/**
 * Signed in again after a form was posted on an ended session: one button takes the typed fields
 * back to their form (with `khoi-phuc`, which shows them and does nothing else), under a new CSRF
 * token. A redirect cannot carry a body, and an automatic post would need a script.
 */
function sendPending(pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, next: string, pending: Record<string, string | string[]>) {
  return pages.send(request, reply, {
    title: 'Đã đăng nhập lại', description: 'Quay lại biểu mẫu với nội dung bạn đã nhập.', cache: 'no-store',
    body: (
      <>
        <h1>Đã đăng nhập lại</h1>
        <p>Nội dung bạn đã nhập vẫn còn. Bấm nút dưới đây để quay lại biểu mẫu, kiểm tra rồi gửi.</p>
        <form method="post" action={next}>
          <CsrfField token={reply.generateCsrf()} />
          <input type="hidden" name="khoi-phuc" value="1" />
          {Object.entries(pending).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => <input type="hidden" name={name} value={v} />))}
          <Button>Quay lại biểu mẫu</Button>
        </form>
      </>
    ),
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
    const { token, user } = await ctx.auth.login(username, password, request.ip);
    setSessionCookie(ctx, reply, token);
    const pending = pendingOf(body.giu);
    // The header of this page already shows the new session.
    if (pending && body.tiep === next) {
      request.principal = user;
      return sendPending(pages, request, reply, next, pending);
    }
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

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../core/errors.js';
import { Button, CsrfField, TextField } from './components/form.js';
import type { PageRenderer } from './render.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Set by registerWeb: answers an error as a Vietnamese page; src/http/error-handler.ts calls it for page requests. */
    sendErrorPage?: (error: AppError) => Promise<FastifyReply>;
  }
}

const HEADINGS: Record<number, string> = {
  401: 'Cần đăng nhập',
  403: 'Không có quyền truy cập',
  404: 'Không tìm thấy trang',
  429: 'Quá nhiều yêu cầu',
  500: 'Đã có lỗi hệ thống',
};

function ErrorBody({ heading, message, status, signIn }: { heading: string; message: string; status: number; signIn?: string }) {
  return (
    <>
      <h1>{heading}</h1>
      <p>{message}</p>
      {status === 404 ? <p>Đường dẫn có thể đã thay đổi, hoặc học liệu chưa được xuất bản.</p> : null}
      <ul>
        {signIn ? <li><a href={signIn}>Đăng nhập lại</a></li> : null}
        <li><a href="/">Về trang chủ</a></li>
        <li><a href="/tim-kiem">Tìm học liệu</a></li>
      </ul>
    </>
  );
}

/**
 * What was typed into a form posted after the session ended, to give back after signing in again
 * (src/auth/pages/login-page.tsx): every field but the CSRF token and passwords. Null when there
 * is nothing to keep (an action button, a multipart form).
 */
function pendingFields(body: unknown): Record<string, string | string[]> | null {
  if (!body || typeof body !== 'object') return null;
  const kept = Object.entries(body as Record<string, unknown>)
    .filter(([name, value]) => name !== '_csrf' && !/password/i.test(name) && (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))));
  return kept.length ? Object.fromEntries(kept) as Record<string, string | string[]> : null;
}

/** The session-expired page of a form: signing in here carries the typed fields back to it. */
function SignInAgain({ csrfToken, formPath, pending }: { csrfToken: string; formPath: string; pending: Record<string, string | string[]> }) {
  return (
    <>
      <h1>Phiên đăng nhập đã hết hạn</h1>
      <p>Những gì bạn đã nhập vẫn được giữ: hãy đăng nhập lại, bạn sẽ quay về biểu mẫu với nội dung đó.</p>
      <form method="post" action="/dang-nhap" novalidate>
        <CsrfField token={csrfToken} />
        <input type="hidden" name="tiep" value={formPath} />
        <input type="hidden" name="giu" value={JSON.stringify(pending)} />
        <TextField name="username" label="Tên đăng nhập" autocomplete="username" required />
        <TextField name="password" label="Mật khẩu" type="password" autocomplete="current-password" required />
        <Button>Đăng nhập</Button>
      </form>
    </>
  );
}

/** Where to send someone back to after signing in: the page they asked for (GET) or the one they came from. */
function returnPath(request: FastifyRequest): string {
  if (request.method === 'GET') return request.url;
  const referer = request.headers.referer;
  try {
    return referer ? new URL(referer).pathname : '/';
  } catch {
    return '/';
  }
}

/**
 * The error pages: 404, 403, 500 and every other refusal with its Vietnamese message. A page that
 * needs a signed-in user sends a GET to the sign-in page (and back after it); a form posted after
 * the session ended shows the session-expired page with the way back.
 */
export async function sendErrorPage(pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, error: AppError): Promise<FastifyReply> {
  if (error.code === 'UNAUTHENTICATED') {
    const signIn = `/dang-nhap?tiep=${encodeURIComponent(returnPath(request))}${request.sessionExpired ? '&het-han=1' : ''}`;
    if (request.method === 'GET') return reply.header('cache-control', 'no-store').redirect(signIn, 303);
    const pending = pendingFields(request.body);
    return pages.send(request, reply, {
      status: 401, title: 'Phiên đăng nhập đã hết hạn', description: 'Phiên đăng nhập đã hết hạn.', cache: 'no-store',
      body: pending
        ? <SignInAgain csrfToken={reply.generateCsrf()} formPath={request.url} pending={pending} />
        : <ErrorBody heading="Phiên đăng nhập đã hết hạn" message="Hãy đăng nhập lại rồi gửi lại biểu mẫu." status={401} signIn={signIn} />,
    });
  }
  const heading = HEADINGS[error.status] ?? (error.status >= 500 ? HEADINGS[500]! : 'Yêu cầu không thực hiện được');
  const message = error.describe('vi');
  return pages.send(request, reply, {
    status: error.status, title: heading, description: message, cache: 'no-store',
    body: <ErrorBody heading={heading} message={message} status={error.status} />,
  });
}

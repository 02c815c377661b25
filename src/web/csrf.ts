import fastifyCsrfProtection from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../http/types.js';

/**
 * CSRF defence of page forms (double submit): a secret in the HttpOnly `_csrf` cookie, a token
 * derived from it in each form's hidden `_csrf` field (CsrfField). A POST whose token does not
 * match is refused with 403 CSRF_INVALID before its handler runs.
 */
export async function registerCsrf(app: App, secure: boolean): Promise<void> {
  await app.register(fastifyCsrfProtection, { cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure } });
}

/** preHandler of every page route that changes something (the body, where the token is, is parsed by then). */
export function requireCsrf(app: App) {
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => app.csrfProtection(request, reply, done);
}

/**
 * The same check for a multipart form (a file posted from a page), whose fields are read by the
 * handler as they stream: the form puts its `_csrf` field before the file, and the handler checks
 * it here before it reads the file.
 */
export function checkCsrfToken(app: App, request: FastifyRequest, reply: FastifyReply, token: string | undefined): Promise<void> {
  request.body = { _csrf: token };
  return new Promise((resolve, reject) => app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve())));
}

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

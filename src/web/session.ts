import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The page session's token (hoclieu_session cookie), kept to revoke it on sign-out. */
    sessionToken: string | null;
    /** A session cookie came but its session is over (expired, idle, revoked): say so on the sign-in page. */
    sessionExpired: boolean;
    /** The signed-in user's unread notifications, for the header's counter (null when not read). */
    unreadNotifications: number | null;
  }
}

/**
 * Browser sessions: the token the AuthService creates for a sign-in (stored hashed, like bearer
 * tokens), carried in an HttpOnly cookie. Only pages read it; /api/* keeps bearer tokens, so the
 * API needs no CSRF defence.
 */
export const SESSION_COOKIE = 'hoclieu_session';

export function sessionCookieOptions(ctx: AppContext) {
  return {
    httpOnly: true, sameSite: 'lax' as const, path: '/',
    secure: ctx.config.publicUrl.startsWith('https:'),
    maxAge: ctx.config.sessionTtlHours * 3600,
  };
}

/** onRequest hook of the page scope: the cookie's session becomes request.principal, unless a bearer token already set it. */
export function sessionHook(ctx: AppContext) {
  return async (request: FastifyRequest) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || request.principal) return;
    const principal = await ctx.auth.authenticate(token);
    if (principal) {
      request.principal = principal;
      request.sessionToken = token;
      // One lookup in the partial index of unread notifications, per signed-in page.
      request.unreadNotifications = await ctx.notifications.unreadCount(principal.id);
    } else {
      request.sessionExpired = true;
    }
  };
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(ctx));
}

export function clearSessionCookie(ctx: AppContext, reply: FastifyReply): void {
  const { maxAge: _maxAge, ...options } = sessionCookieOptions(ctx);
  reply.clearCookie(SESSION_COOKIE, options);
}

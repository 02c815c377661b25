import type { FastifyRequest } from 'fastify';
import { hasRole, requireRole, type Principal } from '../../auth/principal.js';
import { AppError } from '../../core/errors.js';

/**
 * The publisher console is for `publisher` (and `admin`, who holds every role): anyone else signed
 * in gets the 403 page, and a visitor the sign-in page. The services check each action again.
 */
export function requirePublisher(request: FastifyRequest): Principal {
  return requireRole(request.principal, 'publisher');
}

/** Who connects channels to Google: their managers (ChannelService), i.e. admins and org-admins. */
export function managesChannels(principal: Principal): boolean {
  return hasRole(principal, 'org-admin');
}

/** A refusal to show in the page beside the form (bad input, a state that moved on), not as an error page. */
export function isFormRefusal(error: unknown): error is AppError {
  return error instanceof AppError && error.status < 500 && error.status !== 401;
}

/** What a refused form sent, to show it again: every field but the CSRF token. */
export function typedFields(body: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => entry[0] !== '_csrf' && entry[1] !== undefined));
}

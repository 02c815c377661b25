import type { Role } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';

/** The signed-in user a request acts for. */
export interface Principal {
  id: string;
  username: string;
  displayName: string;
  orgId: string;
  orgCode: string;
  roles: Role[];
}

export function hasRole(principal: Principal | null, ...roles: Role[]): boolean {
  return !!principal && (principal.roles.includes('admin') || roles.some((role) => principal.roles.includes(role)));
}

export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw new AppError('UNAUTHENTICATED');
  return principal;
}

export function requireRole(principal: Principal | null, ...roles: Role[]): Principal {
  const signedIn = requirePrincipal(principal);
  if (!hasRole(signedIn, ...roles)) throw new AppError('FORBIDDEN');
  return signedIn;
}

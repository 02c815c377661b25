import { sign, signatureMatches } from '../core/crypto.js';
import type { Principal } from './principal.js';
import { hashToken, type AuthService } from './auth.service.js';

/**
 * Upload tokens: how the upload island of a page authenticates to the tus endpoint, which takes
 * bearer tokens only (the session cookie is never honoured by /api/*, so the API needs no CSRF
 * defence). A page for a signed-in user carries one, and the island renews it before it runs out
 * through a CSRF-protected page endpoint. The token names the page's session (by its hash) and an
 * expiry, under an HMAC of SECRET_KEY: it cannot be forged, it dies with the session (sign-out,
 * password change, deactivation) and after UPLOAD_TOKEN_SECONDS, and it is good for tus only.
 */
const UPLOAD_TOKEN_PREFIX = 'upload.';
const UPLOAD_TOKEN_SECONDS = 3600;

const mac = (key: string, sessionHash: string, expires: number) => sign(key, `tus-upload:${sessionHash}:${expires}`);

export function issueUploadToken(key: string, sessionToken: string, now = Date.now()): { token: string; expiresAt: string } {
  const expires = Math.floor(now / 1000) + UPLOAD_TOKEN_SECONDS;
  const sessionHash = hashToken(sessionToken);
  return { token: `${UPLOAD_TOKEN_PREFIX}${expires}.${sessionHash}.${mac(key, sessionHash, expires)}`, expiresAt: new Date(expires * 1000).toISOString() };
}

export function isUploadToken(token: string): boolean {
  return token.startsWith(UPLOAD_TOKEN_PREFIX);
}

/** The principal of a valid, unexpired upload token whose session is still live; else null. */
export async function authenticateUploadToken(auth: AuthService, key: string, token: string, now = Date.now()): Promise<Principal | null> {
  const [expiresText, sessionHash, signature] = token.slice(UPLOAD_TOKEN_PREFIX.length).split('.');
  const expires = Number(expiresText);
  if (!sessionHash || !signature || !Number.isInteger(expires) || expires * 1000 < now) return null;
  if (!signatureMatches(mac(key, sessionHash, expires), signature)) return null;
  return auth.authenticateSession(sessionHash);
}

import { sign, signatureMatches } from '../core/crypto.js';

/**
 * Short-lived signed links to a file's renditions, for players that cannot send a bearer token
 * (an HLS player fetches every segment by URL). The signature covers the file id and the expiry.
 */
export const SIGNED_URL_SECONDS = 6 * 3600;

const mac = (key: string, fileId: string, expires: number) => sign(key, `${fileId}:${expires}`);

export function signFile(key: string, fileId: string, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + SIGNED_URL_SECONDS;
  return `exp=${expires}&sig=${mac(key, fileId, expires)}`;
}

export function verifyFileSignature(key: string, fileId: string, query: { exp?: string; sig?: string }, now = Date.now()): boolean {
  const expires = Number(query.exp);
  if (!query.sig || !Number.isInteger(expires) || expires * 1000 < now) return false;
  return signatureMatches(mac(key, fileId, expires), query.sig);
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived signed links to a file's renditions, for players that cannot send a bearer token
 * (an HLS player fetches every segment by URL). The signature covers the file id and the expiry.
 */
export const SIGNED_URL_SECONDS = 6 * 3600;

function mac(key: string, fileId: string, expires: number): string {
  return createHmac('sha256', key).update(`${fileId}:${expires}`).digest('base64url');
}

export function signFile(key: string, fileId: string, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + SIGNED_URL_SECONDS;
  return `exp=${expires}&sig=${mac(key, fileId, expires)}`;
}

export function verifyFileSignature(key: string, fileId: string, query: { exp?: string; sig?: string }, now = Date.now()): boolean {
  const expires = Number(query.exp);
  if (!query.sig || !Number.isInteger(expires) || expires * 1000 < now) return false;
  const expected = Buffer.from(mac(key, fileId, expires));
  const given = Buffer.from(query.sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

import { sign, signatureMatches } from '../core/crypto.js';
import { isUuid } from '../http/types.js';

/**
 * The key to a package on the content origin, carried in the path (`/p/<token>/index.html`) so that
 * the package's relative links keep it without cookies. It names the file and the learner whose
 * attempt commits may store (none for the public), and expires in three to four hours: rounded to
 * the hour, so a page that embeds it stays the same (and cacheable) within the hour.
 */
export interface ContentGrant {
  fileId: string;
  userId: string | null;
  expires: number;
}

const HOUR = 3600;
const ANONYMOUS = '0';

const mac = (key: string, grant: ContentGrant) => sign(key, `content:${grant.fileId}:${grant.userId ?? ANONYMOUS}:${grant.expires}`);

export function issueContentToken(key: string, fileId: string, userId: string | null, now = Date.now()): string {
  const expires = (Math.floor(now / 1000 / HOUR) + 4) * HOUR;
  const grant = { fileId, userId, expires };
  return [fileId, userId ?? ANONYMOUS, expires, mac(key, grant)].join('.');
}

/** The grant a token carries, or null when it is malformed, forged or expired. */
export function verifyContentToken(key: string, token: string, now = Date.now()): ContentGrant | null {
  const [fileId, user, expiresText, signature, ...rest] = token.split('.');
  if (rest.length || !fileId || !user || !signature || !isUuid(fileId) || (user !== ANONYMOUS && !isUuid(user))) return null;
  const expires = Number(expiresText);
  if (!Number.isInteger(expires) || expires * 1000 < now) return null;
  const grant = { fileId, userId: user === ANONYMOUS ? null : user, expires };
  return signatureMatches(mac(key, grant), signature) ? grant : null;
}

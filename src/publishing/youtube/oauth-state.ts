import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The OAuth `state` parameter: which channel the consent is for, until when, signed with the
 * server's key. Google hands it back on the callback, which therefore needs no session and no
 * table, and a forged or stale state is refused (CSRF on the callback).
 */
const LIFETIME_MS = 15 * 60 * 1000;

const mac = (key: string, payload: string) => createHmac('sha256', key).update(`oauth-state:${payload}`).digest('base64url');

export function signOAuthState(key: string, channelId: string, now = Date.now()): string {
  const payload = `${channelId}.${now + LIFETIME_MS}.${randomBytes(9).toString('base64url')}`;
  return `${payload}.${mac(key, payload)}`;
}

/** The channel id of a valid, unexpired state; null otherwise. */
export function verifyOAuthState(key: string, state: string, now = Date.now()): string | null {
  const parts = state.split('.');
  if (parts.length !== 4) return null;
  const payload = parts.slice(0, 3).join('.');
  const expected = Buffer.from(mac(key, payload));
  const given = Buffer.from(parts[3]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return Number(parts[1]) > now ? parts[0]! : null;
}

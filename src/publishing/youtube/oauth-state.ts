import { randomBytes } from 'node:crypto';
import { sign, signatureMatches } from '../../core/crypto.js';

/**
 * The OAuth `state` parameter: which channel the consent is for, until when, and a nonce, signed
 * with the server's key. Google hands it back on the callback: a forged or stale state is refused
 * here, and the channel service accepts the nonce once (CSRF and replay on the callback).
 */
const LIFETIME_MS = 15 * 60 * 1000;

const mac = (key: string, payload: string) => sign(key, `oauth-state:${payload}`);

export function signOAuthState(key: string, channelId: string, now = Date.now()): { state: string; nonce: string } {
  const nonce = randomBytes(12).toString('base64url');
  const payload = `${channelId}.${now + LIFETIME_MS}.${nonce}`;
  return { state: `${payload}.${mac(key, payload)}`, nonce };
}

/** The channel id and nonce of a valid, unexpired state; null otherwise. */
export function verifyOAuthState(key: string, state: string, now = Date.now()): { channelId: string; nonce: string } | null {
  const parts = state.split('.');
  if (parts.length !== 4) return null;
  const payload = parts.slice(0, 3).join('.');
  if (!signatureMatches(mac(key, payload), parts[3]!)) return null;
  return Number(parts[1]) > now ? { channelId: parts[0]!, nonce: parts[2]! } : null;
}

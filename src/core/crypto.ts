import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of a message under the server's key, base64url: what signed links and states carry. */
export function sign(key: string, message: string): string {
  return createHmac('sha256', key).update(message).digest('base64url');
}

/** Whether a signature given by a client is the one expected, compared in constant time. */
export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Secrets kept in the database (OAuth client secrets, refresh tokens) are sealed with AES-256-GCM
 * under a key derived from SECRET_KEY, so a database dump alone reveals none of them. The
 * ciphertext names its scheme ("v1") so the key or algorithm can change later.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'hoclieu', 'secrets-at-rest/v1', 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Throws when the ciphertext was altered or sealed under another key. */
  open(sealed: string): string {
    const [scheme, iv, tag, body] = sealed.split('.');
    if (scheme !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

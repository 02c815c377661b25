import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.js';

/**
 * The key that signs short-lived URLs. SECRET_KEY in production (every API instance must share
 * it); on embedded defaults a random key kept in DATA_DIR/secret.key, readable by this user only.
 */
export async function resolveSecretKey(config: Pick<Config, 'secretKey' | 'dataDir'>): Promise<string> {
  if (config.secretKey) return config.secretKey;
  const file = path.join(config.dataDir, 'secret.key');
  const existing = await fs.readFile(file, 'utf8').catch(() => null);
  if (existing?.trim()) return existing.trim();
  await fs.mkdir(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  await fs.writeFile(file, key, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
  return (await fs.readFile(file, 'utf8')).trim();
}

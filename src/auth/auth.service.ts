import { createHash, randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db/client.js';
import { loginFailures, sessions } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import type { UserRepository } from '../users/user.repository.js';
import { hashPassword } from '../users/user.service.js';
import type { Principal } from './principal.js';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// Verifying against a real hash for unknown users keeps the timing of both answers alike.
const DUMMY_HASH = hashPassword('hoclieu-dummy-password');

/** Opaque bearer tokens: only their sha256 is stored, so a database leak yields no usable token. */
export class AuthService {
  constructor(private readonly db: Db, private readonly users: UserRepository, private readonly config: Pick<Config, 'sessionTtlHours' | 'login'>) {}

  async login(usernameInput: string, password: string): Promise<{ token: string; user: Principal }> {
    const username = usernameInput.toLowerCase();
    const { maxFailures, lockMinutes } = this.config.login;
    const since = sql`now() - make_interval(mins => ${lockMinutes})`;
    const [recent] = await this.db.db.select({ count: sql<number>`count(*)::int` }).from(loginFailures)
      .where(and(eq(loginFailures.username, username), gt(loginFailures.at, since)));
    if ((recent?.count ?? 0) >= maxFailures) throw new AppError('TOO_MANY_ATTEMPTS', { minutes: lockMinutes });

    const user = await this.users.findByUsername(username);
    const valid = await verify(user?.passwordHash ?? (await DUMMY_HASH), password);
    if (!user || !valid) {
      await this.db.db.insert(loginFailures).values({ username });
      throw new AppError('INVALID_CREDENTIALS');
    }
    await this.db.db.delete(loginFailures).where(eq(loginFailures.username, username));
    const token = randomBytes(32).toString('base64url');
    await this.db.db.insert(sessions).values({
      tokenHash: hashToken(token),
      userId: user.id,
      expiresAt: sql`now() + make_interval(hours => ${this.config.sessionTtlHours})`,
    });
    const principal = await this.users.principal(user.id);
    return { token, user: principal! };
  }

  /** The principal for a bearer token, or null when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<Principal | null> {
    const [session] = await this.db.db.select({ userId: sessions.userId }).from(sessions).where(and(
      eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`),
    ));
    return session ? this.users.principal(session.userId) : null;
  }

  async logout(token: string): Promise<void> {
    await this.db.db.update(sessions).set({ revokedAt: sql`now()` }).where(eq(sessions.tokenHash, hashToken(token)));
  }
}

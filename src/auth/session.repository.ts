import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { sessions } from '../core/db/schema.js';

/** Bearer sessions, by the sha256 of their token. */
export class SessionRepository {
  constructor(private readonly db: Database) {}

  async insert(tokenHash: string, userId: string, ttlHours: number): Promise<void> {
    await this.db.insert(sessions).values({ tokenHash, userId, expiresAt: sql`now() + make_interval(hours => ${ttlHours})` });
  }

  /**
   * The user of a session that is neither revoked nor past its absolute expiry and was used within
   * `idleHours`; `useToRecord` when its last recorded use is over a minute old.
   */
  async findLive(tokenHash: string, idleHours: number): Promise<{ userId: string; useToRecord: boolean } | null> {
    const [row] = await this.db.select({ userId: sessions.userId, useToRecord: sql<boolean>`${sessions.lastUsedAt} < now() - interval '1 minute'` })
      .from(sessions)
      .where(and(
        eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastUsedAt, sql`now() - make_interval(hours => ${idleHours})`),
      ));
    return row ?? null;
  }

  async recordUse(tokenHash: string): Promise<void> {
    await this.db.update(sessions).set({ lastUsedAt: sql`now()` }).where(eq(sessions.tokenHash, tokenHash));
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.db.update(sessions).set({ revokedAt: sql`now()` }).where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
  }

  /** Ends every session of the user, but the one `keepTokenHash` names. */
  async revokeAllOf(userId: string, db: Database = this.db, keepTokenHash?: string): Promise<void> {
    await db.update(sessions).set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keepTokenHash ? ne(sessions.tokenHash, keepTokenHash) : undefined));
  }
}

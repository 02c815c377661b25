import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { orgUnits, sessions, users } from '../core/db/schema.js';
import type { Principal } from './principal.js';

/** Bearer sessions, by the sha256 of their token. */
export class SessionRepository {
  constructor(private readonly db: Database) {}

  async insert(tokenHash: string, userId: string, ttlHours: number): Promise<void> {
    await this.db.insert(sessions).values({ tokenHash, userId, expiresAt: sql`now() + make_interval(hours => ${ttlHours})` });
  }

  /**
   * The signed-in user of a session that is neither revoked nor past its absolute expiry, was used
   * within `idleHours` and whose account is active, in one query (every authenticated request
   * runs it); `useToRecord` when its last recorded use is over a minute old.
   */
  async findLive(tokenHash: string, idleHours: number): Promise<{ principal: Principal; useToRecord: boolean } | null> {
    const [row] = await this.db
      .select({
        id: users.id, username: users.username, displayName: users.displayName, orgId: users.orgId, orgCode: orgUnits.code, roles: users.roles,
        useToRecord: sql<boolean>`${sessions.lastUsedAt} < now() - interval '1 minute'`,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .innerJoin(orgUnits, eq(orgUnits.id, users.orgId))
      .where(and(
        eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastUsedAt, sql`now() - make_interval(hours => ${idleHours})`), eq(users.active, true),
      ));
    if (!row) return null;
    const { useToRecord, ...principal } = row;
    return { principal, useToRecord };
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

import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { passwordResets, users } from '../core/db/schema.js';

/** One-time password links, by the sha256 of their token. */
export class PasswordResetRepository {
  constructor(private readonly db: Database) {}

  /** A new link for the user; the older ones still unused end with it. */
  async create(values: { tokenHash: string; userId: string; createdBy: string; hours: number }, db: Database): Promise<Date> {
    await db.update(passwordResets).set({ usedAt: sql`now()` }).where(and(eq(passwordResets.userId, values.userId), isNull(passwordResets.usedAt)));
    const [row] = await db.insert(passwordResets).values({
      tokenHash: values.tokenHash, userId: values.userId, createdBy: values.createdBy, expiresAt: sql`now() + make_interval(hours => ${values.hours})`,
    }).returning({ expiresAt: passwordResets.expiresAt });
    return row!.expiresAt;
  }

  /** The active account a live link is for. */
  async findLive(tokenHash: string): Promise<{ userId: string; username: string; displayName: string } | null> {
    const [row] = await this.db.select({ userId: users.id, username: users.username, displayName: users.displayName })
      .from(passwordResets).innerJoin(users, eq(users.id, passwordResets.userId))
      .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`), eq(users.active, true)));
    return row ?? null;
  }

  /** Uses the link up, in the statement that checks it is live: of two uses at once, one wins. */
  async consume(tokenHash: string, db: Database): Promise<string | null> {
    const [row] = await db.update(passwordResets).set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)))
      .returning({ userId: passwordResets.userId });
    return row?.userId ?? null;
  }
}

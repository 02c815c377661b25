import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { notifications, orgUnits, users } from '../core/db/schema.js';
import type { NotificationData, NotificationKind } from './model.js';

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotification = { userId: string; kind: NotificationKind; materialId?: string | null; data: NotificationData; dedupeKey?: string };
export interface EmailPreferences { email: string | null; emailEvents: NotificationKind[] }

export class NotificationRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the notifications (a repeated `dedupeKey` is skipped), with what their recipients want by e-mail. */
  async insert(rows: NewNotification[], db: Database): Promise<Array<{ id: string; kind: NotificationKind; email: string | null; emailEvents: NotificationKind[] }>> {
    if (rows.length === 0) return [];
    const inserted = await db.insert(notifications).values(rows).onConflictDoNothing({ target: notifications.dedupeKey })
      .returning({ id: notifications.id, userId: notifications.userId, kind: notifications.kind });
    if (inserted.length === 0) return [];
    const recipients = await db.select({ id: users.id, email: users.email, emailEvents: users.emailEvents }).from(users)
      .where(inArray(users.id, [...new Set(inserted.map((row) => row.userId))]));
    const byId = new Map(recipients.map((r) => [r.id, r]));
    return inserted.map((row) => ({ id: row.id, kind: row.kind, email: byId.get(row.userId)?.email ?? null, emailEvents: byId.get(row.userId)?.emailEvents ?? [] }));
  }

  /** The active reviewers of an org (its stage's queue), but `exceptUserId` (the material's owner), and the org's name. */
  async reviewersOf(orgId: string, exceptUserId: string, db: Database): Promise<{ orgName: string; userIds: string[] }> {
    const [org] = await db.select({ name: orgUnits.name }).from(orgUnits).where(eq(orgUnits.id, orgId));
    const rows = await db.select({ id: users.id }).from(users)
      .where(and(eq(users.orgId, orgId), eq(users.active, true), sql`'reviewer' = ANY(${users.roles})`, sql`${users.id} <> ${exceptUserId}`));
    return { orgName: org?.name ?? '', userIds: rows.map((r) => r.id) };
  }

  /** The version's title and the stage org's name, as a notification about a decision tells them. */
  async versionAndStage(materialId: string, version: number, orgId: string, db: Database): Promise<{ title: string; stage: string | null }> {
    const result = await db.execute<{ title: string; stage: string | null }>(sql`
      SELECT v.title, (SELECT name FROM org_units WHERE id = ${orgId}) AS stage
      FROM material_versions v WHERE v.material_id = ${materialId} AND v.version = ${version}`);
    return result.rows[0] ?? { title: '', stage: null };
  }

  /** Who uploaded this content to a material's working version: the people a failed job of it concerns. */
  async uploadersOf(sha256: string, db: Database): Promise<Array<{ ownerId: string; materialId: string; title: string; fileName: string }>> {
    const result = await db.execute<{ owner_id: string; material_id: string; title: string; name: string }>(sql`
      SELECT DISTINCT ON (m.id) m.owner_id, m.id AS material_id, v.title, f.name
      FROM version_files f
      JOIN material_versions v ON v.id = f.version_id
      JOIN materials m ON m.id = v.material_id AND m.version = v.version
      WHERE f.sha256 = ${sha256}
      ORDER BY m.id, f.created_at`);
    return result.rows.map((r) => ({ ownerId: r.owner_id, materialId: r.material_id, title: r.title, fileName: r.name }));
  }

  /** Claims running out within the window, with the claimer and the material's title. */
  async expiringClaims(withinMinutes: number, db: Database) {
    const result = await db.execute<{ id: string; claimed_by: string; claim_expires_at: Date; material_id: string; title: string }>(sql`
      SELECT t.id, t.claimed_by, t.claim_expires_at, t.material_id, v.title
      FROM review_tasks t
      JOIN material_versions v ON v.material_id = t.material_id AND v.version = t.version
      WHERE NOT t.done AND t.claimed_by IS NOT NULL
        AND t.claim_expires_at > now() AND t.claim_expires_at <= now() + make_interval(mins => ${withinMinutes})`);
    return result.rows.map((r) => ({ taskId: r.id, userId: r.claimed_by, expiresAt: new Date(r.claim_expires_at), materialId: r.material_id, title: r.title }));
  }

  async list(userId: string, page: { limit: number; offset: number; unreadOnly: boolean }) {
    const where = and(eq(notifications.userId, userId), page.unreadOnly ? isNull(notifications.readAt) : undefined);
    const [counts] = await this.db.select({
      total: sql<number>`count(*)::int`,
      unread: sql<number>`(count(*) FILTER (WHERE ${notifications.readAt} IS NULL))::int`,
    }).from(notifications).where(where);
    const items = await this.db.select().from(notifications).where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(page.limit).offset(page.offset);
    return { total: counts!.total, unread: counts!.unread, items };
  }

  /** The header's counter: one lookup in the partial index of unread notifications. */
  async unreadCount(userId: string): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
    return row!.n;
  }

  /** False when the user has no such notification. */
  async markRead(userId: string, id: string): Promise<boolean> {
    const rows = await this.db.update(notifications).set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
      .where(and(eq(notifications.id, id), eq(notifications.userId, userId))).returning({ id: notifications.id });
    return rows.length > 0;
  }

  async markAllRead(userId: string): Promise<number> {
    const rows = await this.db.update(notifications).set({ readAt: sql`now()` })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt))).returning({ id: notifications.id });
    return rows.length;
  }

  /** A notification to mail, with where to: only while its user is active, has an address and still wants that event. */
  async toEmail(id: string) {
    const [row] = await this.db.select({ notification: notifications, email: users.email, emailEvents: users.emailEvents, active: users.active })
      .from(notifications).innerJoin(users, eq(users.id, notifications.userId)).where(eq(notifications.id, id));
    return row ?? null;
  }

  async markEmailed(id: string): Promise<void> {
    await this.db.update(notifications).set({ emailedAt: sql`now()` }).where(eq(notifications.id, id));
  }

  async preferences(userId: string): Promise<EmailPreferences> {
    const [row] = await this.db.select({ email: users.email, emailEvents: users.emailEvents }).from(users).where(eq(users.id, userId));
    return row ?? { email: null, emailEvents: [] };
  }

  async setPreferences(userId: string, preferences: EmailPreferences): Promise<void> {
    await this.db.update(users).set(preferences).where(eq(users.id, userId));
  }
}

import { asc, eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { auditEvents, users } from '../core/db/schema.js';

export type AuditAction =
  | 'created' | 'updated' | 'file_added' | 'file_removed' | 'submitted' | 'claimed' | 'released' | 'decided'
  | 'published' | 'archived' | 'revised' | 'questions_imported' | 'org_created' | 'org_updated' | 'org_moved' | 'org_merged' | 'org_absorbed' | 'user_created'
  | 'user_updated' | 'user_deactivated' | 'user_reactivated' | 'password_changed' | 'login_refused'
  | 'password_reset_link_created' | 'password_reset' | 'users_imported'
  | 'youtube_channel_created' | 'youtube_channel_settings' | 'youtube_channel_deleted' | 'youtube_channel_authorized' | 'youtube_channel_revoked'
  | 'youtube_export_requested' | 'youtube_export_done' | 'youtube_export_failed'
  | 'broadcast_channel_created' | 'broadcast_slot_created' | 'broadcast_slot_status' | 'broadcast_slot_moved' | 'broadcast_slot_deleted';

/**
 * The actions that change a version's content: whoever did one of them on a version is one of its
 * authors and may not review it. A new action that changes a version belongs here.
 */
const VERSION_CHANGES: readonly AuditAction[] = ['created', 'updated', 'file_added', 'file_removed', 'questions_imported', 'revised'];

/** SQL condition: the trail shows `userId` changing that version (values, or columns of a query around it). */
export function versionChangedBy(materialId: string | SQLWrapper, version: number | SQLWrapper, userId: string): SQL<boolean> {
  return sql<boolean>`EXISTS (SELECT 1 FROM ${auditEvents} WHERE ${auditEvents.materialId} = ${materialId} AND ${auditEvents.version} = ${version}
    AND ${auditEvents.actorId} = ${userId} AND ${inArray(auditEvents.action, [...VERSION_CHANGES])})`;
}

export interface AuditEntry {
  actorId: string | null;
  action: AuditAction;
  materialId?: string;
  orgId?: string;
  version?: number;
  data?: Record<string, unknown>;
}

/** The append-only trail; the database itself refuses UPDATE and DELETE on it. */
export class AuditRepository {
  constructor(private readonly db: Database) {}

  async record(entry: AuditEntry, db: Database = this.db): Promise<void> {
    await db.insert(auditEvents).values({
      actorId: entry.actorId,
      action: entry.action,
      materialId: entry.materialId,
      orgId: entry.orgId,
      version: entry.version,
      data: entry.data ?? {},
    });
  }

  /** True when the user changed that version of the material (see VERSION_CHANGES). */
  async changedVersion(materialId: string, version: number, userId: string, db: Database = this.db): Promise<boolean> {
    const result = await db.execute<{ changed: boolean }>(sql`SELECT ${versionChangedBy(materialId, version, userId)} AS changed`);
    return result.rows[0]!.changed;
  }

  async forMaterial(materialId: string) {
    return this.db
      .select({
        id: auditEvents.id, at: auditEvents.at, action: auditEvents.action, version: auditEvents.version,
        data: auditEvents.data, actor: { id: users.id, username: users.username, displayName: users.displayName },
      })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorId))
      .where(eq(auditEvents.materialId, materialId))
      .orderBy(asc(auditEvents.id));
  }
}

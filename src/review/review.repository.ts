import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { versionChangedBy } from '../audit/audit.repository.js';
import type { Database } from '../core/db/client.js';
import { materials, materialVersions, orgUnits, reviewTasks, type ReviewStage } from '../core/db/schema.js';

export type ReviewTask = typeof reviewTasks.$inferSelect;
export type TaskStatus = 'open' | 'claimed' | 'done';

/** A claim whose lease has run out counts as open again: nothing sticks with an absent reviewer. */
const CLAIM_ACTIVE = sql`${reviewTasks.claimedBy} IS NOT NULL AND ${reviewTasks.claimExpiresAt} > now()`;

/** The task is free, or its claim is `userId`'s own. */
const heldByOrFree = (userId: string) => sql`(${reviewTasks.claimedBy} = ${userId} OR NOT (${CLAIM_ACTIVE}))`;

function statusFilter(status: TaskStatus): SQL {
  if (status === 'done') return sql`${reviewTasks.done}`;
  if (status === 'claimed') return sql`NOT ${reviewTasks.done} AND ${CLAIM_ACTIVE}`;
  return sql`NOT ${reviewTasks.done} AND NOT (${CLAIM_ACTIVE})`;
}

export class ReviewRepository {
  constructor(private readonly db: Database) {}

  async open(task: { materialId: string; version: number; stage: ReviewStage }, db: Database): Promise<void> {
    await db.insert(reviewTasks).values({ materialId: task.materialId, version: task.version, stageOrder: task.stage.order, orgId: task.stage.orgId });
  }

  async find(id: string, db: Database = this.db, options: { forUpdate?: boolean } = {}): Promise<ReviewTask | null> {
    const query = db.select().from(reviewTasks).where(eq(reviewTasks.id, id));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row ?? null;
  }

  /** A queue, each task saying whether `viewerId` owns its material or changed its version. */
  async list(filter: { orgId?: string; status: TaskStatus; viewerId: string }) {
    const owner = sql`(SELECT code FROM org_units WHERE id = ${materials.orgId})`;
    return this.db
      .select({
        task: reviewTasks,
        stageOrgCode: orgUnits.code,
        versionId: materialVersions.id,
        authoredByViewer: sql<boolean>`(${materials.ownerId} = ${filter.viewerId} OR ${versionChangedBy(reviewTasks.materialId, reviewTasks.version, filter.viewerId)})`,
        material: {
          title: materialVersions.title, type: materials.type, level: materialVersions.level,
          grades: materialVersions.grades, subject: materialVersions.subject, org: owner.mapWith(String),
        },
      })
      .from(reviewTasks)
      .innerJoin(orgUnits, eq(orgUnits.id, reviewTasks.orgId))
      .innerJoin(materials, eq(materials.id, reviewTasks.materialId))
      .innerJoin(materialVersions, and(eq(materialVersions.materialId, reviewTasks.materialId), eq(materialVersions.version, reviewTasks.version)))
      .where(and(filter.orgId ? eq(reviewTasks.orgId, filter.orgId) : undefined, statusFilter(filter.status)))
      .orderBy(asc(reviewTasks.createdAt), asc(reviewTasks.id))
      .limit(500);
  }

  /** True when the org has a task open on that version which `userId` holds or may take. */
  async isOpenTo(task: { materialId: string; version: number; orgId: string }, userId: string): Promise<boolean> {
    const [row] = await this.db.select({ id: reviewTasks.id }).from(reviewTasks)
      .where(and(
        eq(reviewTasks.materialId, task.materialId), eq(reviewTasks.version, task.version), eq(reviewTasks.orgId, task.orgId),
        sql`NOT ${reviewTasks.done}`, heldByOrFree(userId),
      ))
      .limit(1);
    return !!row;
  }

  /** Atomically takes (or renews) the claim; null when someone else holds it or the task is done. */
  async claim(id: string, userId: string, leaseMinutes: number): Promise<ReviewTask | null> {
    const [row] = await this.db.update(reviewTasks)
      .set({ claimedBy: userId, claimExpiresAt: sql`now() + make_interval(mins => ${leaseMinutes})` })
      .where(and(eq(reviewTasks.id, id), sql`NOT ${reviewTasks.done}`, heldByOrFree(userId)))
      .returning();
    return row ?? null;
  }

  /** A deactivated reviewer's open tasks go back to the queue; returns how many. */
  async releaseClaimsOf(userId: string, db: Database = this.db): Promise<number> {
    const rows = await db.update(reviewTasks).set({ claimedBy: null, claimExpiresAt: null })
      .where(and(eq(reviewTasks.claimedBy, userId), sql`NOT ${reviewTasks.done}`))
      .returning({ id: reviewTasks.id });
    return rows.length;
  }

  async decide(id: string, decision: NonNullable<ReviewTask['decision']>, comment: string | null, userId: string, db: Database): Promise<void> {
    await db.update(reviewTasks)
      .set({ done: true, decision, comment, decidedBy: userId, decidedAt: sql`now()` })
      .where(eq(reviewTasks.id, id));
  }

  async withdrawOpen(materialId: string, db: Database): Promise<void> {
    await db.update(reviewTasks)
      .set({ done: true, decision: 'withdrawn', decidedAt: sql`now()` })
      .where(and(eq(reviewTasks.materialId, materialId), sql`NOT ${reviewTasks.done}`));
  }
}

export function taskStatus(task: ReviewTask, now = new Date()): TaskStatus {
  if (task.done) return 'done';
  return task.claimedBy && task.claimExpiresAt && task.claimExpiresAt > now ? 'claimed' : 'open';
}

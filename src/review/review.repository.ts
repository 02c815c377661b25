import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { versionChangedBy } from '../audit/audit.repository.js';
import type { Database } from '../core/db/client.js';
import { materials, materialVersions, orgUnits, reviewRounds, reviewTasks, users, type ReviewStage, type SubmissionSnapshot } from '../core/db/schema.js';

export type ReviewTask = typeof reviewTasks.$inferSelect;
export type ReviewRound = typeof reviewRounds.$inferSelect;
export type TaskStatus = 'open' | 'claimed' | 'done';

/** The queue's filters: classification, type, and how long a task has waited at least. */
export interface QueueFilter { level?: string; grade?: number; subject?: string; type?: string; waitingDays?: number }

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

  async open(task: { materialId: string; version: number; roundId: string | null; stage: ReviewStage }, db: Database): Promise<void> {
    await db.insert(reviewTasks).values({ materialId: task.materialId, version: task.version, roundId: task.roundId, stageOrder: task.stage.order, orgId: task.stage.orgId });
  }

  /** Records a submission with what the version holds at that moment; its id, for the tasks of the round. */
  async openRound(round: { materialId: string; version: number; versionId: string; submittedBy: string; note: string | null }, db: Database): Promise<string> {
    const [row] = await db.insert(reviewRounds)
      .values({ materialId: round.materialId, version: round.version, submittedBy: round.submittedBy, note: round.note, snapshot: await this.snapshot(round.versionId, db) })
      .returning({ id: reviewRounds.id });
    return row!.id;
  }

  /**
   * What a version holds, as rounds are compared: its metadata, its files (name, bytes) and its
   * questions, each by a key (name, else position) with a digest of everything a reviewer judges.
   */
  async snapshot(versionId: string, db: Database = this.db): Promise<SubmissionSnapshot> {
    const result = await db.execute<SubmissionSnapshot>(sql`
      SELECT
        (SELECT jsonb_build_object('title', title, 'description', description, 'level', level, 'grades', grades, 'subject', subject,
           'series', series, 'topic', topic, 'license', license, 'language', language) FROM material_versions WHERE id = ${versionId}) AS fields,
        (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'sha256', sha256, 'size', size) ORDER BY created_at, id), '[]'::jsonb)
           FROM version_files WHERE version_id = ${versionId}) AS files,
        (SELECT coalesce(jsonb_agg(jsonb_build_object(
           'key', coalesce(name, '#' || position),
           'digest', md5(jsonb_build_array(type, stem, options, parts, scoring, points_thousandths, general_feedback, shuffle, case_sensitive,
              cognitive_level, topic, tags, assets)::text),
           'label', coalesce(name, 'Câu ' || position || ': ' || left(btrim(regexp_replace(stem, '<[^>]*>', ' ', 'g')), 80))
         ) ORDER BY position), '[]'::jsonb) FROM questions WHERE version_id = ${versionId}) AS questions`);
    return result.rows[0]!;
  }

  /** A material's rounds, oldest first, each with its tasks (stage, org, decision) in stage order. */
  async rounds(materialId: string) {
    const rounds = await this.db.select({ round: reviewRounds, submitter: users.displayName }).from(reviewRounds)
      .innerJoin(users, eq(users.id, reviewRounds.submittedBy))
      .where(eq(reviewRounds.materialId, materialId)).orderBy(asc(reviewRounds.submittedAt), asc(reviewRounds.id));
    const tasks = rounds.length === 0 ? [] : await this.db
      .select({ task: reviewTasks, org: { code: orgUnits.code, name: orgUnits.name, kind: orgUnits.kind }, decider: users.displayName })
      .from(reviewTasks)
      .innerJoin(orgUnits, eq(orgUnits.id, reviewTasks.orgId))
      .leftJoin(users, eq(users.id, reviewTasks.decidedBy))
      .where(inArray(reviewTasks.roundId, rounds.map((r) => r.round.id)))
      .orderBy(asc(reviewTasks.stageOrder), asc(reviewTasks.createdAt));
    return rounds.map(({ round, submitter }) => ({ round, submitter, tasks: tasks.filter((t) => t.task.roundId === round.id) }));
  }

  async find(id: string, db: Database = this.db, options: { forUpdate?: boolean } = {}): Promise<ReviewTask | null> {
    const query = db.select().from(reviewTasks).where(eq(reviewTasks.id, id));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row ?? null;
  }

  /** A queue, each task saying whether `viewerId` owns its material or changed its version. */
  async list(filter: { orgId?: string; status: TaskStatus; viewerId: string } & QueueFilter) {
    const owner = sql`(SELECT code FROM org_units WHERE id = ${materials.orgId})`;
    const province = sql<string | null>`(WITH RECURSIVE up AS (
        SELECT id, parent_id, kind, name FROM org_units WHERE id = ${materials.orgId}
        UNION ALL SELECT o.id, o.parent_id, o.kind, o.name FROM org_units o JOIN up ON o.id = up.parent_id)
      SELECT name FROM up WHERE kind = 'province' LIMIT 1)`;
    return this.db
      .select({
        task: reviewTasks,
        stageOrgCode: orgUnits.code,
        versionId: materialVersions.id,
        claimedByName: sql<string | null>`(SELECT display_name FROM users WHERE id = ${reviewTasks.claimedBy})`,
        authoredByViewer: sql<boolean>`(${materials.ownerId} = ${filter.viewerId} OR ${versionChangedBy(reviewTasks.materialId, reviewTasks.version, filter.viewerId)})`,
        material: {
          title: materialVersions.title, type: materials.type, level: materialVersions.level,
          grades: materialVersions.grades, subject: materialVersions.subject, org: owner.mapWith(String),
          orgName: sql<string>`(SELECT name FROM org_units WHERE id = ${materials.orgId})`, province,
        },
      })
      .from(reviewTasks)
      .innerJoin(orgUnits, eq(orgUnits.id, reviewTasks.orgId))
      .innerJoin(materials, eq(materials.id, reviewTasks.materialId))
      .innerJoin(materialVersions, and(eq(materialVersions.materialId, reviewTasks.materialId), eq(materialVersions.version, reviewTasks.version)))
      .where(and(
        filter.orgId ? eq(reviewTasks.orgId, filter.orgId) : undefined, statusFilter(filter.status),
        filter.level ? eq(materialVersions.level, filter.level) : undefined,
        filter.grade ? sql`${filter.grade}::int = ANY(${materialVersions.grades})` : undefined,
        filter.subject ? eq(materialVersions.subject, filter.subject) : undefined,
        filter.type ? eq(materials.type, filter.type) : undefined,
        filter.waitingDays ? sql`${reviewTasks.createdAt} <= now() - make_interval(days => ${filter.waitingDays}::int)` : undefined,
      ))
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

  /**
   * Atomically takes (or renews) the claim; null when someone else holds it or the task is done. A
   * renewal keeps the claim's start, which stale pages are told apart by (to the millisecond, as
   * JavaScript dates carry it).
   */
  async claim(id: string, userId: string, leaseMinutes: number): Promise<ReviewTask | null> {
    const [row] = await this.db.update(reviewTasks)
      .set({
        claimedBy: userId, claimExpiresAt: sql`now() + make_interval(mins => ${leaseMinutes})`,
        claimedAt: sql`CASE WHEN ${reviewTasks.claimedBy} = ${userId} AND ${CLAIM_ACTIVE} THEN ${reviewTasks.claimedAt} ELSE date_trunc('milliseconds', now()) END`,
      })
      .where(and(eq(reviewTasks.id, id), sql`NOT ${reviewTasks.done}`, heldByOrFree(userId)))
      .returning();
    return row ?? null;
  }

  async holderName(userId: string): Promise<string | null> {
    const [row] = await this.db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
    return row?.name ?? null;
  }

  /** Gives a claim back to the queue; null unless `userId` holds it. */
  async release(id: string, userId: string): Promise<ReviewTask | null> {
    const [row] = await this.db.update(reviewTasks).set({ claimedBy: null, claimedAt: null, claimExpiresAt: null })
      .where(and(eq(reviewTasks.id, id), sql`NOT ${reviewTasks.done}`, eq(reviewTasks.claimedBy, userId), CLAIM_ACTIVE))
      .returning();
    return row ?? null;
  }

  /** A deactivated reviewer's open tasks go back to the queue; returns how many. */
  async releaseClaimsOf(userId: string, db: Database = this.db): Promise<number> {
    const rows = await db.update(reviewTasks).set({ claimedBy: null, claimedAt: null, claimExpiresAt: null })
      .where(and(eq(reviewTasks.claimedBy, userId), sql`NOT ${reviewTasks.done}`))
      .returning({ id: reviewTasks.id });
    return rows.length;
  }

  async decide(id: string, outcome: { decision: NonNullable<ReviewTask['decision']>; comment: string | null; reasons: string[]; internalNote: string | null }, userId: string, db: Database): Promise<void> {
    await db.update(reviewTasks)
      .set({ done: true, ...outcome, decidedBy: userId, decidedAt: sql`now()` })
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

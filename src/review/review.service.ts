import type { AuditRepository } from '../audit/audit.repository.js';
import { requireRole, type Principal } from '../auth/principal.js';
import type { Db, Tx } from '../core/db/client.js';
import { AppError } from '../core/errors.js';
import type { Material, MaterialRepository } from '../materials/material.repository.js';
import type { MaterialService } from '../materials/material.service.js';
import type { QcService } from '../media/qc.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { OrgRepository } from '../orgs/org.repository.js';
import { diffSnapshots } from './changes.js';
import { checkDecision } from './reasons.js';
import { taskStatus, type QueueFilter, type ReviewRepository, type ReviewTask, type TaskStatus } from './review.repository.js';

export type Decision = 'approve' | 'request_changes' | 'reject';

export interface DecisionInput {
  decision: Decision;
  /** For the teacher; required with a request for changes or a rejection. */
  comment: string | null;
  /** Codes of the checklist (src/review/reasons.json); at least one with a request for changes or a rejection. */
  reasons: string[];
  /** For the reviewers of the later stages and rounds; the teacher never sees it. */
  internalNote: string | null;
  /** The start of the claim the decision was made under (the page's form carries it): a newer claim refuses it. */
  claimedAt?: string;
}

export class ReviewService {
  constructor(
    private readonly db: Db,
    private readonly reviews: ReviewRepository,
    private readonly materials: MaterialRepository,
    private readonly materialService: MaterialService,
    private readonly audit: AuditRepository,
    private readonly qc: QcService,
    private readonly orgs: OrgRepository,
    private readonly leaseMinutes: number,
    private readonly notifications: NotificationService,
  ) {}

  async list(principal: Principal | null, status: TaskStatus, filter: QueueFilter = {}) {
    const actor = requireRole(principal, 'reviewer');
    // Admins oversee every queue; a reviewer sees the stages of their own org.
    const rows = await this.reviews.list({ ...filter, orgId: actor.roles.includes('admin') ? undefined : actor.orgId, status, viewerId: actor.id });
    const qc = new Map(await Promise.all(rows.filter((r) => r.material.type === 'tv-lesson').map(async (r) => [r.task.id, await this.qcSummary(r.versionId)] as const)));
    return {
      items: rows.map(({ task, stageOrgCode, material, authoredByViewer, claimedByName }) => {
        const status = taskStatus(task);
        const free = status === 'open' || (status === 'claimed' && task.claimedBy === actor.id);
        return {
          id: task.id,
          materialId: task.materialId,
          version: task.version,
          stage: { orgCode: stageOrgCode, order: task.stageOrder },
          status,
          claimedBy: status === 'claimed' ? task.claimedBy : null,
          claimedByName: status === 'claimed' ? claimedByName : null,
          claimExpiresAt: status === 'claimed' ? task.claimExpiresAt : null,
          decision: task.decision,
          // Whether the caller may claim it now: nobody else holds it and it is not of their own making.
          claimable: free && !authoredByViewer,
          createdAt: task.createdAt,
          material: qc.has(task.id) ? { ...material, qc: qc.get(task.id) } : material,
        };
      }),
    };
  }

  /** For a TV lesson in the queue: the worst result of its files' technical checks and what failed. */
  private async qcSummary(versionId: string) {
    const files = await this.materials.files(versionId);
    const views = [...(await this.qc.views(files.map((f) => f.sha256))).values()];
    if (views.length === 0 || views.some((v) => v.state === 'queued' || v.state === 'running')) return { state: 'pending' as const };
    if (views.some((v) => v.state === 'failed')) return { state: 'failed' as const };
    const checks = views.flatMap((v) => (v.state === 'ready' ? v.report.checks : []));
    const status = checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'warn') ? 'warn' : 'pass';
    return { state: 'ready' as const, status, failed: checks.filter((c) => c.status === 'fail').map((c) => c.check), warnings: checks.filter((c) => c.status === 'warn').map((c) => c.check) };
  }

  /**
   * The task, if the caller reviews for its stage's org and is none of the version's authors: not
   * its owner, nor anyone the trail shows changing it (else 403, or 404 for an unknown id).
   */
  /**
   * The task and its material, when the caller may act on them: a reviewer of the task's org (or an
   * admin) who neither owns the material nor changed the version under review. Inside a transaction
   * (`tx`), the rows are read for update: a decision checks and changes the same rows.
   */
  private async reviewable(principal: Principal | null, id: string, tx?: Tx): Promise<{ actor: Principal; task: ReviewTask; material: Material }> {
    const actor = requireRole(principal, 'reviewer');
    const locking = { forUpdate: tx !== undefined };
    const task = await this.reviews.find(id, tx?.db, locking);
    if (!task) throw AppError.notFound('task');
    if (!actor.roles.includes('admin') && task.orgId !== actor.orgId) throw new AppError('FORBIDDEN');
    const material = (await this.materials.find(task.materialId, tx?.db, locking))!;
    if (material.ownerId === actor.id) throw new AppError('OWN_MATERIAL');
    if (await this.audit.changedVersion(task.materialId, task.version, actor.id, tx?.db)) throw new AppError('OWN_CHANGES');
    return { actor, task, material };
  }

  async claim(principal: Principal | null, id: string) {
    const { actor, task } = await this.reviewable(principal, id);
    if (task.done) throw new AppError('TASK_CLOSED');
    const claimed = await this.reviews.claim(id, actor.id, this.leaseMinutes);
    if (!claimed) {
      const current = await this.reviews.find(id);
      throw new AppError(current?.done ? 'TASK_CLOSED' : 'TASK_CLAIMED');
    }
    await this.audit.record({ actorId: actor.id, action: 'claimed', materialId: task.materialId, version: task.version, data: { stage: task.stageOrder } });
    return { id: claimed.id, status: 'claimed' as const, claimedBy: claimed.claimedBy, claimedAt: claimed.claimedAt, claimExpiresAt: claimed.claimExpiresAt };
  }

  /** The holder gives the task back to the queue before the lease runs out. */
  async release(principal: Principal | null, id: string) {
    const { actor, task } = await this.reviewable(principal, id);
    if (task.done) throw new AppError('TASK_CLOSED');
    const released = await this.reviews.release(id, actor.id);
    if (!released) throw new AppError(taskStatus(task) === 'claimed' && task.claimedBy !== actor.id ? 'TASK_CLAIMED' : 'TASK_NOT_CLAIMED');
    await this.audit.record({ actorId: actor.id, action: 'released', materialId: task.materialId, version: task.version, data: { stage: task.stageOrder } });
    return { id: released.id, status: 'open' as const };
  }

  async decide(principal: Principal | null, id: string, input: DecisionInput) {
    const { decision, comment, internalNote } = input;
    return this.db.transaction(async (tx) => {
      const { actor, task, material } = await this.reviewable(principal, id, tx);
      const reasons = checkDecision(input.decision, input.reasons, input.comment);
      if (task.done) throw new AppError('TASK_CLOSED');
      const status = taskStatus(task);
      if (status === 'open') throw new AppError('TASK_NOT_CLAIMED');
      if (task.claimedBy !== actor.id) throw new AppError('TASK_CLAIMED');
      if (input.claimedAt !== undefined && task.claimedAt?.toISOString() !== new Date(input.claimedAt).toISOString()) throw new AppError('TASK_CLAIM_CHANGED');
      await this.reviews.decide(id, { decision, comment, reasons, internalNote }, actor.id, tx.db);
      // The trail is the teacher's to read (GET …/history): the internal note stays out of it.
      await this.audit.record({ actorId: actor.id, action: 'decided', materialId: material.id, version: task.version, data: { stage: task.stageOrder, decision, comment, reasons } }, tx.db);

      let materialStatus = material.status;
      if (decision === 'approve') {
        const version = (await this.materials.version(material.id, task.version, tx.db))!;
        const next = version.stages?.find((stage) => stage.order === task.stageOrder + 1);
        if (next) {
          await this.reviews.open({ materialId: material.id, version: task.version, roundId: task.roundId, stage: next }, tx.db);
          await this.notifications.taskQueued(tx, { orgId: next.orgId, materialId: material.id, ownerId: material.ownerId, title: version.title });
        } else {
          await this.materialService.publish(tx, material, actor.id);
          materialStatus = 'published';
        }
      } else {
        materialStatus = decision === 'reject' ? 'rejected' : 'changes_requested';
        await this.materials.update(material.id, { status: materialStatus }, tx.db);
      }
      const told = materialStatus === 'published' ? 'published' : decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'changes_requested';
      await this.notifications.decided(tx, { kind: told, ownerId: material.ownerId, materialId: material.id, version: task.version, stageOrgId: task.orgId, comment });
      return { id: task.id, status: 'done' as const, decision, materialStatus };
    });
  }

  /**
   * The review screen's content: the task, where the material comes from, every round with its
   * decisions (internal notes included: this is for reviewers only), and what changed since the last
   * round and since the published version. The working version itself (files, questions) is read
   * through the material service, which shows it only while the task is open to the caller.
   */
  async detail(principal: Principal | null, id: string) {
    const { actor, task } = await this.reviewable(principal, id);
    const material = (await this.materials.find(task.materialId))!;
    const [version, stageOrg, chain, rounds] = await Promise.all([
      this.materials.version(material.id, task.version), this.orgs.findById(task.orgId), this.orgs.ancestors(material.orgId), this.reviews.rounds(material.id),
    ]);
    const status = taskStatus(task);
    const holder = status === 'claimed' ? await this.reviews.holderName(task.claimedBy!) : null;
    const current = rounds.findIndex((r) => r.round.id === task.roundId);
    const snapshot = current >= 0 ? rounds[current]!.round.snapshot : null;
    const previous = current > 0 ? rounds[current - 1]!.round.snapshot : null;
    const published = material.publishedVersion !== null && material.publishedVersion !== task.version
      ? await this.materials.version(material.id, material.publishedVersion) : null;
    const place = (org: { code: string; name: string } | undefined) => (org ? { code: org.code, name: org.name } : null);
    return {
      id: task.id,
      materialId: material.id,
      type: material.type,
      title: version!.title,
      version: task.version,
      publishedVersion: material.publishedVersion,
      status,
      stage: { order: task.stageOrder, org: { code: stageOrg!.code, name: stageOrg!.name, kind: stageOrg!.kind } },
      claimedBy: holder ? { id: task.claimedBy!, displayName: holder } : null,
      claimedAt: status === 'claimed' ? task.claimedAt : null,
      claimExpiresAt: status === 'claimed' ? task.claimExpiresAt : null,
      heldByMe: status === 'claimed' && task.claimedBy === actor.id,
      // What the caller may read of the working version: while the task is theirs or free.
      canSeeContent: status === 'open' || (status === 'claimed' && task.claimedBy === actor.id),
      decision: task.decision,
      createdAt: task.createdAt,
      origin: { school: place(chain[0]), province: place(chain.find((org) => org.kind === 'province')) },
      rounds: rounds.map(({ round, submitter, tasks }, index) => ({
        id: round.id, number: index + 1, version: round.version, submittedAt: round.submittedAt, submittedBy: submitter, note: round.note,
        current: round.id === task.roundId,
        decisions: tasks.map(({ task: t, org, decider }) => ({
          taskId: t.id, stage: t.stageOrder, org, decision: t.decision, comment: t.comment, reasons: t.reasons, internalNote: t.internalNote,
          decidedBy: decider, decidedAt: t.decidedAt,
        })),
      })),
      changes: {
        sinceLastRound: snapshot && previous ? diffSnapshots(previous, snapshot) : null,
        sincePublished: snapshot && published ? { version: published.version, ...diffSnapshots(await this.reviews.snapshot(published.id), snapshot) } : null,
      },
    };
  }
}

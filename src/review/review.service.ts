import type { AuditRepository } from '../audit/audit.repository.js';
import { requireRole, type Principal } from '../auth/principal.js';
import type { Db } from '../core/db/client.js';
import { AppError } from '../core/errors.js';
import type { MaterialRepository } from '../materials/material.repository.js';
import type { MaterialService } from '../materials/material.service.js';
import type { QcService } from '../media/qc.service.js';
import { taskStatus, type ReviewRepository, type ReviewTask, type TaskStatus } from './review.repository.js';

export type Decision = 'approve' | 'request_changes' | 'reject';

export class ReviewService {
  constructor(
    private readonly db: Db,
    private readonly reviews: ReviewRepository,
    private readonly materials: MaterialRepository,
    private readonly materialService: MaterialService,
    private readonly audit: AuditRepository,
    private readonly qc: QcService,
    private readonly leaseMinutes: number,
  ) {}

  async list(principal: Principal | null, status: TaskStatus) {
    const actor = requireRole(principal, 'reviewer');
    // Admins oversee every queue; a reviewer sees the stages of their own org.
    const rows = await this.reviews.list({ orgId: actor.roles.includes('admin') ? undefined : actor.orgId, status, viewerId: actor.id });
    const qc = new Map(await Promise.all(rows.filter((r) => r.material.type === 'tv-lesson').map(async (r) => [r.task.id, await this.qcSummary(r.versionId)] as const)));
    return {
      items: rows.map(({ task, stageOrgCode, material, authoredByViewer }) => {
        const status = taskStatus(task);
        const free = status === 'open' || (status === 'claimed' && task.claimedBy === actor.id);
        return {
          id: task.id,
          materialId: task.materialId,
          version: task.version,
          stage: { orgCode: stageOrgCode, order: task.stageOrder },
          status,
          claimedBy: status === 'claimed' ? task.claimedBy : null,
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
  private async reviewable(principal: Principal | null, id: string): Promise<{ actor: Principal; task: ReviewTask }> {
    const actor = requireRole(principal, 'reviewer');
    const task = await this.reviews.find(id);
    if (!task) throw AppError.notFound('task');
    if (!actor.roles.includes('admin') && task.orgId !== actor.orgId) throw new AppError('FORBIDDEN');
    const material = await this.materials.find(task.materialId);
    if (material!.ownerId === actor.id) throw new AppError('OWN_MATERIAL');
    if (await this.audit.changedVersion(task.materialId, task.version, actor.id)) throw new AppError('OWN_CHANGES');
    return { actor, task };
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
    return { id: claimed.id, status: 'claimed' as const, claimedBy: claimed.claimedBy, claimExpiresAt: claimed.claimExpiresAt };
  }

  async decide(principal: Principal | null, id: string, decision: Decision, comment: string | null) {
    const { actor } = await this.reviewable(principal, id);
    return this.db.transaction(async (tx) => {
      const task = (await this.reviews.find(id, tx.db, { forUpdate: true }))!;
      if (task.done) throw new AppError('TASK_CLOSED');
      const status = taskStatus(task);
      if (status === 'open') throw new AppError('TASK_NOT_CLAIMED');
      if (task.claimedBy !== actor.id) throw new AppError('TASK_CLAIMED');
      const material = (await this.materials.find(task.materialId, tx.db, { forUpdate: true }))!;
      await this.reviews.decide(id, decision, comment, actor.id, tx.db);
      await this.audit.record({ actorId: actor.id, action: 'decided', materialId: material.id, version: task.version, data: { stage: task.stageOrder, decision, comment } }, tx.db);

      let materialStatus = material.status;
      if (decision === 'approve') {
        const version = (await this.materials.version(material.id, task.version, tx.db))!;
        const next = version.stages?.find((stage) => stage.order === task.stageOrder + 1);
        if (next) {
          await this.reviews.open({ materialId: material.id, version: task.version, stage: next }, tx.db);
        } else {
          await this.materialService.publish(tx, material, actor.id);
          materialStatus = 'published';
        }
      } else {
        materialStatus = decision === 'reject' ? 'rejected' : 'changes_requested';
        await this.materials.update(material.id, { status: materialStatus }, tx.db);
      }
      return { id: task.id, status: 'done' as const, decision, materialStatus };
    });
  }
}

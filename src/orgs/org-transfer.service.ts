import type { AuditRepository } from '../audit/audit.repository.js';
import { requirePrincipal, type Principal } from '../auth/principal.js';
import type { Database, Db, Tx } from '../core/db/client.js';
import { AppError } from '../core/errors.js';
import type { Queue } from '../core/queue/queue.js';
import { IndexMaterialJob } from '../search/jobs/index-material.job.js';
import type { OrgRepository, OrgUnit } from './org.repository.js';
import { requireMinistryParent, type OrgService } from './org.service.js';
import type { OrgTransferRepository } from './org-transfer.repository.js';

export type TransferMode = 'move' | 'merge';

interface Checked { actor: Principal; org: OrgUnit; target: OrgUnit }

/**
 * Moving a subtree under another parent, and merging an org into another of its kind (a province
 * merger: A's schools go under B, A's accounts, materials, channels and open review tasks become
 * B's, and A is closed with its history kept). Both are previewed with the same checks and the
 * same counting as they are carried out.
 */
export class OrgTransferService {
  constructor(
    private readonly db: Db,
    private readonly orgs: OrgRepository,
    private readonly transfers: OrgTransferRepository,
    private readonly orgService: OrgService,
    private readonly audit: AuditRepository,
    private readonly queue: Queue,
  ) {}

  /**
   * The rules of both, checked on the rows as they are (inside the transaction, after locking them,
   * when carrying out): an admin moves anything but the ministry; an org-admin moves and merges orgs
   * strictly inside their subtree, to targets inside it. A department stays directly under the ministry.
   */
  private async check(principal: Principal | null, code: string, targetCode: string, mode: TransferMode, db?: Database): Promise<Checked> {
    const actor = requirePrincipal(principal);
    const org = await this.orgs.findByCode(code, db);
    if (!org) throw AppError.notFound('org');
    const target = await this.orgs.findByCode(targetCode, db);
    if (!target) throw new AppError('UNKNOWN_ORG', { code: targetCode });
    if (!(await this.orgService.canManage(actor, org)) || !(await this.orgService.canAdminister(actor, target.id))) throw new AppError('FORBIDDEN');
    if (org.closedAt) throw new AppError('ORG_CLOSED', { code: org.code });
    if (target.closedAt) throw new AppError('ORG_CLOSED', { code: target.code });
    if (org.kind === 'ministry') throw new AppError(mode === 'move' ? 'INVALID_ORG_PARENT' : 'INVALID_ORG_MERGE', { reason: mode === 'move' ? 'không thể chuyển Bộ' : 'không thể sáp nhập Bộ' });
    if (await this.orgs.isWithin(target.id, org.id, db)) {
      if (mode === 'move') throw new AppError('INVALID_ORG_PARENT', { reason: 'không thể chuyển một đơn vị vào chính cây con của nó' });
      throw new AppError('INVALID_ORG_MERGE', { reason: 'không thể sáp nhập một đơn vị vào chính nó hay vào đơn vị cấp dưới của nó' });
    }
    if (mode === 'move' && org.kind === 'department') requireMinistryParent(target);
    if (mode === 'merge') {
      if (target.kind !== org.kind) throw new AppError('INVALID_ORG_MERGE', { reason: 'chỉ sáp nhập được hai đơn vị cùng cấp (Sở với Sở, trường với trường…)' });
      if (await this.orgs.isWithin(org.id, target.id, db)) throw new AppError('INVALID_ORG_MERGE', { reason: 'không sáp nhập được vào đơn vị cấp trên của mình' });
    }
    return { actor, org, target };
  }

  /** What the move or merge would carry, counted exactly as it would be carried out. */
  async preview(principal: Principal | null, code: string, targetCode: string, mode: TransferMode) {
    const { org, target } = await this.check(principal, code, targetCode, mode);
    const subtree = await this.orgs.subtreeIds(org.id);
    const contents = await this.transfers.contents(subtree);
    // A merged org does not move itself: it closes, and what it held is re-homed to the target.
    const orgs = mode === 'merge' ? contents.orgs.filter((o) => o.code !== org.code) : contents.orgs;
    return {
      mode,
      org: await this.orgService.present(org),
      target: await this.orgService.present(target),
      orgs: { total: orgs.length, schools: orgs.filter((o) => o.kind === 'school').length, items: orgs },
      users: contents.users,
      materials: contents.materials,
      openReviewTasks: contents.openReviewTasks,
      openReviewTasksElsewhere: contents.openReviewTasksElsewhere,
      rehomedAccounts: mode === 'merge' ? await this.transfers.accountsOf(org.id) : [],
      closes: mode === 'merge',
    };
  }

  /**
   * Moves a subtree under another parent. Materials, versions, review tasks and audit events point
   * at org ids, so they all follow unchanged; tasks already open along the old chain stay there.
   */
  async move(principal: Principal | null, code: string, parentCode: string) {
    return this.db.transaction(async (tx) => {
      const { actor, org, target } = await this.lockAndCheck(principal, code, parentCode, 'move', tx.db);
      const published = await this.transfers.publishedIn(await this.orgs.subtreeIds(org.id, tx.db), tx.db);
      await this.orgs.setParent(org.id, target.id, tx.db);
      await this.reindex(tx, published);
      await this.audit.record({ actorId: actor.id, action: 'org_moved', orgId: org.id, data: { fromParentId: org.parentId, toParentCode: target.code } }, tx.db);
      return this.orgService.present({ ...org, parentId: target.id });
    });
  }

  /** Merges `code` into `intoCode` in one transaction: all of it, or nothing. */
  async merge(principal: Principal | null, code: string, intoCode: string) {
    return this.db.transaction(async (tx) => {
      const { actor, org, target } = await this.lockAndCheck(principal, code, intoCode, 'merge', tx.db);
      const published = await this.transfers.publishedIn(await this.orgs.subtreeIds(org.id, tx.db), tx.db);
      const moved = await this.transfers.transferAll(org.id, target, tx.db);
      await this.transfers.close(org.id, target.id, tx.db);
      await this.reindex(tx, published);
      await this.audit.record({ actorId: actor.id, action: 'org_merged', orgId: org.id, data: { code: org.code, intoCode: target.code, moved } }, tx.db);
      await this.audit.record({ actorId: actor.id, action: 'org_absorbed', orgId: target.id, data: { code: target.code, fromCode: org.code, moved } }, tx.db);
      return { org: await this.orgService.present((await this.orgs.findById(org.id, tx.db))!), into: await this.orgService.present(target), moved };
    });
  }

  /** The search index names each material's org and province: the published ones that moved are indexed again. */
  private async reindex(tx: Tx, materialIds: string[]): Promise<void> {
    for (const materialId of materialIds) await this.queue.enqueue(tx, IndexMaterialJob.queue, { materialId });
  }

  private async lockAndCheck(principal: Principal | null, code: string, targetCode: string, mode: TransferMode, db: Database): Promise<Checked> {
    const rows = [await this.orgs.findByCode(code, db), await this.orgs.findByCode(targetCode, db)].filter((row): row is OrgUnit => !!row);
    if (rows.length) await this.orgs.lock(rows.map((row) => row.id), db);
    return this.check(principal, code, targetCode, mode, db);
  }
}

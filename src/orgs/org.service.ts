import type { AuditRepository } from '../audit/audit.repository.js';
import { requirePrincipal, type Principal } from '../auth/principal.js';
import { isUniqueViolation, type Db } from '../core/db/client.js';
import type { ReviewScope } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import type { OrgKind, OrgRepository, OrgUnit } from './org.repository.js';

export interface CreateOrgInput {
  code: string;
  name: string;
  kind: OrgKind;
  parentCode?: string;
  reviewScope?: ReviewScope;
}

export function presentOrg(org: OrgUnit, parentCode: string | null) {
  return { id: org.id, code: org.code, name: org.name, kind: org.kind, parentCode, reviewScope: org.reviewScope ?? null };
}

/** Only departments directly under the ministry take final review stages, so none sits elsewhere. */
function requireMinistryParent(parent: OrgUnit): void {
  if (parent.kind !== 'ministry') throw new AppError('INVALID_ORG_PARENT', { reason: 'Vụ/Cục phải trực thuộc Bộ' });
}

export class OrgService {
  constructor(private readonly db: Db, private readonly orgs: OrgRepository, private readonly audit: AuditRepository) {}

  /** Admins manage the whole tree; an org-admin manages the subtree of their own org. */
  async canAdminister(principal: Principal | null, orgId: string): Promise<boolean> {
    if (!principal) return false;
    if (principal.roles.includes('admin')) return true;
    return principal.roles.includes('org-admin') && this.orgs.isWithin(orgId, principal.orgId);
  }

  async requireByCode(code: string): Promise<OrgUnit> {
    const org = await this.orgs.findByCode(code);
    if (!org) throw new AppError('UNKNOWN_ORG', { code });
    return org;
  }

  async create(principal: Principal | null, input: CreateOrgInput) {
    const actor = requirePrincipal(principal);
    let parent: OrgUnit | null = null;
    if (input.kind === 'ministry') {
      if (input.parentCode) throw new AppError('INVALID_ORG_PARENT', { reason: 'Bộ không có đơn vị cấp trên' });
    } else {
      if (!input.parentCode) throw new AppError('INVALID_ORG_PARENT', { reason: 'cần parentCode' });
      parent = await this.requireByCode(input.parentCode);
    }
    // The ministry and its departments decide the final stage of every review (a department's
    // scope routes it): an org-admin's power over their subtree does not reach them.
    const ministryLevel = input.kind === 'ministry' || input.kind === 'department';
    const allowed = parent && !ministryLevel ? await this.canAdminister(actor, parent.id) : actor.roles.includes('admin');
    if (!allowed) throw new AppError('FORBIDDEN');
    if (input.kind === 'department') requireMinistryParent(parent!);
    try {
      return await this.db.transaction(async (tx) => {
        const org = await this.orgs.insert({ code: input.code, name: input.name, kind: input.kind, parentId: parent?.id ?? null, reviewScope: input.reviewScope ?? null }, tx.db);
        await this.audit.record({ actorId: actor.id, action: 'org_created', orgId: org.id, data: { code: org.code, parentCode: parent?.code ?? null } }, tx.db);
        return presentOrg(org, parent?.code ?? null);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('ORG_CODE_TAKEN', { code: input.code });
      throw error;
    }
  }

  async get(code: string) {
    const org = await this.orgs.findByCode(code);
    if (!org) throw AppError.notFound('org');
    const parent = org.parentId ? await this.orgs.findById(org.parentId) : null;
    return presentOrg(org, parent?.code ?? null);
  }

  async list() {
    return (await this.orgs.list()).map((org) => presentOrg(org, org.parentCode));
  }

  /**
   * Moves a subtree under another parent (a province merger is a data change). Materials, versions,
   * review tasks and audit events point at org ids, so they all follow unchanged.
   */
  async move(principal: Principal | null, code: string, parentCode: string) {
    const actor = requirePrincipal(principal);
    if (!actor.roles.includes('admin')) throw new AppError('FORBIDDEN');
    const org = await this.orgs.findByCode(code);
    if (!org) throw AppError.notFound('org');
    const parent = await this.requireByCode(parentCode);
    if (org.kind === 'ministry') throw new AppError('INVALID_ORG_PARENT', { reason: 'không thể chuyển Bộ' });
    if (org.kind === 'department') requireMinistryParent(parent);
    if (await this.orgs.isWithin(parent.id, org.id)) {
      throw new AppError('INVALID_ORG_PARENT', { reason: 'không thể chuyển một đơn vị vào chính cây con của nó' });
    }
    return this.db.transaction(async (tx) => {
      await this.orgs.setParent(org.id, parent.id, tx.db);
      await this.audit.record({ actorId: actor.id, action: 'org_moved', orgId: org.id, data: { fromParentId: org.parentId, toParentCode: parent.code } }, tx.db);
      return presentOrg({ ...org, parentId: parent.id }, parent.code);
    });
  }
}

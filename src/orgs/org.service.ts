import type { AuditRepository } from '../audit/audit.repository.js';
import { requirePrincipal, requireRole, type Principal } from '../auth/principal.js';
import { isUniqueViolation, type Db } from '../core/db/client.js';
import type { ReviewScope } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import { etagOf } from '../http/etag.js';
import type { TaxonomyService } from '../taxonomy/taxonomy.service.js';
import type { OrgKind, OrgRepository, OrgUnit } from './org.repository.js';

export interface CreateOrgInput {
  code: string;
  name: string;
  kind: OrgKind;
  parentCode?: string;
  reviewScope?: ReviewScope;
}

export interface UpdateOrgInput {
  name?: string;
  /** null: the org no longer reviews. */
  reviewScope?: ReviewScope | null;
}

export type PresentedOrg = ReturnType<typeof presentOrg>;

export function presentOrg(org: OrgUnit, parentCode: string | null, mergedIntoCode: string | null = null) {
  return {
    id: org.id, code: org.code, name: org.name, kind: org.kind, parentCode, reviewScope: org.reviewScope ?? null,
    closedAt: org.closedAt ?? null, mergedIntoCode,
  };
}

/** The version of an org a client read (GET's ETag): a change is accepted only against the current one. */
export function orgEtag(org: PresentedOrg): string {
  return etagOf(JSON.stringify(org));
}

/** Only departments directly under the ministry take final review stages, so none sits elsewhere. */
export function requireMinistryParent(parent: OrgUnit): void {
  if (parent.kind !== 'ministry') throw new AppError('INVALID_ORG_PARENT', { reason: 'Vụ/Cục phải trực thuộc Bộ' });
}

export class OrgService {
  constructor(private readonly db: Db, private readonly orgs: OrgRepository, private readonly audit: AuditRepository, private readonly taxonomy: TaxonomyService) {}

  /** Admins manage the whole tree; an org-admin manages the subtree of their own org. */
  async canAdminister(principal: Principal | null, orgId: string): Promise<boolean> {
    if (!principal) return false;
    if (principal.roles.includes('admin')) return true;
    return principal.roles.includes('org-admin') && this.orgs.isWithin(orgId, principal.orgId);
  }

  /**
   * Whether the actor may change the org itself (rename, review scope, move, merge): an admin any
   * org; an org-admin one strictly inside their subtree, never their own, the ministry or a department.
   */
  async canManage(actor: Principal, org: OrgUnit): Promise<boolean> {
    if (actor.roles.includes('admin')) return true;
    if (org.kind === 'ministry' || org.kind === 'department' || org.id === actor.orgId) return false;
    return this.canAdminister(actor, org.id);
  }

  /** An org that still exists (not merged away): what new accounts, orgs and moves may point at. */
  async requireByCode(code: string): Promise<OrgUnit> {
    const org = await this.orgs.findByCode(code);
    if (!org) throw new AppError('UNKNOWN_ORG', { code });
    if (org.closedAt) throw new AppError('ORG_CLOSED', { code });
    return org;
  }

  /** Any org, closed ones included (for reading history). */
  async findAny(code: string): Promise<OrgUnit> {
    const org = await this.orgs.findByCode(code);
    if (!org) throw new AppError('UNKNOWN_ORG', { code });
    return org;
  }

  /** Review scopes name levels and subjects of the taxonomy; an unknown code would silently match nothing. */
  private checkScope(scope: ReviewScope | null | undefined): void {
    for (const code of scope?.levels ?? []) if (!this.taxonomy.has('level', code)) throw new AppError('UNKNOWN_TAXONOMY_CODE', { field: 'reviewScope.levels', code });
    for (const code of scope?.subjects ?? []) if (!this.taxonomy.has('subject', code)) throw new AppError('UNKNOWN_TAXONOMY_CODE', { field: 'reviewScope.subjects', code });
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
    this.checkScope(input.reviewScope);
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
    return this.present(org);
  }

  async present(org: OrgUnit): Promise<PresentedOrg> {
    const [parent, mergedInto] = await Promise.all([
      org.parentId ? this.orgs.findById(org.parentId) : null, org.mergedIntoId ? this.orgs.findById(org.mergedIntoId) : null,
    ]);
    return presentOrg(org, parent?.code ?? null, mergedInto?.code ?? null);
  }

  /** The names of orgs by their codes (a code that names none is left out): public, as every org's name is. */
  names(codes: string[]): Promise<Map<string, string>> {
    return this.orgs.namesByCode([...new Set(codes)]);
  }

  /** Every org, closed ones included (they are history): `closedAt` and `mergedIntoCode` tell. */
  async list() {
    return (await this.orgs.list()).map((org) => presentOrg(org, org.parentCode, org.mergedIntoCode));
  }

  /**
   * The orgs an administrator looks after, for the admin pages: every org for an admin, their own
   * org and everything under it for an org-admin; merged orgs are included (they show as history).
   */
  async administered(principal: Principal | null) {
    const actor = requireRole(principal, 'org-admin');
    const all = await this.list();
    if (actor.roles.includes('admin')) return all;
    const byParent = new Map<string | null, typeof all>();
    for (const org of all) byParent.set(org.parentCode, [...(byParent.get(org.parentCode) ?? []), org]);
    const own = all.find((org) => org.id === actor.orgId);
    const result: typeof all = [];
    const visit = (org: (typeof all)[number]) => {
      result.push(org);
      for (const child of byParent.get(org.code) ?? []) visit(child);
    };
    if (own) visit(own);
    return result;
  }

  /**
   * One org for the admin pages, if the caller administers it (else a 404, as if it did not exist),
   * and whether they may change it.
   */
  async forAdministration(principal: Principal | null, code: string) {
    const actor = requireRole(principal, 'org-admin');
    const org = await this.orgs.findByCode(code);
    if (!org || !(await this.canAdminister(actor, org.id))) throw AppError.notFound('org');
    return { org: await this.present(org), manageable: !org.closedAt && (await this.canManage(actor, org)) };
  }

  /**
   * Renames an org or changes its review scope, against the version the caller read (`etag`, the
   * If-Match of the API, a hidden field of the page): a change made meanwhile is never overwritten.
   */
  async update(principal: Principal | null, code: string, etag: string | undefined, input: UpdateOrgInput) {
    const actor = requirePrincipal(principal);
    const found = await this.orgs.findByCode(code);
    if (!found) throw AppError.notFound('org');
    if (!(await this.canManage(actor, found))) throw new AppError('FORBIDDEN');
    if (!etag) throw new AppError('ORG_VERSION_REQUIRED', { code });
    this.checkScope(input.reviewScope);
    return this.db.transaction(async (tx) => {
      await this.orgs.lock([found.id], tx.db);
      const org = (await this.orgs.findById(found.id, tx.db))!;
      if (orgEtag(await this.present(org)) !== etag.replace(/^W\//, '')) throw new AppError('ORG_CHANGED');
      if (org.closedAt) throw new AppError('ORG_CLOSED', { code });
      const changes: UpdateOrgInput = {};
      if (input.name !== undefined && input.name !== org.name) changes.name = input.name;
      if (input.reviewScope !== undefined && JSON.stringify(input.reviewScope) !== JSON.stringify(org.reviewScope ?? null)) changes.reviewScope = input.reviewScope;
      if (Object.keys(changes).length === 0) return this.present(org);
      const updated = await this.orgs.update(org.id, changes, tx.db);
      const data: Record<string, unknown> = { code: org.code };
      if (changes.name !== undefined) data.name = { from: org.name, to: changes.name };
      if (changes.reviewScope !== undefined) data.reviewScope = { from: org.reviewScope ?? null, to: changes.reviewScope };
      await this.audit.record({ actorId: actor.id, action: 'org_updated', orgId: org.id, data }, tx.db);
      return this.present(updated);
    });
  }
}

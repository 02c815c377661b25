import { requireRole, type Principal } from '../auth/principal.js';
import { AppError } from '../core/errors.js';
import type { OrgService } from '../orgs/org.service.js';
import type { AuditLogRepository } from './audit-log.repository.js';

export interface AuditQuery {
  actor?: string;
  org?: string;
  material?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** The audit log for administrators: an admin reads all of it, an org-admin what happened in their subtree. */
export class AuditService {
  constructor(private readonly log: AuditLogRepository, private readonly orgs: OrgService) {}

  async search(principal: Principal | null, query: AuditQuery) {
    const actor = requireRole(principal, 'org-admin');
    let withinOrgId = actor.roles.includes('admin') ? undefined : actor.orgId;
    if (query.org) {
      // A closed org's history stays readable: it is looked up whatever its state.
      const org = await this.orgs.findAny(query.org);
      if (!(await this.orgs.canAdminister(actor, org.id))) throw new AppError('FORBIDDEN');
      withinOrgId = org.id;
    }
    return this.log.search(
      { withinOrgId, actorUsername: query.actor, materialId: query.material, action: query.action, from: query.from, to: query.to },
      { limit: query.limit, offset: query.offset },
    );
  }
}

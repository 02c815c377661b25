import type { Principal } from '../auth/principal.js';
import type { OrgService } from '../orgs/org.service.js';
import type { Material, MaterialRepository } from './material.repository.js';

/**
 * Who may see and change a material. The public sees published versions only; the owner, the
 * org-admins above the owner's org and the reviewers of its stages also see the working version.
 */
export class MaterialAccess {
  constructor(private readonly orgs: OrgService, private readonly materials: MaterialRepository) {}

  async canEdit(principal: Principal | null, material: Material): Promise<boolean> {
    if (!principal) return false;
    return principal.id === material.ownerId || this.orgs.canAdminister(principal, material.orgId);
  }

  async canSeeWorking(principal: Principal | null, material: Material): Promise<boolean> {
    if (!principal) return false;
    if (await this.canEdit(principal, material)) return true;
    return principal.roles.includes('reviewer') && this.materials.hasReviewTaskFor(material.id, principal.orgId);
  }

  static isPublic(material: Material): boolean {
    return material.publishedVersion !== null && material.status !== 'archived';
  }
}

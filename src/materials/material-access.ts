import type { Principal } from '../auth/principal.js';
import type { OrgService } from '../orgs/org.service.js';
import type { ReviewRepository } from '../review/review.repository.js';
import type { Material } from './material.repository.js';

/**
 * Who may see and change a material. The public sees published versions only; the owner and the
 * org-admins above the owner's org also see the working version, and so does a reviewer while
 * they hold or may claim its task. Every read of an unpublished version asks here.
 */
export class MaterialAccess {
  constructor(private readonly orgs: OrgService, private readonly reviews: ReviewRepository) {}

  async canEdit(principal: Principal | null, material: Material): Promise<boolean> {
    if (!principal) return false;
    return principal.id === material.ownerId || this.orgs.canAdminister(principal, material.orgId);
  }

  /**
   * The working version, to a reviewer, only while its org has an open task on that very version
   * that nobody else holds: once their stage is done (or for the next version's draft) they see
   * what the public sees.
   */
  async canSeeWorking(principal: Principal | null, material: Material): Promise<boolean> {
    if (!principal) return false;
    if (await this.canEdit(principal, material)) return true;
    return principal.roles.includes('reviewer')
      && this.reviews.isOpenTo({ materialId: material.id, version: material.version, orgId: principal.orgId }, principal.id);
  }

  /**
   * A version other than the working and the published one (an earlier draft, a rejected version)
   * is its editors' alone.
   */
  async canSeeVersion(principal: Principal | null, material: Material, version: number): Promise<boolean> {
    if (version === material.publishedVersion && MaterialAccess.isPublic(material)) return true;
    if (version === material.version) return this.canSeeWorking(principal, material);
    return this.canEdit(principal, material);
  }

  static isPublic(material: Material): boolean {
    return material.publishedVersion !== null && material.status !== 'archived';
  }
}

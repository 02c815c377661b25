import { hash } from '@node-rs/argon2';
import type { AuditRepository } from '../audit/audit.repository.js';
import { requirePrincipal, type Principal } from '../auth/principal.js';
import { isUniqueViolation, type Db } from '../core/db/client.js';
import type { Role } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import type { OrgService } from '../orgs/org.service.js';
import type { UserRepository } from './user.repository.js';

export interface CreateUserInput {
  username: string;
  password: string;
  displayName: string;
  orgCode: string;
  roles: Role[];
  personalId?: string;
}

export const MIN_PASSWORD_LENGTH = 10;

/** argon2id with the library's defaults (OWASP's m=19 MiB, t=2, p=1), as a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export class UserService {
  constructor(
    private readonly db: Db,
    private readonly users: UserRepository,
    private readonly orgs: OrgService,
    private readonly audit: AuditRepository,
  ) {}

  async create(principal: Principal | null, input: CreateUserInput) {
    const actor = requirePrincipal(principal);
    const org = await this.orgs.requireByCode(input.orgCode);
    if (!(await this.orgs.canAdminister(actor, org.id))) throw new AppError('FORBIDDEN');
    // Only an admin may make another admin: an org-admin's power stops at their subtree.
    if (input.roles.includes('admin') && !actor.roles.includes('admin')) throw new AppError('FORBIDDEN');
    if (input.password.length < MIN_PASSWORD_LENGTH || input.password.toLowerCase().includes(input.username.toLowerCase())) {
      throw new AppError('WEAK_PASSWORD', {}, [{ field: 'password', message: `ít nhất ${MIN_PASSWORD_LENGTH} ký tự` }]);
    }
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.db.transaction(async (tx) => {
        const user = await this.users.insert({
          username: input.username.toLowerCase(), passwordHash, displayName: input.displayName, orgId: org.id,
          roles: [...new Set(input.roles)], personalId: input.personalId ?? null,
        }, tx.db);
        await this.audit.record({ actorId: actor.id, action: 'user_created', orgId: org.id, data: { userId: user.id, roles: user.roles } }, tx.db);
        return { id: user.id, username: user.username, displayName: user.displayName, orgCode: org.code, roles: user.roles, personalId: user.personalId };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_unique')) throw new AppError('USERNAME_TAKEN', { username: input.username });
      if (isUniqueViolation(error, 'users_personal_id_unique')) throw new AppError('PERSONAL_ID_TAKEN');
      throw error;
    }
  }
}

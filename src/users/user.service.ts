import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { AuditRepository } from '../audit/audit.repository.js';
import { requirePrincipal, requireRole, type Principal } from '../auth/principal.js';
import type { SessionRepository } from '../auth/session.repository.js';
import { isUniqueViolation, type Db } from '../core/db/client.js';
import type { Role } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import type { OrgService } from '../orgs/org.service.js';
import type { ReviewRepository } from '../review/review.repository.js';
import type { PasswordResetService } from './password-reset.service.js';
import { requireStrongPassword } from './password-policy.js';
import type { UserRepository, UserWithOrg } from './user.repository.js';

export interface CreateUserInput {
  username: string;
  /** Absent: the account gets a one-time link to set its password (the answer's `passwordLink`). */
  password?: string;
  displayName: string;
  orgCode: string;
  roles: Role[];
  personalId?: string;
  email?: string;
}

export interface UpdateUserInput {
  active?: boolean;
  displayName?: string;
  roles?: Role[];
  orgCode?: string;
  email?: string | null;
}

export interface UserQuery {
  q?: string;
  orgCode?: string;
  role?: Role;
  active?: boolean;
  limit: number;
  offset: number;
}

/** argon2id with the library's defaults (OWASP's m=19 MiB, t=2, p=1), as a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** A password nobody knows, for accounts that set theirs through a one-time link. */
export function unusablePasswordHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64url'));
}

/** An account as the API shows it to those who administer it: the only ones who see it at all. Never the hash. */
export function presentUser(user: UserWithOrg) {
  return {
    id: user.id, username: user.username, displayName: user.displayName, orgCode: user.orgCode, roles: user.roles,
    active: user.active, personalId: user.personalId, email: user.email, createdAt: user.createdAt,
  };
}

const sameRoles = (a: Role[], b: Role[]) => a.length === b.length && a.every((role) => b.includes(role));
const reviews = (roles: Role[]) => roles.includes('reviewer') || roles.includes('admin');

export class UserService {
  constructor(
    private readonly db: Db,
    private readonly users: UserRepository,
    private readonly orgs: OrgService,
    private readonly sessions: SessionRepository,
    private readonly reviews: ReviewRepository,
    private readonly audit: AuditRepository,
    private readonly resets: PasswordResetService,
  ) {}

  async create(principal: Principal | null, input: CreateUserInput) {
    const actor = requirePrincipal(principal);
    const org = await this.orgs.requireByCode(input.orgCode);
    if (!(await this.orgs.canAdminister(actor, org.id))) throw new AppError('FORBIDDEN');
    // Only an admin may make another admin: an org-admin's power stops at their subtree.
    if (input.roles.includes('admin') && !actor.roles.includes('admin')) throw new AppError('FORBIDDEN');
    if (input.password !== undefined) requireStrongPassword(input.password, input.username);
    const passwordHash = input.password !== undefined ? await hashPassword(input.password) : await unusablePasswordHash();
    try {
      return await this.db.transaction(async (tx) => {
        const user = await this.users.insert({
          username: input.username.toLowerCase(), passwordHash, displayName: input.displayName, orgId: org.id,
          roles: [...new Set(input.roles)], personalId: input.personalId ?? null, email: input.email?.toLowerCase() ?? null,
        }, tx.db);
        await this.audit.record({ actorId: actor.id, action: 'user_created', orgId: org.id, data: { userId: user.id, roles: user.roles } }, tx.db);
        const link = input.password === undefined ? await this.resets.issue(tx, actor.id, user) : null;
        return { ...presentUser({ ...user, orgCode: org.code }), ...(link ? { passwordLink: link } : {}) };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_unique')) throw new AppError('USERNAME_TAKEN', { username: input.username });
      if (isUniqueViolation(error, 'users_personal_id_unique')) throw new AppError('PERSONAL_ID_TAKEN');
      throw error;
    }
  }

  /** One account, for an admin or the org-admin of its subtree (an admin's account: admins only). */
  async get(principal: Principal | null, id: string) {
    const actor = requireRole(principal, 'org-admin');
    const user = await this.users.findById(id);
    if (!user) throw AppError.notFound('user');
    if (!(await this.orgs.canAdminister(actor, user.orgId))) throw new AppError('FORBIDDEN');
    if (user.roles.includes('admin') && !actor.roles.includes('admin')) throw new AppError('FORBIDDEN');
    return presentUser(user);
  }

  /**
   * Accounts an admin (all) or an org-admin (their subtree) administers, with their personal data;
   * nobody else may list accounts. `orgCode` narrows to that org and the orgs under it.
   */
  async list(principal: Principal | null, query: UserQuery) {
    const actor = requireRole(principal, 'org-admin');
    let withinOrgId = actor.roles.includes('admin') ? undefined : actor.orgId;
    if (query.orgCode) {
      const org = await this.orgs.requireByCode(query.orgCode);
      if (!(await this.orgs.canAdminister(actor, org.id))) throw new AppError('FORBIDDEN');
      withinOrgId = org.id;
    }
    const page = await this.users.list(
      { withinOrgId, text: query.q, role: query.role, active: query.active, excludeRole: actor.roles.includes('admin') ? undefined : 'admin' },
      { limit: query.limit, offset: query.offset },
    );
    return { total: page.total, items: page.items.map(presentUser) };
  }

  /**
   * Renames, moves to another org, changes roles or e-mail, deactivates or reactivates an account.
   * Deactivation revokes every session of the user and puts their claimed review tasks back in the
   * queue (so do taking away their last reviewing role and a move to another org, whose stages are
   * not theirs), in the same transaction; their tokens are refused from that moment (the principal
   * lookup skips inactive users as well). Nobody deactivates themselves or changes their own roles;
   * the last active admin keeps the role and the account (the active admins' rows are locked first,
   * so two admins removing each other at once cannot both succeed); an org-admin neither grants nor
   * touches the admin role, and moves accounts only within their subtree.
   */
  async update(principal: Principal | null, id: string, input: UpdateUserInput) {
    const actor = requireRole(principal, 'org-admin');
    const actorIsAdmin = actor.roles.includes('admin');
    const org = input.orgCode !== undefined ? await this.orgs.requireByCode(input.orgCode) : null;
    if (org && !(await this.orgs.canAdminister(actor, org.id))) throw new AppError('FORBIDDEN');
    return this.db.transaction(async (tx) => {
      const activeAdmins = input.active === false || input.roles ? await this.users.lockActiveAdmins(tx.db) : null;
      const user = await this.users.findById(id, tx.db, { forUpdate: true });
      if (!user) throw AppError.notFound('user');
      if (!(await this.orgs.canAdminister(actor, user.orgId))) throw new AppError('FORBIDDEN');
      if (!actorIsAdmin && (user.roles.includes('admin') || input.roles?.includes('admin'))) throw new AppError('FORBIDDEN');
      const roles = input.roles && [...new Set(input.roles)];
      const email = input.email === undefined ? undefined : input.email?.trim().toLowerCase() || null;
      const changes: Parameters<UserRepository['update']>[1] = {};
      if (input.displayName !== undefined && input.displayName !== user.displayName) changes.displayName = input.displayName;
      if (roles && !sameRoles(roles, user.roles)) changes.roles = roles;
      if (org && org.id !== user.orgId) changes.orgId = org.id;
      if (email !== undefined && email !== user.email) changes.email = email;
      if (input.active !== undefined && input.active !== user.active) changes.active = input.active;
      if (user.id === actor.id && (changes.active === false || changes.roles)) throw new AppError('OWN_ACCOUNT');
      const losesAdmin = user.active && user.roles.includes('admin') && (changes.active === false || (changes.roles && !changes.roles.includes('admin')));
      if (losesAdmin && !activeAdmins!.some((adminId) => adminId !== user.id)) throw new AppError('LAST_ADMIN');
      if (Object.keys(changes).length === 0) return presentUser(user);

      const updated = await this.users.update(user.id, changes, tx.db);
      const orgCode = org && changes.orgId ? org.code : user.orgCode;
      const event = { actorId: actor.id, orgId: user.orgId };
      // Whoever may no longer review (deactivated, no reviewing role left, moved away from the stage's org) gives their claims back.
      const stopsReviewing = changes.active === false || changes.orgId !== undefined || (changes.roles && reviews(user.roles) && !reviews(changes.roles));
      const releasedClaims = stopsReviewing ? await this.reviews.releaseClaimsOf(user.id, tx.db) : 0;
      if (changes.displayName !== undefined || changes.roles || changes.orgId || changes.email !== undefined) {
        const data: Record<string, unknown> = { userId: user.id };
        if (changes.displayName !== undefined) data.displayName = { from: user.displayName, to: changes.displayName };
        if (changes.roles) data.roles = { from: user.roles, to: changes.roles };
        if (changes.orgId) data.org = { from: user.orgCode, to: orgCode };
        // The address itself is personal data: the trail says only that it changed.
        if (changes.email !== undefined) data.emailChanged = true;
        if (changes.active !== false && releasedClaims > 0) data.releasedClaims = releasedClaims;
        await this.audit.record({ ...event, action: 'user_updated', data }, tx.db);
      }
      if (changes.active === false) {
        await this.sessions.revokeAllOf(user.id, tx.db);
        await this.audit.record({ ...event, action: 'user_deactivated', data: { userId: user.id, releasedClaims } }, tx.db);
      }
      if (changes.active === true) await this.audit.record({ ...event, action: 'user_reactivated', data: { userId: user.id } }, tx.db);
      return presentUser({ ...updated, orgCode });
    });
  }
}

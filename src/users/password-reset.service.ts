import { randomBytes } from 'node:crypto';
import type { AuditRepository } from '../audit/audit.repository.js';
import { hashToken } from '../auth/auth.service.js';
import { requireRole, type Principal } from '../auth/principal.js';
import type { SessionRepository } from '../auth/session.repository.js';
import type { Db, Tx } from '../core/db/client.js';
import { AppError } from '../core/errors.js';
import type { OrgService } from '../orgs/org.service.js';
import { requireStrongPassword } from './password-policy.js';
import type { PasswordResetRepository } from './password-reset.repository.js';
import type { UserRepository } from './user.repository.js';
import { hashPassword } from './user.service.js';

/** How long a link an administrator hands out stays good: long enough to reach someone over a weekend. */
export const RESET_LINK_HOURS = 72;

export function resetPath(token: string): string {
  return `/dat-lai-mat-khau/${token}`;
}

/**
 * Password resets by administrators: a one-time link (never a password the administrator knows)
 * with which the user sets their own password. The link's token is stored as its sha256 only;
 * using it ends every session of the account.
 */
export class PasswordResetService {
  constructor(
    private readonly db: Db,
    private readonly users: UserRepository,
    private readonly resets: PasswordResetRepository,
    private readonly orgs: OrgService,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRepository,
    private readonly publicUrl: string,
  ) {}

  /** An admin, or an org-admin for an account of their subtree that is not an admin's. */
  async create(principal: Principal | null, userId: string): Promise<{ url: string; expiresAt: Date }> {
    const actor = requireRole(principal, 'org-admin');
    const user = await this.users.findById(userId);
    if (!user) throw AppError.notFound('user');
    if (!(await this.orgs.canAdminister(actor, user.orgId))) throw new AppError('FORBIDDEN');
    if (user.roles.includes('admin') && !actor.roles.includes('admin')) throw new AppError('FORBIDDEN');
    return this.db.transaction((tx) => this.issue(tx, actor.id, user));
  }

  /** Makes a link in the caller's transaction (an account created without a password gets one). */
  async issue(tx: Tx, actorId: string, user: { id: string; orgId: string }): Promise<{ url: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = await this.resets.create({ tokenHash: hashToken(token), userId: user.id, createdBy: actorId, hours: RESET_LINK_HOURS }, tx.db);
    await this.audit.record({ actorId, action: 'password_reset_link_created', orgId: user.orgId, data: { userId: user.id } }, tx.db);
    return { url: `${this.publicUrl}${resetPath(token)}`, expiresAt };
  }

  /** Whom a link is for, while it is live. */
  async check(token: string): Promise<{ username: string; displayName: string }> {
    const live = await this.resets.findLive(hashToken(token));
    if (!live) throw new AppError('RESET_LINK_INVALID');
    return live;
  }

  async complete(token: string, newPassword: string): Promise<void> {
    const live = await this.resets.findLive(hashToken(token));
    if (!live) throw new AppError('RESET_LINK_INVALID');
    requireStrongPassword(newPassword, live.username, 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction(async (tx) => {
      const userId = await this.resets.consume(hashToken(token), tx.db);
      if (userId !== live.userId) throw new AppError('RESET_LINK_INVALID');
      const user = await this.users.update(userId, { passwordHash }, tx.db);
      await this.sessions.revokeAllOf(userId, tx.db);
      await this.audit.record({ actorId: userId, action: 'password_reset', orgId: user.orgId, data: { userId } }, tx.db);
    });
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db/client.js';
import { AppError } from '../core/errors.js';
import { requireStrongPassword } from '../users/password-policy.js';
import type { UserRepository } from '../users/user.repository.js';
import { hashPassword } from '../users/user.service.js';
import type { LoginThrottle } from './login-throttle.js';
import { requirePrincipal, type Principal } from './principal.js';
import type { SessionRepository } from './session.repository.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// Verifying against a real hash for unknown users keeps the timing of both answers alike.
const DUMMY_HASH = hashPassword('hoclieu-dummy-password');

/** Opaque bearer tokens: only their sha256 is stored, so a database leak yields no usable token. */
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditRepository,
    private readonly config: Pick<Config, 'sessionTtlHours' | 'sessionIdleHours'>,
  ) {}

  async login(usernameInput: string, password: string, clientAddress: string): Promise<{ token: string; user: Principal }> {
    const username = usernameInput.toLowerCase();
    await this.throttle.admit(username, clientAddress);
    const user = await this.users.findByUsername(username);
    const valid = await verify(user?.passwordHash ?? (await DUMMY_HASH), password);
    if (!user || !valid) throw new AppError('INVALID_CREDENTIALS');
    // The generic answer: a deactivated account is not confirmed to whoever holds its password.
    // The attempt stays counted, and the trail records it for the administrators.
    if (!user.active) {
      await this.audit.record({ actorId: user.id, action: 'login_refused', orgId: user.orgId, data: { reason: 'deactivated', address: clientAddress } });
      throw new AppError('INVALID_CREDENTIALS');
    }
    await this.throttle.succeeded(username, clientAddress);
    const token = randomBytes(32).toString('base64url');
    await this.sessions.insert(hashToken(token), user.id, this.config.sessionTtlHours);
    const principal = await this.users.principal(user.id);
    return { token, user: principal! };
  }

  /** The principal for a bearer token, or null when it is unknown, expired, idle too long, revoked, or its user deactivated. */
  async authenticate(token: string): Promise<Principal | null> {
    return this.authenticateSession(hashToken(token));
  }

  /** The same, for a session known by its token's hash (a page's upload token names its session so: src/auth/upload-token.ts). */
  async authenticateSession(tokenHash: string): Promise<Principal | null> {
    const session = await this.sessions.findLive(tokenHash, this.config.sessionIdleHours);
    if (!session) return null;
    // Recording every request would write on every read; a minute's precision is enough for an idle limit of hours.
    if (session.useToRecord) await this.sessions.recordUse(tokenHash);
    return session.principal;
  }

  /** Sign-in counters quiet for a day that mark no known address are deleted: the table does not grow with every guessed name. */
  forgetQuietThrottles(): Promise<number> {
    return this.throttle.forgetQuiet();
  }

  async logout(token: string): Promise<void> {
    await this.sessions.revoke(hashToken(token));
  }

  /**
   * Changes the signed-in user's password and ends their other sessions; the one making the
   * change stays. A wrong current password counts against the sign-in throttle like a failed login.
   */
  async changePassword(principal: Principal | null, token: string, input: { currentPassword: string; newPassword: string }, clientAddress: string): Promise<void> {
    const actor = requirePrincipal(principal);
    requireStrongPassword(input.newPassword, actor.username, 'newPassword');
    await this.throttle.admit(actor.username, clientAddress);
    const user = await this.users.findById(actor.id);
    if (!user || !(await verify(user.passwordHash, input.currentPassword))) throw new AppError('CURRENT_PASSWORD_WRONG');
    await this.throttle.succeeded(actor.username, clientAddress);
    const passwordHash = await hashPassword(input.newPassword);
    await this.db.transaction(async (tx) => {
      await this.users.update(user.id, { passwordHash }, tx.db);
      await this.sessions.revokeAllOf(user.id, tx.db, hashToken(token));
      await this.audit.record({ actorId: user.id, action: 'password_changed', orgId: user.orgId, data: { userId: user.id } }, tx.db);
    });
  }
}

import type { AuditRepository } from '../audit/audit.repository.js';
import { requireRole, type Principal } from '../auth/principal.js';
import { isUniqueViolation, type Db } from '../core/db/client.js';
import { ROLES, type Role } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import { EMAIL_PATTERN } from '../notifications/email-address.js';
import type { OrgService } from '../orgs/org.service.js';
import type { PasswordResetService } from './password-reset.service.js';
import type { UserFileRow } from './user-file.js';
import type { UserRepository } from './user.repository.js';
import { unusablePasswordHash } from './user.service.js';

export interface ImportProblem {
  line: number;
  field?: string;
  code: string;
  message: string;
}

/** A row as it will be created. */
export interface ImportedAccount {
  line: number;
  username: string;
  displayName: string;
  orgCode: string;
  roles: Role[];
  personalId: string | null;
  email: string | null;
}

const USERNAME = /^[a-z0-9._-]{3,64}$/;
const PERSONAL_ID = /^[A-Za-z0-9-]{4,32}$/;

/**
 * Creates many accounts from a spreadsheet, all or none: every row is checked (the importer's
 * subtree and the roles they may grant, duplicates within the file and against the database)
 * and every problem is reported with its line before anything is written. Each account created
 * gets a one-time link to set its password.
 */
export class UserImportService {
  constructor(
    private readonly db: Db,
    private readonly users: UserRepository,
    private readonly orgs: OrgService,
    private readonly resets: PasswordResetService,
    private readonly audit: AuditRepository,
  ) {}

  async check(principal: Principal | null, rows: UserFileRow[]): Promise<{ accounts: ImportedAccount[]; problems: ImportProblem[] }> {
    const actor = requireRole(principal, 'org-admin');
    const problems: ImportProblem[] = [];
    const accounts: ImportedAccount[] = [];
    const orgs = new Map<string, Promise<{ allowed: boolean } | AppError>>();
    const orgOf = (code: string) => {
      if (!orgs.has(code)) {
        orgs.set(code, this.orgs.requireByCode(code).then(
          async (org) => ({ allowed: await this.orgs.canAdminister(actor, org.id) }),
          (error: unknown) => { if (error instanceof AppError) return error; throw error; },
        ));
      }
      return orgs.get(code)!;
    };
    const firstLine = { username: new Map<string, number>(), personalId: new Map<string, number>() };
    for (const row of rows) {
      const problem = (field: string | undefined, code: string, message: string) => problems.push({ line: row.line, ...(field ? { field } : {}), code, message });
      const before = problems.length;
      if (!row.username && !row.displayName && !row.orgCode && !row.roles && !row.personalId && !row.email) {
        problem(undefined, 'EMPTY_ROW', 'Dòng trống: hãy xoá dòng này hoặc điền thông tin tài khoản.');
        continue;
      }
      const username = row.username.toLowerCase();
      if (!username) problem('username', 'FIELD_REQUIRED', 'Thiếu tên đăng nhập.');
      else if (!USERNAME.test(username)) problem('username', 'FIELD_INVALID', `Tên đăng nhập "${row.username}" không hợp lệ: 3–64 ký tự, chỉ chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang.`);
      else if (firstLine.username.has(username)) problem('username', 'DUPLICATE_IN_FILE', `Tên đăng nhập "${username}" trùng với dòng ${firstLine.username.get(username)}.`);
      else firstLine.username.set(username, row.line);
      if (!row.displayName) problem('displayName', 'FIELD_REQUIRED', 'Thiếu họ tên.');
      else if (row.displayName.length > 200) problem('displayName', 'FIELD_INVALID', 'Họ tên dài tối đa 200 ký tự.');
      const orgCode = row.orgCode.toLowerCase();
      const org = orgCode ? await orgOf(orgCode) : null;
      if (!orgCode) problem('orgCode', 'FIELD_REQUIRED', 'Thiếu mã đơn vị.');
      else if (org instanceof AppError) problem('orgCode', org.code, org.describe('vi'));
      else if (org && !org.allowed) problem('orgCode', 'FORBIDDEN', `Đơn vị "${orgCode}" nằm ngoài phạm vi quản trị của bạn.`);
      const roles = [...new Set(row.roles.split(/[\s,;]+/).filter(Boolean).map((role) => role.toLowerCase()))];
      if (roles.length === 0) problem('roles', 'FIELD_REQUIRED', 'Thiếu vai trò.');
      for (const role of roles) {
        if (!(ROLES as readonly string[]).includes(role)) problem('roles', 'ROLE_UNKNOWN', `Không có vai trò "${role}" (các vai trò: ${ROLES.join(', ')}).`);
        else if (role === 'admin' && !actor.roles.includes('admin')) problem('roles', 'ROLE_NOT_GRANTABLE', 'Chỉ quản trị hệ thống mới cấp được vai trò admin.');
      }
      const personalId = row.personalId || null;
      if (personalId && !PERSONAL_ID.test(personalId)) problem('personalId', 'FIELD_INVALID', `Mã định danh "${personalId}" không hợp lệ: 4–32 chữ, số hoặc gạch ngang.`);
      else if (personalId && firstLine.personalId.has(personalId)) problem('personalId', 'DUPLICATE_IN_FILE', `Mã định danh trùng với dòng ${firstLine.personalId.get(personalId)}.`);
      else if (personalId) firstLine.personalId.set(personalId, row.line);
      const email = row.email.toLowerCase() || null;
      if (email && (email.length > 254 || !EMAIL_PATTERN.test(email))) problem('email', 'FIELD_INVALID', `Địa chỉ e-mail "${row.email}" không hợp lệ.`);
      if (problems.length === before) {
        accounts.push({ line: row.line, username, displayName: row.displayName, orgCode, roles: roles as Role[], personalId, email });
      }
    }
    const taken = await this.users.taken([...firstLine.username.keys()], [...firstLine.personalId.keys()]);
    for (const [username, line] of firstLine.username) {
      if (taken.usernames.has(username)) problems.push({ line, field: 'username', code: 'USERNAME_TAKEN', message: `Tên đăng nhập "${username}" đã có người dùng.` });
    }
    for (const [personalId, line] of firstLine.personalId) {
      if (taken.personalIds.has(personalId)) problems.push({ line, field: 'personalId', code: 'PERSONAL_ID_TAKEN', message: 'Mã định danh đã gắn với một tài khoản khác.' });
    }
    problems.sort((a, b) => a.line - b.line);
    const bad = new Set(problems.map((p) => p.line));
    return { accounts: accounts.filter((a) => !bad.has(a.line)), problems };
  }

  /**
   * Checks the rows and, unless it is a dry run, creates them in one transaction. Problems refuse
   * the whole file (USER_IMPORT_FAILED, every row and problem in its details); a name or personal ID
   * taken between the check and the write rolls everything back.
   */
  async import(principal: Principal | null, rows: UserFileRow[], options: { dryRun: boolean }) {
    const actor = requireRole(principal, 'org-admin');
    const { accounts, problems } = await this.check(actor, rows);
    if (problems.length > 0) throw new AppError('USER_IMPORT_FAILED', { count: problems.length }, { rows, problems });
    if (options.dryRun) return { dryRun: true as const, created: 0, accounts };
    const passwordHash = await unusablePasswordHash();
    const orgIds = new Map<string, string>();
    for (const account of accounts) if (!orgIds.has(account.orgCode)) orgIds.set(account.orgCode, (await this.orgs.requireByCode(account.orgCode)).id);
    try {
      return await this.db.transaction(async (tx) => {
        const created = await this.users.insertMany(accounts.map((a) => ({
          username: a.username, passwordHash, displayName: a.displayName, orgId: orgIds.get(a.orgCode)!, roles: a.roles, personalId: a.personalId, email: a.email,
        })), tx.db);
        const results = [];
        for (const [i, user] of created.entries()) {
          await this.audit.record({ actorId: actor.id, action: 'user_created', orgId: user.orgId, data: { userId: user.id, roles: user.roles, imported: true } }, tx.db);
          const link = await this.resets.issue(tx, actor.id, user);
          results.push({ ...accounts[i]!, id: user.id, passwordLink: link });
        }
        await this.audit.record({ actorId: actor.id, action: 'users_imported', orgId: actor.orgId, data: { count: created.length } }, tx.db);
        return { dryRun: false as const, created: created.length, accounts: results };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_unique')) throw new AppError('USERNAME_TAKEN', { username: 'vừa được tạo' });
      if (isUniqueViolation(error, 'users_personal_id_unique')) throw new AppError('PERSONAL_ID_TAKEN');
      throw error;
    }
  }
}

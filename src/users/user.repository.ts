import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { orgUnits, users, type Role } from '../core/db/schema.js';
import type { Principal } from '../auth/principal.js';
import { escapeLike } from '../core/text.js';

export type User = typeof users.$inferSelect;
export type UserWithOrg = User & { orgCode: string };

export interface UserFilter {
  /** Users of this org and of every org under it. */
  withinOrgId?: string;
  /** Part of the username or of the display name, without regard to case or diacritics. */
  text?: string;
  role?: Role;
  /** Leaves out holders of this role (an org-admin does not administer admins). */
  excludeRole?: Role;
  active?: boolean;
}

export class UserRepository {
  constructor(private readonly db: Database) {}

  async insert(values: typeof users.$inferInsert, db: Database = this.db): Promise<User> {
    const [row] = await db.insert(users).values(values).returning();
    return row!;
  }

  async findByUsername(username: string): Promise<User | null> {
    const [row] = await this.db.select().from(users).where(eq(users.username, username));
    return row ?? null;
  }

  /** With its org's code; `forUpdate` locks the user's row until the transaction of `db` ends. */
  async findById(id: string, db: Database = this.db, options: { forUpdate?: boolean } = {}): Promise<UserWithOrg | null> {
    const query = db.select({ user: users, orgCode: orgUnits.code }).from(users).innerJoin(orgUnits, eq(orgUnits.id, users.orgId)).where(eq(users.id, id));
    const [row] = options.forUpdate ? await query.for('update', { of: users }) : await query;
    return row ? { ...row.user, orgCode: row.orgCode } : null;
  }

  async insertMany(values: Array<typeof users.$inferInsert>, db: Database): Promise<User[]> {
    return db.insert(users).values(values).returning();
  }

  /** Which of these usernames and personal IDs are taken already. */
  async taken(usernames: string[], personalIds: string[]): Promise<{ usernames: Set<string>; personalIds: Set<string> }> {
    const byName = usernames.length ? await this.db.select({ v: users.username }).from(users).where(inArray(users.username, usernames)) : [];
    const byId = personalIds.length ? await this.db.select({ v: users.personalId }).from(users).where(inArray(users.personalId, personalIds)) : [];
    return { usernames: new Set(byName.map((r) => r.v)), personalIds: new Set(byId.map((r) => r.v!)) };
  }

  /**
   * Locks the rows of the active admins (in id order, so concurrent callers queue rather than
   * deadlock) and returns their ids: two admins deactivating each other at once see one another's change.
   */
  async lockActiveAdmins(db: Database): Promise<string[]> {
    const rows = await db.select({ id: users.id }).from(users)
      .where(and(sql`'admin' = ANY(${users.roles})`, eq(users.active, true))).orderBy(asc(users.id)).for('update');
    return rows.map((r) => r.id);
  }

  async update(id: string, values: Partial<Pick<User, 'displayName' | 'roles' | 'active' | 'passwordHash' | 'orgId' | 'email'>>, db: Database = this.db): Promise<User> {
    const [row] = await db.update(users).set(values).where(eq(users.id, id)).returning();
    return row!;
  }

  /** The principal of an active user; null for a deactivated one, whose tokens are refused with it. */
  async principal(userId: string): Promise<Principal | null> {
    const [row] = await this.db
      .select({ id: users.id, username: users.username, displayName: users.displayName, orgId: users.orgId, orgCode: orgUnits.code, roles: users.roles })
      .from(users).innerJoin(orgUnits, eq(orgUnits.id, users.orgId)).where(and(eq(users.id, userId), eq(users.active, true)));
    return row ?? null;
  }

  async list(filter: UserFilter, page: { limit: number; offset: number }): Promise<{ total: number; items: UserWithOrg[] }> {
    const conditions: Array<SQL | undefined> = [
      filter.withinOrgId ? sql`${users.orgId} IN (WITH RECURSIVE subtree AS (
          SELECT id FROM org_units WHERE id = ${filter.withinOrgId}
          UNION ALL SELECT o.id FROM org_units o JOIN subtree ON o.parent_id = subtree.id
        ) SELECT id FROM subtree)` : undefined,
      filter.text ? sql`(${users.username} LIKE ${`%${escapeLike(filter.text.toLowerCase())}%`}
        OR hoclieu_unaccent(${users.displayName}) LIKE '%' || hoclieu_unaccent(${escapeLike(filter.text)}) || '%'
        OR lower(${users.personalId}) = ${filter.text.toLowerCase()})` : undefined,
      filter.role ? sql`${filter.role} = ANY(${users.roles})` : undefined,
      filter.excludeRole ? sql`NOT (${filter.excludeRole} = ANY(${users.roles}))` : undefined,
      filter.active === undefined ? undefined : eq(users.active, filter.active),
    ];
    const where = and(...conditions);
    const [count] = await this.db.select({ total: sql<number>`count(*)::int` }).from(users).where(where);
    const rows = await this.db.select({ user: users, orgCode: orgUnits.code }).from(users)
      .innerJoin(orgUnits, eq(orgUnits.id, users.orgId)).where(where)
      .orderBy(asc(users.username)).limit(page.limit).offset(page.offset);
    return { total: count!.total, items: rows.map(({ user, orgCode }) => ({ ...user, orgCode })) };
  }

  async anyAdmin(): Promise<boolean> {
    const [row] = await this.db.select({ id: users.id }).from(users).where(sql`'admin' = ANY(${users.roles})`).limit(1);
    return !!row;
  }
}

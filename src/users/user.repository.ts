import { eq, sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { orgUnits, users } from '../core/db/schema.js';
import type { Principal } from '../auth/principal.js';

export type User = typeof users.$inferSelect;

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

  async principal(userId: string): Promise<Principal | null> {
    const [row] = await this.db
      .select({ id: users.id, username: users.username, displayName: users.displayName, orgId: users.orgId, orgCode: orgUnits.code, roles: users.roles })
      .from(users).innerJoin(orgUnits, eq(orgUnits.id, users.orgId)).where(eq(users.id, userId));
    return row ?? null;
  }

  async anyAdmin(): Promise<boolean> {
    const [row] = await this.db.select({ id: users.id }).from(users).where(sql`'admin' = ANY(${users.roles})`).limit(1);
    return !!row;
  }
}

import { eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../core/db/client.js';
import { orgUnits, type ReviewScope } from '../core/db/schema.js';

export type OrgUnit = typeof orgUnits.$inferSelect;
export type OrgKind = OrgUnit['kind'];

export class OrgRepository {
  constructor(private readonly db: Database) {}

  async insert(values: typeof orgUnits.$inferInsert, db: Database = this.db): Promise<OrgUnit> {
    const [row] = await db.insert(orgUnits).values(values).returning();
    return row!;
  }

  async findByCode(code: string, db: Database = this.db): Promise<OrgUnit | null> {
    const [row] = await db.select().from(orgUnits).where(eq(orgUnits.code, code));
    return row ?? null;
  }

  async findById(id: string, db: Database = this.db): Promise<OrgUnit | null> {
    const [row] = await db.select().from(orgUnits).where(eq(orgUnits.id, id));
    return row ?? null;
  }

  async list(): Promise<Array<OrgUnit & { parentCode: string | null }>> {
    const rows = await this.db.execute<OrgUnit & { parentCode: string | null }>(sql`
      SELECT o.id, o.code, o.name, o.kind, o.parent_id AS "parentId", o.review_scope AS "reviewScope",
             o.created_at AS "createdAt", p.code AS "parentCode"
      FROM org_units o LEFT JOIN org_units p ON p.id = o.parent_id ORDER BY o.code`);
    return rows.rows;
  }

  /** The org itself first, then its parent, up to the root. */
  async ancestors(orgId: string, db: Database = this.db): Promise<OrgUnit[]> {
    const result = await db.execute<{ id: string; code: string; name: string; kind: OrgKind; parent_id: string | null; review_scope: ReviewScope | null; created_at: Date }>(sql`
      WITH RECURSIVE chain AS (
        SELECT o.*, 0 AS depth FROM org_units o WHERE o.id = ${orgId}
        UNION ALL
        SELECT p.*, chain.depth + 1 FROM org_units p JOIN chain ON p.id = chain.parent_id
      )
      SELECT id, code, name, kind, parent_id, review_scope, created_at FROM chain ORDER BY depth`);
    return result.rows.map((r) => ({ id: r.id, code: r.code, name: r.name, kind: r.kind, parentId: r.parent_id, reviewScope: r.review_scope, createdAt: r.created_at }));
  }

  /** True when `orgId` is `ancestorId` or lies in its subtree. */
  async isWithin(orgId: string, ancestorId: string, db: Database = this.db): Promise<boolean> {
    if (orgId === ancestorId) return true;
    const result = await db.execute(sql`
      WITH RECURSIVE chain AS (
        SELECT id, parent_id FROM org_units WHERE id = ${orgId}
        UNION ALL
        SELECT p.id, p.parent_id FROM org_units p JOIN chain ON p.id = chain.parent_id
      )
      SELECT 1 FROM chain WHERE id = ${ancestorId} LIMIT 1`);
    return (result.rowCount ?? 0) > 0;
  }

  /** Departments with a review scope, each with its parent's kind (computeStages takes only the ministry's own). */
  async departmentsWithScope(db: Database = this.db): Promise<Array<OrgUnit & { parentKind: OrgKind | null }>> {
    const parent = alias(orgUnits, 'parent');
    const rows = await db.select({ org: orgUnits, parentKind: parent.kind }).from(orgUnits)
      .leftJoin(parent, eq(parent.id, orgUnits.parentId))
      .where(sql`${orgUnits.kind} = 'department' AND ${orgUnits.reviewScope} IS NOT NULL`)
      .orderBy(orgUnits.code);
    return rows.map(({ org, parentKind }) => ({ ...org, parentKind }));
  }

  async setParent(id: string, parentId: string, db: Database = this.db): Promise<void> {
    await db.update(orgUnits).set({ parentId }).where(eq(orgUnits.id, id));
  }
}

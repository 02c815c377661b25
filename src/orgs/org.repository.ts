import { eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../core/db/client.js';
import { orgUnits, type ReviewScope } from '../core/db/schema.js';

export type OrgUnit = typeof orgUnits.$inferSelect;
export type OrgKind = OrgUnit['kind'];
export type OrgListed = OrgUnit & { parentCode: string | null; mergedIntoCode: string | null };

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

  async list(): Promise<OrgListed[]> {
    const rows = await this.db.execute<OrgListed>(sql`
      SELECT o.id, o.code, o.name, o.kind, o.parent_id AS "parentId", o.review_scope AS "reviewScope",
             o.created_at AS "createdAt", o.closed_at AS "closedAt", o.merged_into_id AS "mergedIntoId",
             p.code AS "parentCode", m.code AS "mergedIntoCode"
      FROM org_units o LEFT JOIN org_units p ON p.id = o.parent_id LEFT JOIN org_units m ON m.id = o.merged_into_id ORDER BY o.code`);
    return rows.rows;
  }

  /** Code → name of the given orgs, in one query (the search page's province facet). */
  async namesByCode(codes: string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await this.db.select({ code: orgUnits.code, name: orgUnits.name }).from(orgUnits).where(inArray(orgUnits.code, codes));
    return new Map(rows.map((row) => [row.code, row.name]));
  }

  /** The org and every org under it, at any depth. */
  async subtreeIds(orgId: string, db: Database = this.db): Promise<string[]> {
    const result = await db.execute<{ id: string }>(sql`
      WITH RECURSIVE subtree AS (
        SELECT id FROM org_units WHERE id = ${orgId}
        UNION ALL SELECT o.id FROM org_units o JOIN subtree ON o.parent_id = subtree.id
      ) SELECT id FROM subtree`);
    return result.rows.map((r) => r.id);
  }

  async update(id: string, changes: { name?: string; reviewScope?: ReviewScope | null }, db: Database = this.db): Promise<OrgUnit> {
    const [row] = await db.update(orgUnits).set(changes).where(eq(orgUnits.id, id)).returning();
    return row!;
  }

  /** Locks the rows of orgs about to change (a merge, a move), in id order so that two admins cannot deadlock. */
  async lock(ids: string[], db: Database): Promise<void> {
    await db.execute(sql`SELECT id FROM org_units WHERE id IN (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}) ORDER BY id FOR UPDATE`);
  }

  /** The org itself first, then its parent, up to the root. */
  async ancestors(orgId: string, db: Database = this.db): Promise<OrgUnit[]> {
    const result = await db.execute<{ id: string; code: string; name: string; kind: OrgKind; parent_id: string | null; review_scope: ReviewScope | null; created_at: Date; closed_at: Date | null; merged_into_id: string | null }>(sql`
      WITH RECURSIVE chain AS (
        SELECT o.*, 0 AS depth FROM org_units o WHERE o.id = ${orgId}
        UNION ALL
        SELECT p.*, chain.depth + 1 FROM org_units p JOIN chain ON p.id = chain.parent_id
      )
      SELECT id, code, name, kind, parent_id, review_scope, created_at, closed_at, merged_into_id FROM chain ORDER BY depth`);
    return result.rows.map((r) => ({
      id: r.id, code: r.code, name: r.name, kind: r.kind, parentId: r.parent_id, reviewScope: r.review_scope, createdAt: r.created_at,
      closedAt: r.closed_at, mergedIntoId: r.merged_into_id,
    }));
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
      .where(sql`${orgUnits.kind} = 'department' AND ${orgUnits.reviewScope} IS NOT NULL AND ${orgUnits.closedAt} IS NULL`)
      .orderBy(orgUnits.code);
    return rows.map(({ org, parentKind }) => ({ ...org, parentKind }));
  }

  async setParent(id: string, parentId: string, db: Database = this.db): Promise<void> {
    await db.update(orgUnits).set({ parentId }).where(eq(orgUnits.id, id));
  }
}

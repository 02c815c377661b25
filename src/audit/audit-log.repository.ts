import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';

export interface AuditFilter {
  /** Events about this org or any org under it, or about a material of theirs. */
  withinOrgId?: string;
  actorUsername?: string;
  materialId?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

export interface AuditLogEntry {
  id: number;
  at: Date;
  action: string;
  version: number | null;
  data: Record<string, unknown>;
  actor: { username: string; displayName: string } | null;
  org: { code: string; name: string } | null;
  material: { id: string; title: string } | null;
}

/**
 * The trail as administrators read it, filtered and paged, newest first. An event belongs to the
 * org it names, or else to the org of the material it names (which follows the material if it moves).
 */
export class AuditLogRepository {
  constructor(private readonly db: Database) {}

  async search(filter: AuditFilter, page: { limit: number; offset: number }): Promise<{ total: number; items: AuditLogEntry[] }> {
    const conditions: SQL[] = [];
    if (filter.withinOrgId) {
      conditions.push(sql`COALESCE(e.org_id, m.org_id) IN (WITH RECURSIVE subtree AS (
        SELECT id FROM org_units WHERE id = ${filter.withinOrgId}
        UNION ALL SELECT o.id FROM org_units o JOIN subtree ON o.parent_id = subtree.id) SELECT id FROM subtree)`);
    }
    if (filter.actorUsername) conditions.push(sql`u.username = ${filter.actorUsername.toLowerCase()}`);
    if (filter.materialId) conditions.push(sql`e.material_id = ${filter.materialId}`);
    if (filter.action) conditions.push(sql`e.action = ${filter.action}`);
    if (filter.from) conditions.push(sql`e.at >= ${filter.from.toISOString()}`);
    if (filter.to) conditions.push(sql`e.at < ${filter.to.toISOString()}`);
    const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
    const from = sql`FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id LEFT JOIN materials m ON m.id = e.material_id`;
    const total = await this.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n ${from} ${where}`);
    const rows = await this.db.execute<{
      id: string; at: Date; action: string; version: number | null; data: Record<string, unknown>;
      username: string | null; display_name: string | null; org_code: string | null; org_name: string | null; material_id: string | null; title: string | null;
    }>(sql`
      SELECT e.id, e.at, e.action, e.version, e.data, u.username, u.display_name, o.code AS org_code, o.name AS org_name,
             e.material_id, (SELECT v.title FROM material_versions v WHERE v.material_id = m.id AND v.version = m.version) AS title
      ${from} LEFT JOIN org_units o ON o.id = COALESCE(e.org_id, m.org_id)
      ${where} ORDER BY e.id DESC LIMIT ${page.limit} OFFSET ${page.offset}`);
    return {
      total: total.rows[0]!.n,
      items: rows.rows.map((r) => ({
        id: Number(r.id), at: new Date(r.at), action: r.action, version: r.version, data: r.data,
        actor: r.username ? { username: r.username, displayName: r.display_name! } : null,
        org: r.org_code ? { code: r.org_code, name: r.org_name! } : null,
        material: r.material_id ? { id: r.material_id, title: r.title ?? '' } : null,
      })),
    };
  }
}

import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import type { OrgKind } from './org.repository.js';

/** What lives in a set of orgs: the numbers a move or a merge preview shows, and then carries out. */
export interface OrgContents {
  orgs: Array<{ code: string; name: string; kind: OrgKind }>;
  users: number;
  materials: number;
  /** Review tasks still open at one of these orgs' stages. */
  openReviewTasks: number;
  /** Open tasks of these orgs' materials at stages outside them (computed at submission, they stay there). */
  openReviewTasksElsewhere: number;
}

const ids = (list: string[]): SQL => sql`ARRAY[${sql.join(list.map((id) => sql`${id}::uuid`), sql`, `)}]::uuid[]`;

/**
 * The SQL of moving and merging subtrees (a province merger), across the tables that point at orgs.
 * Rows keep their ids, so history (versions, done review tasks, the audit trail) stays as it was.
 */
export class OrgTransferRepository {
  constructor(private readonly db: Database) {}

  async contents(orgIds: string[], db: Database = this.db): Promise<OrgContents> {
    const set = ids(orgIds);
    const orgs = await db.execute<{ code: string; name: string; kind: OrgKind }>(sql`
      SELECT code, name, kind FROM org_units WHERE id = ANY(${set}) ORDER BY kind, name`);
    const counts = await db.execute<Omit<OrgContents, 'orgs'>>(sql`SELECT
      (SELECT count(*) FROM users WHERE org_id = ANY(${set}))::int AS users,
      (SELECT count(*) FROM materials WHERE org_id = ANY(${set}))::int AS materials,
      (SELECT count(*) FROM review_tasks WHERE NOT done AND org_id = ANY(${set}))::int AS "openReviewTasks",
      (SELECT count(*) FROM review_tasks t JOIN materials m ON m.id = t.material_id
        WHERE NOT t.done AND m.org_id = ANY(${set}) AND NOT t.org_id = ANY(${set}))::int AS "openReviewTasksElsewhere"`);
    return { orgs: orgs.rows, ...counts.rows[0]! };
  }

  /** The accounts of one org (those a merge re-homes), with their roles. */
  async accountsOf(orgId: string, db: Database = this.db) {
    const result = await db.execute<{ username: string; displayName: string; roles: string[]; active: boolean }>(sql`
      SELECT username, display_name AS "displayName", roles, active FROM users WHERE org_id = ${orgId} ORDER BY username`);
    return result.rows;
  }

  /**
   * Everything of `fromId` becomes `toId`'s: the orgs under it, its accounts, materials,
   * collections and channels, its open review tasks, and its stage in the chains of versions still
   * in review (so that the next stage opens at the merged org). Done tasks and the trail keep `fromId`.
   */
  async transferAll(fromId: string, to: { id: string; code: string }, db: Database): Promise<Record<string, number>> {
    const moved: Record<string, number> = {};
    const run = async (name: string, query: SQL) => {
      moved[name] = (await db.execute(query)).rowCount ?? 0;
    };
    await run('orgs', sql`UPDATE org_units SET parent_id = ${to.id} WHERE parent_id = ${fromId}`);
    await run('users', sql`UPDATE users SET org_id = ${to.id} WHERE org_id = ${fromId}`);
    await run('materials', sql`UPDATE materials SET org_id = ${to.id} WHERE org_id = ${fromId}`);
    await run('openReviewTasks', sql`UPDATE review_tasks SET org_id = ${to.id} WHERE org_id = ${fromId} AND NOT done`);
    await run('collections', sql`UPDATE collections SET org_id = ${to.id} WHERE org_id = ${fromId}`);
    await run('youtubeChannels', sql`UPDATE youtube_channels SET org_id = ${to.id} WHERE org_id = ${fromId}`);
    await run('broadcastChannels', sql`UPDATE broadcast_channels SET org_id = ${to.id} WHERE org_id = ${fromId}`);
    await run('reviewChains', sql`
      UPDATE material_versions v SET stages = (
        SELECT jsonb_agg(CASE WHEN s->>'orgId' = ${fromId} THEN s || jsonb_build_object('orgId', ${to.id}::text, 'orgCode', ${to.code}::text) ELSE s END ORDER BY n)
        FROM jsonb_array_elements(v.stages) WITH ORDINALITY AS e(s, n))
      WHERE v.stages @> jsonb_build_array(jsonb_build_object('orgId', ${fromId}::text))
        AND EXISTS (SELECT 1 FROM review_tasks t WHERE t.material_id = v.material_id AND t.version = v.version AND NOT t.done)`);
    return moved;
  }

  /** Published materials of these orgs: the search index names their org and province, so it needs them again after a move. */
  async publishedIn(orgIds: string[], db: Database): Promise<string[]> {
    const result = await db.execute<{ id: string }>(sql`SELECT id FROM materials WHERE org_id = ANY(${ids(orgIds)}) AND published_version IS NOT NULL`);
    return result.rows.map((r) => r.id);
  }

  async close(id: string, mergedIntoId: string, db: Database): Promise<void> {
    await db.execute(sql`UPDATE org_units SET closed_at = now(), merged_into_id = ${mergedIntoId} WHERE id = ${id}`);
  }
}

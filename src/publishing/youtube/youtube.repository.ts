import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Database } from '../../core/db/client.js';
import { orgUnits, youtubeChannels, youtubeExports, youtubePlaylists, youtubeProjects } from '../../core/db/schema.js';
import type { ExportState } from './model.js';
import { quotaDay, type ExportCost, type ProjectUsage } from './quota.js';

/** A channel with the code of the org that owns it (what the API shows). */
export type ChannelRow = typeof youtubeChannels.$inferSelect & { orgCode: string };
export type ExportRow = typeof youtubeExports.$inferSelect;
type NewChannel = typeof youtubeChannels.$inferInsert;
type NewExport = typeof youtubeExports.$inferInsert;

/** The SQL of YouTube publishing: channels, the quota of their projects, exports and playlists. */
export class YouTubeRepository {
  constructor(private readonly db: Database) {}

  async insertChannel(orgCode: string, values: NewChannel): Promise<ChannelRow> {
    const [row] = await this.db.insert(youtubeChannels).values(values).returning();
    return { ...row!, orgCode };
  }

  private selectChannels(db: Database) {
    return db.select({ channel: youtubeChannels, orgCode: orgUnits.code }).from(youtubeChannels).innerJoin(orgUnits, eq(orgUnits.id, youtubeChannels.orgId));
  }

  async channel(id: string, db: Database = this.db): Promise<ChannelRow | undefined> {
    const [row] = await this.selectChannels(db).where(and(eq(youtubeChannels.id, id), isNull(youtubeChannels.deletedAt)));
    return row && { ...row.channel, orgCode: row.orgCode };
  }

  async channels(): Promise<ChannelRow[]> {
    const rows = await this.selectChannels(this.db).where(isNull(youtubeChannels.deletedAt)).orderBy(asc(youtubeChannels.createdAt));
    return rows.map((row) => ({ ...row.channel, orgCode: row.orgCode }));
  }

  async updateChannel(id: string, patch: Partial<NewChannel>, db: Database = this.db): Promise<void> {
    await db.update(youtubeChannels).set(patch).where(eq(youtubeChannels.id, id));
  }

  async project(clientId: string): Promise<ProjectUsage & { unverifiedAt: Date | null }> {
    const [row] = await this.db.select().from(youtubeProjects).where(eq(youtubeProjects.clientId, clientId));
    return row ?? { day: quotaDay(new Date()), unitsUsed: 0, uploadsUsed: 0, pausedUntil: null, unverifiedAt: null };
  }

  /**
   * Reserves a cost from today's budget in one statement (counters restart on a new Pacific day),
   * so two workers can never both take the last units. False when it does not fit or the project
   * is paused.
   */
  async reserve(clientId: string, cost: ExportCost, limits: { dailyUnits: number; dailyUploads: number }, now: Date): Promise<boolean> {
    const day = quotaDay(now);
    // Parameters are typed explicitly: untyped, Postgres would compare them as text ('161' > '10000').
    const units = sql`${cost.units}::int`;
    const uploads = sql`${cost.uploads}::int`;
    const maxUnits = sql`${limits.dailyUnits}::int`;
    const maxUploads = sql`${limits.dailyUploads}::int`;
    const result = await this.db.execute(sql`
      INSERT INTO youtube_projects (client_id, day, units_used, uploads_used, updated_at)
      SELECT ${clientId}, ${day}, ${units}, ${uploads}, now()
      WHERE ${units} <= ${maxUnits} AND ${uploads} <= ${maxUploads}
      ON CONFLICT (client_id) DO UPDATE SET
        units_used = CASE WHEN youtube_projects.day = excluded.day THEN youtube_projects.units_used ELSE 0 END + excluded.units_used,
        uploads_used = CASE WHEN youtube_projects.day = excluded.day THEN youtube_projects.uploads_used ELSE 0 END + excluded.uploads_used,
        day = excluded.day, updated_at = now()
      WHERE (youtube_projects.paused_until IS NULL OR youtube_projects.paused_until <= ${now.toISOString()}::timestamptz)
        AND CASE WHEN youtube_projects.day = excluded.day THEN youtube_projects.units_used ELSE 0 END + excluded.units_used <= ${maxUnits}
        AND CASE WHEN youtube_projects.day = excluded.day THEN youtube_projects.uploads_used ELSE 0 END + excluded.uploads_used <= ${maxUploads}
      RETURNING client_id`);
    return result.rows.length === 1;
  }

  /** Google said quotaExceeded: the whole project waits for the reset, whatever our counters say. */
  async pauseProject(clientId: string, until: Date, now: Date): Promise<void> {
    await this.db.insert(youtubeProjects).values({ clientId, day: quotaDay(now), pausedUntil: until })
      .onConflictDoUpdate({ target: youtubeProjects.clientId, set: { pausedUntil: until, updatedAt: now } });
  }

  async markProjectUnverified(clientId: string, at: Date): Promise<void> {
    await this.db.insert(youtubeProjects).values({ clientId, day: quotaDay(at), unverifiedAt: at })
      .onConflictDoUpdate({ target: youtubeProjects.clientId, set: { unverifiedAt: at } });
  }

  /** One export per (version, channel): a concurrent twin gets the existing row and `created: false`. */
  async insertExport(values: NewExport, db: Database = this.db): Promise<{ row: ExportRow; created: boolean }> {
    const [inserted] = await db.insert(youtubeExports).values(values).onConflictDoNothing().returning();
    if (inserted) return { row: inserted, created: true };
    const [existing] = await db.select().from(youtubeExports)
      .where(and(eq(youtubeExports.versionId, values.versionId), eq(youtubeExports.channelId, values.channelId)));
    return { row: existing!, created: false };
  }

  async export(id: string, db: Database = this.db): Promise<ExportRow | undefined> {
    const [row] = await db.select().from(youtubeExports).where(eq(youtubeExports.id, id));
    return row;
  }

  async updateExport(id: string, patch: Partial<NewExport>, db: Database = this.db): Promise<void> {
    await db.update(youtubeExports).set({ ...patch, updatedAt: new Date() }).where(eq(youtubeExports.id, id));
  }

  async exports(filter: { state?: ExportState; channelIds?: string[] }): Promise<ExportRow[]> {
    const conditions = [
      filter.state ? eq(youtubeExports.state, filter.state) : undefined,
      filter.channelIds ? inArray(youtubeExports.channelId, filter.channelIds.length > 0 ? filter.channelIds : ['00000000-0000-0000-0000-000000000000']) : undefined,
    ].filter(Boolean);
    return this.db.select().from(youtubeExports).where(and(...conditions)).orderBy(asc(youtubeExports.createdAt)).limit(1000);
  }

  async exportsOfMaterial(materialId: string, db: Database = this.db): Promise<ExportRow[]> {
    return db.select().from(youtubeExports).where(eq(youtubeExports.materialId, materialId)).orderBy(asc(youtubeExports.createdAt));
  }

  /**
   * Deferred exports whose time has come, moved back to `queued` by this statement (so only one
   * caller gets each). Those without a time wait for the channel's re-authorisation.
   */
  async takeDueDeferred(now: Date, db: Database = this.db): Promise<ExportRow[]> {
    return db.update(youtubeExports).set({ state: 'queued', deferredUntil: null, updatedAt: now })
      .where(and(eq(youtubeExports.state, 'deferred'), lte(youtubeExports.deferredUntil, now)))
      .returning();
  }

  /** The channel whose pending consent carries this nonce, the nonce cleared in the same statement. */
  async takeOAuthNonce(channelId: string, nonce: string): Promise<ChannelRow | undefined> {
    const [row] = await this.db.update(youtubeChannels).set({ oauthNonce: null })
      .where(and(eq(youtubeChannels.id, channelId), eq(youtubeChannels.oauthNonce, nonce), isNull(youtubeChannels.deletedAt))).returning({ id: youtubeChannels.id });
    return row && this.channel(row.id);
  }

  /** Exports of a deleted channel that had not started end now, with the reason. */
  async failWaitingOfChannel(channelId: string, reason: string): Promise<void> {
    await this.db.update(youtubeExports).set({ state: 'failed', reason, deferredUntil: null, updatedAt: new Date() })
      .where(and(eq(youtubeExports.channelId, channelId), inArray(youtubeExports.state, ['queued', 'deferred'])));
  }

  /** After (re-)authorisation, the channel's waiting exports are due at once. */
  async wakeDeferredOfChannel(channelId: string): Promise<void> {
    await this.db.update(youtubeExports).set({ deferredUntil: new Date(), updatedAt: new Date() })
      .where(and(eq(youtubeExports.channelId, channelId), eq(youtubeExports.state, 'deferred'), isNull(youtubeExports.deferredUntil)));
  }

  async playlist(channelId: string, key: string): Promise<string | undefined> {
    const [row] = await this.db.select().from(youtubePlaylists).where(and(eq(youtubePlaylists.channelId, channelId), eq(youtubePlaylists.key, key)));
    return row?.playlistId;
  }

  async savePlaylist(values: typeof youtubePlaylists.$inferInsert): Promise<void> {
    await this.db.insert(youtubePlaylists).values(values).onConflictDoNothing();
  }
}

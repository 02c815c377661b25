import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../core/db/client.js';
import { broadcastChannels, broadcastSlots, orgUnits, type SLOT_STATUSES } from '../../core/db/schema.js';

export type BroadcastChannel = typeof broadcastChannels.$inferSelect;
export type BroadcastSlot = typeof broadcastSlots.$inferSelect;
export type SlotStatus = (typeof SLOT_STATUSES)[number];
type NewChannel = typeof broadcastChannels.$inferInsert;
type NewSlot = typeof broadcastSlots.$inferInsert;

/** A time range wanted on a channel. */
export interface SlotRange {
  channelId: string;
  startsAt: Date;
  endsAt: Date;
}

/** An existing slot that a wanted range runs into, with what the clash message names. */
export interface Clash {
  /** Position of the wanted range in the list given to `clashes`. */
  index: number;
  slotId: string;
  materialId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
}

/** The playable file of a published version and what processing learnt of it. */
export interface LessonMedia {
  mime: string;
  state: string | null;
  durationSeconds: number | null;
}

/** A slot as the schedule shows it: its channel, the version of the material it airs, its episode number. */
// A type alias, not an interface: drizzle's execute<T> wants a record type.
export type ScheduleRow = {
  id: string;
  channelId: string;
  channelCode: string;
  channelName: string;
  channelKind: 'tv' | 'radio';
  channelTimezone: string;
  materialId: string;
  version: number;
  startsAt: Date;
  endsAt: Date;
  status: SlotStatus;
  createdAt: Date;
  title: string;
  description: string | null;
  level: string;
  grades: number[];
  subject: string;
  series: string | null;
  /** Rank of the lesson among the lessons of its subject and first grade on the channel, by first airing. */
  episode: number;
};

/** Postgres text literal of an array; the values are uuids and ISO timestamps, which need no quoting. */
const arrayLiteral = (values: string[]) => `{${values.join(',')}}`;

/** The SQL of the broadcast schedule: channels, slots and the lesson media they need. */
export class BroadcastRepository {
  constructor(private readonly db: Database) {}

  async insertChannel(values: NewChannel, db: Database = this.db): Promise<BroadcastChannel> {
    const [row] = await db.insert(broadcastChannels).values(values).returning();
    return row!;
  }

  async channelByCode(code: string): Promise<BroadcastChannel | null> {
    const [row] = await this.db.select().from(broadcastChannels).where(eq(broadcastChannels.code, code));
    return row ?? null;
  }

  async channelById(id: string, db: Database = this.db): Promise<BroadcastChannel | null> {
    const [row] = await db.select().from(broadcastChannels).where(eq(broadcastChannels.id, id));
    return row ?? null;
  }

  async channels(): Promise<Array<BroadcastChannel & { orgCode: string }>> {
    const rows = await this.db.select({ channel: broadcastChannels, orgCode: orgUnits.code }).from(broadcastChannels)
      .innerJoin(orgUnits, eq(orgUnits.id, broadcastChannels.orgId)).orderBy(asc(broadcastChannels.code));
    return rows.map(({ channel, orgCode }) => ({ ...channel, orgCode }));
  }

  /** Inserts slots; the exclusion constraint `broadcast_slots_no_overlap` refuses the statement if any overlaps. */
  async insertSlots(values: NewSlot[], db: Database): Promise<BroadcastSlot[]> {
    return db.insert(broadcastSlots).values(values).returning();
  }

  async slot(id: string, db: Database = this.db, options: { forUpdate?: boolean } = {}): Promise<BroadcastSlot | null> {
    const query = db.select().from(broadcastSlots).where(eq(broadcastSlots.id, id));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row ?? null;
  }

  async setStatus(id: string, status: SlotStatus, db: Database): Promise<BroadcastSlot> {
    const [row] = await db.update(broadcastSlots).set({ status }).where(eq(broadcastSlots.id, id)).returning();
    return row!;
  }

  /** Moves a slot; the exclusion constraint refuses the statement if the new time overlaps another slot. */
  async moveSlot(id: string, range: { startsAt: Date; endsAt: Date }, db: Database): Promise<BroadcastSlot> {
    const [row] = await db.update(broadcastSlots).set(range).where(eq(broadcastSlots.id, id)).returning();
    return row!;
  }

  async deleteSlot(id: string, db: Database): Promise<void> {
    await db.delete(broadcastSlots).where(eq(broadcastSlots.id, id));
  }

  /**
   * Every existing slot each wanted range overlaps, in one query. Ranges are half-open like the
   * constraint's `tstzrange`, so a lesson may start the second the previous one ends. A slot being
   * moved (`except`) is not in its own way.
   */
  async clashes(ranges: SlotRange[], db: Database = this.db, except?: string): Promise<Clash[]> {
    if (ranges.length === 0) return [];
    const result = await db.execute<{ index: number; slot_id: string; material_id: string; title: string; starts_at: string; ends_at: string }>(sql`
      SELECT (r.ord - 1)::int AS index, s.id AS slot_id, s.material_id, v.title, s.starts_at, s.ends_at
      FROM unnest(${arrayLiteral(ranges.map((r) => r.channelId))}::uuid[],
                  ${arrayLiteral(ranges.map((r) => r.startsAt.toISOString()))}::timestamptz[],
                  ${arrayLiteral(ranges.map((r) => r.endsAt.toISOString()))}::timestamptz[]) WITH ORDINALITY AS r(channel_id, starts_at, ends_at, ord)
      JOIN broadcast_slots s ON s.channel_id = r.channel_id AND tstzrange(s.starts_at, s.ends_at) && tstzrange(r.starts_at, r.ends_at)
        ${except ? sql`AND s.id <> ${except}` : sql``}
      JOIN material_versions v ON v.material_id = s.material_id AND v.version = s.version
      ORDER BY r.ord, s.starts_at`);
    return result.rows.map((row) => ({
      index: row.index, slotId: row.slot_id, materialId: row.material_id, title: row.title,
      startsAt: new Date(row.starts_at), endsAt: new Date(row.ends_at),
    }));
  }

  /**
   * The video and audio files of a version with their processing state and duration (from the
   * probe stored in `media_processing.metadata`), oldest first.
   */
  async lessonMedia(versionId: string): Promise<LessonMedia[]> {
    const result = await this.db.execute<{ mime: string; state: string | null; duration: string | null }>(sql`
      SELECT f.mime, p.state, p.metadata->>'durationSeconds' AS duration
      FROM version_files f LEFT JOIN media_processing p ON p.sha256 = f.sha256
      WHERE f.version_id = ${versionId} AND (f.mime LIKE 'video/%' OR f.mime LIKE 'audio/%')
      ORDER BY f.created_at, f.id`);
    return result.rows.map((row) => ({ mime: row.mime, state: row.state, durationSeconds: row.duration === null ? null : Number(row.duration) }));
  }

  /**
   * Slots overlapping [from, to), on one channel or all, in channel and time order. Episode numbers
   * count every slot of the channel, also those outside the window, so they do not depend on it.
   */
  async schedule(filter: { channelId?: string; from: Date; to: Date }): Promise<ScheduleRow[]> {
    const onChannel = filter.channelId ? sql`AND s.channel_id = ${filter.channelId}` : sql``;
    const result = await this.db.execute<ScheduleRow>(sql`
      WITH firsts AS (
        SELECT DISTINCT ON (s.channel_id, s.material_id) s.channel_id, s.material_id, s.starts_at, v.subject, v.grades[1] AS grade
        FROM broadcast_slots s JOIN material_versions v ON v.material_id = s.material_id AND v.version = s.version
        WHERE true ${onChannel}
        ORDER BY s.channel_id, s.material_id, s.starts_at
      ), episodes AS (
        SELECT channel_id, material_id,
               row_number() OVER (PARTITION BY channel_id, subject, grade ORDER BY starts_at, material_id)::int AS episode
        FROM firsts
      )
      SELECT s.id, s.channel_id AS "channelId", c.code AS "channelCode", c.name AS "channelName", c.kind AS "channelKind",
             c.timezone AS "channelTimezone", s.material_id AS "materialId", s.version, s.starts_at AS "startsAt", s.ends_at AS "endsAt",
             s.status, s.created_at AS "createdAt", v.title, v.description, v.level, v.grades, v.subject, v.series, e.episode
      FROM broadcast_slots s
      JOIN broadcast_channels c ON c.id = s.channel_id
      JOIN material_versions v ON v.material_id = s.material_id AND v.version = s.version
      JOIN episodes e ON e.channel_id = s.channel_id AND e.material_id = s.material_id
      -- An archived lesson is withdrawn: TV guides must not list it (its link would lead nowhere).
      JOIN materials m ON m.id = s.material_id AND m.status <> 'archived'
      WHERE s.starts_at < ${filter.to.toISOString()} AND s.ends_at > ${filter.from.toISOString()} ${onChannel}
      ORDER BY c.code, s.starts_at`);
    return result.rows.map((row) => ({ ...row, startsAt: new Date(row.startsAt), endsAt: new Date(row.endsAt), createdAt: new Date(row.createdAt) }));
  }

  /** Where and when a material was (or will be) broadcast, latest first. */
  async slotsOfMaterial(materialId: string): Promise<Array<BroadcastSlot & { channel: Pick<BroadcastChannel, 'code' | 'name' | 'kind'> }>> {
    const rows = await this.db.select({ slot: broadcastSlots, code: broadcastChannels.code, name: broadcastChannels.name, kind: broadcastChannels.kind })
      .from(broadcastSlots).innerJoin(broadcastChannels, eq(broadcastChannels.id, broadcastSlots.channelId))
      .where(eq(broadcastSlots.materialId, materialId))
      .orderBy(sql`${broadcastSlots.startsAt} DESC`);
    return rows.map(({ slot, code, name, kind }) => ({ ...slot, channel: { code, name, kind } }));
  }
}

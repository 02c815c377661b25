import { materialUrl } from '../../materials/material-url.js';
import type { AuditRepository } from '../../audit/audit.repository.js';
import { requireRole, type Principal } from '../../auth/principal.js';
import { isUniqueViolation, type Db, type Tx } from '../../core/db/client.js';
import { AppError, type Language } from '../../core/errors.js';
import { MaterialAccess } from '../../materials/material-access.js';
import type { MaterialRepository, MaterialVersion } from '../../materials/material.repository.js';
import type { MaterialService } from '../../materials/material.service.js';
import type { OrgRepository } from '../../orgs/org.repository.js';
import type { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import type { BroadcastChannel, BroadcastRepository, BroadcastSlot, Clash, ScheduleRow, SlotRange, SlotStatus } from './broadcast.repository.js';
import { buildIcs } from './icalendar.js';
import type { NamedTerm, ScheduleChannel, ScheduleEntry } from './schedule-entry.js';
import { buildXmltv } from './xmltv.js';
import { displayDuration, displayTime, DISPLAY_TIMEZONE, isoInZone, isTimeZone, startOfDay } from '../../core/zoned-time.js';

export type ChannelKind = 'tv' | 'radio';

export interface CreateChannelInput {
  code: string;
  name: string;
  kind: ChannelKind;
  timezone?: string;
  /** The org whose publishers run the channel; the caller's own org when absent. */
  orgCode?: string;
}

export interface SlotInput {
  channelCode: string;
  materialId: string;
  /** ISO 8601 with an offset. */
  start: string;
  /** Defaults to start + the lesson's duration. */
  end?: string;
}

export type ScheduleFormat = 'json' | 'xmltv' | 'ics';

export interface ScheduleQuery {
  channel?: string;
  from?: string;
  to?: string;
}

/** A row of a bulk import that cannot be saved, and why. */
export interface ImportProblem {
  index: number;
  code: string;
  message: string;
  clash?: { slotId?: string; index?: number; materialId: string; title: string; start: string; end: string };
}

/** What each kind of channel airs: TV lessons on television, audio lessons (bài học phát thanh) on radio. */
const AIRS: Record<ChannelKind, { materialType: string; mimePrefix: string }> = {
  tv: { materialType: 'tv-lesson', mimePrefix: 'video/' },
  radio: { materialType: 'audio', mimePrefix: 'audio/' },
};

const DEFAULT_RANGE_DAYS = 7;
const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;
/** Overlap refusals are retried this often when the slot ran into was deleted before it could be named. */
const INSERT_ATTEMPTS = 3;

/** Postgres refused a row by the exclusion constraint that keeps a channel's slots apart (SQLSTATE 23P01). */
function isOverlapViolation(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const inner = e?.code ? e : e?.cause;
  return inner?.code === '23P01' && inner.constraint === 'broadcast_slots_no_overlap';
}

interface Lesson {
  materialId: string;
  version: MaterialVersion;
  durationSeconds: number;
}

/**
 * Channels and lessons already checked during one request, by channel code and by channel kind +
 * material: a file of a thousand rows names a few of each. Failures are cached too (same answer).
 */
interface CheckCache {
  channels: Map<string, Promise<BroadcastChannel>>;
  lessons: Map<string, Promise<Lesson>>;
}
const newCheckCache = (): CheckCache => ({ channels: new Map(), lessons: new Map() });

/** A slot checked and ready to insert. */
interface WantedSlot extends SlotRange {
  channel: BroadcastChannel;
  lesson: Lesson;
}

/**
 * The broadcast schedule of TV and radio channels: who may plan it, which lessons can air, slots
 * that never overlap (the database's exclusion constraint decides under concurrency; this names
 * the clash), and the public schedule as JSON, XMLTV and iCalendar.
 */
export class BroadcastService {
  constructor(
    private readonly db: Db,
    private readonly repository: BroadcastRepository,
    private readonly materialRows: MaterialRepository,
    private readonly materials: MaterialService,
    private readonly orgs: OrgRepository,
    private readonly taxonomy: TaxonomyService,
    private readonly audit: AuditRepository,
    private readonly config: { publicUrl: string },
  ) {}

  /** Admins, and publishers of the org or of an org above it. */
  private async canManage(principal: Principal, orgId: string): Promise<boolean> {
    if (principal.roles.includes('admin')) return true;
    return principal.roles.includes('publisher') && this.orgs.isWithin(orgId, principal.orgId);
  }

  async createChannel(principal: Principal | null, input: CreateChannelInput) {
    const actor = requireRole(principal, 'publisher');
    const timezone = input.timezone ?? DISPLAY_TIMEZONE;
    if (!isTimeZone(timezone)) throw new AppError('UNKNOWN_TIMEZONE', { timezone });
    const org = input.orgCode ? await this.orgs.findByCode(input.orgCode) : await this.orgs.findById(actor.orgId);
    if (!org) throw new AppError('UNKNOWN_ORG', { code: input.orgCode ?? '' });
    if (!(await this.canManage(actor, org.id))) throw new AppError('FORBIDDEN');
    try {
      const channel = await this.db.transaction(async (tx) => {
        const created = await this.repository.insertChannel({ code: input.code, name: input.name, kind: input.kind, orgId: org.id, timezone, createdBy: actor.id }, tx.db);
        await this.audit.record({ actorId: actor.id, action: 'broadcast_channel_created', orgId: org.id, data: { code: created.code, kind: created.kind } }, tx.db);
        return created;
      });
      return presentChannel(channel, org.code);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('BROADCAST_CHANNEL_CODE_TAKEN', { code: input.code });
      throw error;
    }
  }

  /** Public: the channels are what the public schedule is about. */
  async listChannels() {
    return { items: (await this.repository.channels()).map((channel) => presentChannel(channel, channel.orgCode)) };
  }

  /** The channels whose schedule the caller plans (the publisher console's week grids). */
  async managedChannels(principal: Principal | null) {
    const actor = requireRole(principal, 'publisher');
    const managed = [];
    for (const channel of await this.repository.channels()) if (await this.canManage(actor, channel.orgId)) managed.push(presentChannel(channel, channel.orgCode));
    return { items: managed };
  }

  async createSlot(principal: Principal | null, input: SlotInput) {
    const actor = requireRole(principal, 'publisher');
    const wanted = await this.check(actor, input, newCheckCache());
    const [slot] = await this.insert(actor, [wanted], (clashes) => overlapError(wanted.channel, clashes[0]!));
    return presentSlot(slot!, wanted.channel);
  }

  /**
   * All or nothing: every row is checked (channel, permission, lesson, length), then the rows
   * against each other and against the saved schedule. Any problem refuses the whole file with
   * every problem and its row index; otherwise all rows go in one transaction.
   */
  async importSlots(principal: Principal | null, rows: SlotInput[], lang: Language, options: { dryRun?: boolean } = {}) {
    const actor = requireRole(principal, 'publisher');
    const problems: ImportProblem[] = [];
    const wanted: Array<WantedSlot & { index: number }> = [];
    const cache = newCheckCache();
    for (const [index, row] of rows.entries()) {
      try {
        wanted.push({ ...(await this.check(actor, row, cache)), index });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        problems.push({ index, code: error.code, message: error.describe(lang) });
      }
    }
    problems.push(...overlapsWithin(wanted, lang));
    const describeClashes = (clashes: Clash[]) => clashes.map((clash): ImportProblem => {
      const row = wanted[clash.index]!;
      const error = overlapError(row.channel, clash);
      return { index: row.index, code: error.code, message: error.describe(lang), clash: presentClash(clash) };
    });
    problems.push(...describeClashes(await this.repository.clashes(wanted)));
    if (problems.length > 0) throw importFailed(problems);
    if (options.dryRun) return { imported: 0, slots: [] };

    const slots = await this.insert(actor, wanted, (clashes) => importFailed(describeClashes(clashes)));
    return { imported: slots.length, slots: slots.map((slot, i) => presentSlot(slot, wanted[i]!.channel)) };
  }

  /** One row: a channel the caller manages, a lesson it can air, and a slot at least as long as the lesson. */
  private async check(actor: Principal, input: SlotInput, cache: CheckCache): Promise<WantedSlot> {
    if (!cache.channels.has(input.channelCode)) cache.channels.set(input.channelCode, this.managedChannel(actor, input.channelCode));
    const channel = await cache.channels.get(input.channelCode)!;
    const key = `${channel.kind}:${input.materialId}`;
    if (!cache.lessons.has(key)) cache.lessons.set(key, this.lesson(input.materialId, channel));
    const lesson = await cache.lessons.get(key)!;
    const startsAt = new Date(input.start);
    const endsAt = input.end ? new Date(input.end) : new Date(startsAt.getTime() + Math.ceil(lesson.durationSeconds) * 1000);
    const slotMs = endsAt.getTime() - startsAt.getTime();
    if (slotMs < lesson.durationSeconds * 1000) {
      throw new AppError('BROADCAST_SLOT_TOO_SHORT', { slot: displayDuration(Math.max(0, slotMs) / 1000), lesson: displayDuration(lesson.durationSeconds) });
    }
    return { channel, lesson, channelId: channel.id, startsAt, endsAt };
  }

  private async managedChannel(actor: Principal, code: string): Promise<BroadcastChannel> {
    const channel = await this.repository.channelByCode(code);
    if (!channel) throw AppError.notFound('channel');
    if (!(await this.canManage(actor, channel.orgId))) throw new AppError('FORBIDDEN');
    return channel;
  }

  /** The published version of a material the channel can air, and its duration from the processed media. */
  private async lesson(materialId: string, channel: BroadcastChannel): Promise<Lesson> {
    const material = await this.materialRows.find(materialId);
    if (!material) throw AppError.notFound('material');
    // Unpublished materials are refused before their type is named: a draft's details stay private.
    if (!MaterialAccess.isPublic(material)) throw new AppError('BROADCAST_NOT_PUBLISHED');
    const airs = AIRS[channel.kind];
    if (material.type !== airs.materialType) throw new AppError('BROADCAST_WRONG_TYPE', { channel: channel.code, expected: airs.materialType, type: material.type });
    const version = (await this.materialRows.version(material.id, material.publishedVersion!))!;
    const media = (await this.repository.lessonMedia(version.id)).find((file) => file.mime.startsWith(airs.mimePrefix));
    if (!media) throw new AppError('BROADCAST_NO_MEDIA');
    if (media.state !== 'ready' || !media.durationSeconds) throw new AppError('BROADCAST_MEDIA_NOT_READY');
    return { materialId: material.id, version, durationSeconds: media.durationSeconds };
  }

  /**
   * Inserts the slots in one transaction. The exclusion constraint is the judge: when it refuses,
   * the slots run into are looked up to name them. If they were deleted in between, the time is
   * free again and the insert is retried.
   */
  private async insert(actor: Principal, wanted: WantedSlot[], refusal: (clashes: Clash[]) => AppError): Promise<BroadcastSlot[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(async (tx) => {
          const slots = await this.repository.insertSlots(wanted.map((w) => ({
            channelId: w.channelId, materialId: w.lesson.materialId, version: w.lesson.version.version,
            startsAt: w.startsAt, endsAt: w.endsAt, createdBy: actor.id,
          })), tx.db);
          for (const slot of slots) {
            await this.audit.record({
              actorId: actor.id, action: 'broadcast_slot_created', materialId: slot.materialId, version: slot.version,
              data: { slotId: slot.id, channelId: slot.channelId, startsAt: slot.startsAt.toISOString(), endsAt: slot.endsAt.toISOString() },
            }, tx.db);
          }
          return slots;
        });
      } catch (error) {
        if (!isOverlapViolation(error)) throw error;
        const clashes = await this.repository.clashes(wanted);
        if (clashes.length > 0) throw refusal(clashes);
        if (attempt === INSERT_ATTEMPTS) throw error;
      }
    }
  }

  /** A slot of a channel the caller manages, locked for the change. */
  private async changeSlot<T>(principal: Principal | null, id: string, change: (slot: BroadcastSlot, channel: BroadcastChannel, actor: Principal, tx: Tx) => Promise<T>): Promise<T> {
    const actor = requireRole(principal, 'publisher');
    return this.db.transaction(async (tx) => {
      const slot = await this.repository.slot(id, tx.db, { forUpdate: true });
      if (!slot) throw AppError.notFound('slot');
      const channel = (await this.repository.channelById(slot.channelId, tx.db))!;
      if (!(await this.canManage(actor, channel.orgId))) throw new AppError('FORBIDDEN');
      return change(slot, channel, actor, tx);
    });
  }

  /** After its start, a slot is marked aired or missed (and may be corrected later). */
  async setStatus(principal: Principal | null, id: string, status: Exclude<SlotStatus, 'scheduled'>, now = new Date()) {
    return this.changeSlot(principal, id, async (slot, channel, actor, tx) => {
      if (slot.startsAt > now) throw new AppError('BROADCAST_SLOT_NOT_STARTED', { start: displayTime(slot.startsAt) });
      const updated = await this.repository.setStatus(slot.id, status, tx.db);
      await this.audit.record({ actorId: actor.id, action: 'broadcast_slot_status', materialId: slot.materialId, version: slot.version, data: { slotId: slot.id, from: slot.status, to: status } }, tx.db);
      return presentSlot(updated, channel);
    });
  }

  /**
   * A slot still to come moved to another start on its channel, keeping its length. The exclusion
   * constraint judges the new time; a refusal names the slot run into, as for a new slot.
   */
  async moveSlot(principal: Principal | null, id: string, start: string, now = new Date()) {
    const startsAt = new Date(start);
    for (let attempt = 1; ; attempt++) {
      let wanted: (SlotRange & { channel: BroadcastChannel }) | null = null;
      try {
        return await this.changeSlot(principal, id, async (slot, channel, actor, tx) => {
          if (slot.status !== 'scheduled' || slot.startsAt <= now) throw new AppError('BROADCAST_SLOT_MOVE_LOCKED');
          wanted = { channel, channelId: channel.id, startsAt, endsAt: new Date(startsAt.getTime() + slot.endsAt.getTime() - slot.startsAt.getTime()) };
          const moved = await this.repository.moveSlot(slot.id, { startsAt: wanted.startsAt, endsAt: wanted.endsAt }, tx.db);
          await this.audit.record({
            actorId: actor.id, action: 'broadcast_slot_moved', materialId: slot.materialId, version: slot.version,
            data: { slotId: slot.id, from: slot.startsAt.toISOString(), startsAt: moved.startsAt.toISOString(), endsAt: moved.endsAt.toISOString() },
          }, tx.db);
          return presentSlot(moved, channel);
        });
      } catch (error) {
        const range = wanted as (SlotRange & { channel: BroadcastChannel }) | null;
        if (!isOverlapViolation(error) || !range) throw error;
        const [clash] = await this.repository.clashes([range], undefined, id);
        if (clash) throw overlapError(range.channel, clash);
        if (attempt === INSERT_ATTEMPTS) throw error;
      }
    }
  }

  /** Only a slot still to come can be withdrawn; one that has started is history, to be marked instead. */
  async deleteSlot(principal: Principal | null, id: string, now = new Date()): Promise<void> {
    await this.changeSlot(principal, id, async (slot, channel, actor, tx) => {
      if (slot.status !== 'scheduled' || slot.startsAt <= now) throw new AppError('BROADCAST_SLOT_LOCKED');
      await this.repository.deleteSlot(slot.id, tx.db);
      await this.audit.record({
        actorId: actor.id, action: 'broadcast_slot_deleted', materialId: slot.materialId, version: slot.version,
        data: { slotId: slot.id, channel: channel.code, startsAt: slot.startsAt.toISOString(), endsAt: slot.endsAt.toISOString() },
      }, tx.db);
    });
  }

  /**
   * The public schedule between `from` (default: today 00:00, Vietnam time) and `to` (default:
   * a week later), on one channel or all, in the requested format.
   */
  async schedule(query: ScheduleQuery, format: ScheduleFormat): Promise<{ contentType: string; body: string | object }> {
    const from = query.from ? new Date(query.from) : startOfDay(new Date());
    const to = query.to ? new Date(query.to) : new Date(from.getTime() + DEFAULT_RANGE_DAYS * DAY_MS);
    if (to <= from || to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw new AppError('SCHEDULE_RANGE_INVALID', { days: MAX_RANGE_DAYS });
    const channel = query.channel ? await this.repository.channelByCode(query.channel) : null;
    if (query.channel && !channel) throw AppError.notFound('channel');
    const channels = (channel ? [channel] : await this.repository.channels()).map(scheduleChannel);
    const entries = this.entries(await this.repository.schedule({ channelId: channel?.id, from, to }));

    if (format === 'xmltv') {
      return { contentType: 'application/xml; charset=utf-8', body: buildXmltv(channels, entries, { name: 'Hoclieu — Kho học liệu số dùng chung', url: this.config.publicUrl }) };
    }
    if (format === 'ics') {
      const name = channel ? `Lịch phát sóng ${channel.name}` : 'Lịch phát sóng bài giảng';
      return { contentType: 'text/calendar; charset=utf-8', body: buildIcs(entries, { name, host: new URL(this.config.publicUrl).host }) };
    }
    return {
      contentType: 'application/json; charset=utf-8',
      body: {
        from: isoInZone(from), to: isoInZone(to), timezone: DISPLAY_TIMEZONE, channels,
        items: entries.map((entry) => ({
          id: entry.id, channel: { code: entry.channel.code, name: entry.channel.name, kind: entry.channel.kind },
          start: isoInZone(entry.start), end: isoInZone(entry.end), status: entry.status, episode: entry.episode, material: entry.material,
        })),
      },
    };
  }

  /** Slot rows with the names of their taxonomy terms and the link back to the material. */
  private entries(rows: ScheduleRow[]): ScheduleEntry[] {
    const terms = this.taxonomy.document();
    const named = (list: Array<{ code: string; name: string }>) => new Map(list.map((term) => [term.code, term.name]));
    const levels = named(terms.levels);
    const subjects = named(terms.subjects);
    const series = named(terms.series);
    const grades = new Map(terms.grades.map((g) => [g.grade, g.name]));
    // A retired term keeps its code as its name: the lesson was classified under it.
    const term = (names: Map<string, string>, code: string): NamedTerm => ({ code, name: names.get(code) ?? code });
    return rows.map((row) => ({
      id: row.id,
      channel: { code: row.channelCode, name: row.channelName, kind: row.channelKind, timezone: row.channelTimezone },
      start: row.startsAt, end: row.endsAt, status: row.status, createdAt: row.createdAt, episode: row.episode,
      material: {
        id: row.materialId, version: row.version, title: row.title, description: row.description,
        url: materialUrl(this.config.publicUrl, row.materialId, row.title),
        level: term(levels, row.level),
        grades: row.grades.map((grade) => ({ grade, name: grades.get(grade) ?? `Lớp ${grade}` })),
        subject: term(subjects, row.subject),
        series: row.series ? term(series, row.series) : null,
      },
    }));
  }

  /** Where and when a material was or will be broadcast; visible to whoever can see the material. */
  async broadcastsOf(principal: Principal | null, materialId: string) {
    await this.materials.readable(principal, materialId);
    const slots = await this.repository.slotsOfMaterial(materialId);
    return {
      items: slots.map((slot) => ({
        id: slot.id, channel: slot.channel, version: slot.version,
        start: isoInZone(slot.startsAt), end: isoInZone(slot.endsAt), status: slot.status,
      })),
    };
  }
}

function presentChannel(channel: BroadcastChannel, orgCode: string) {
  return { id: channel.id, code: channel.code, name: channel.name, kind: channel.kind, timezone: channel.timezone, orgCode, createdAt: channel.createdAt };
}

function scheduleChannel(channel: BroadcastChannel): ScheduleChannel {
  return { code: channel.code, name: channel.name, kind: channel.kind, timezone: channel.timezone };
}

function presentSlot(slot: BroadcastSlot, channel: BroadcastChannel) {
  return {
    id: slot.id, channel: { code: channel.code, name: channel.name, kind: channel.kind }, materialId: slot.materialId, version: slot.version,
    start: isoInZone(slot.startsAt), end: isoInZone(slot.endsAt), status: slot.status,
  };
}

function presentClash(clash: Clash) {
  return { slotId: clash.slotId, materialId: clash.materialId, title: clash.title, start: isoInZone(clash.startsAt), end: isoInZone(clash.endsAt) };
}

function overlapError(channel: BroadcastChannel, clash: Clash): AppError {
  return new AppError('BROADCAST_OVERLAP',
    { channel: channel.code, title: clash.title, start: displayTime(clash.startsAt), end: displayTime(clash.endsAt) },
    { clash: presentClash(clash) });
}

function importFailed(problems: ImportProblem[]): AppError {
  const sorted = [...problems].sort((a, b) => a.index - b.index);
  return new AppError('BROADCAST_IMPORT_FAILED', { count: sorted.length }, { errors: sorted });
}

/**
 * Every pair of rows of one file that overlap on a channel, reported on the later row naming the
 * earlier. Rows are swept in time order per channel, keeping those still running.
 */
function overlapsWithin(rows: Array<WantedSlot & { index: number }>, lang: Language): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const byChannel = new Map<string, Array<WantedSlot & { index: number }>>();
  for (const row of rows) byChannel.set(row.channelId, [...(byChannel.get(row.channelId) ?? []), row]);
  for (const channelRows of byChannel.values()) {
    channelRows.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.index - b.index);
    let running: Array<WantedSlot & { index: number }> = [];
    for (const row of channelRows) {
      running = running.filter((other) => other.endsAt > row.startsAt);
      for (const other of running) {
        const [earlier, later] = other.index < row.index ? [other, row] : [row, other];
        const error = new AppError('BROADCAST_OVERLAP_IN_FILE', {
          other: earlier.index, channel: row.channel.code, title: earlier.lesson.version.title,
          start: displayTime(earlier.startsAt), end: displayTime(earlier.endsAt),
        });
        problems.push({
          index: later.index, code: error.code, message: error.describe(lang),
          clash: { index: earlier.index, materialId: earlier.lesson.materialId, title: earlier.lesson.version.title, start: isoInZone(earlier.startsAt), end: isoInZone(earlier.endsAt) },
        });
      }
      running.push(row);
    }
  }
  return problems;
}

import type { AuditRepository } from '../../audit/audit.repository.js';
import { requireRole, type Principal } from '../../auth/principal.js';
import { isUniqueViolation, type Db, type Tx } from '../../core/db/client.js';
import { AppError, type Language } from '../../core/errors.js';
import { displayTime, DISPLAY_TIMEZONE, isoInZone, isTimeZone } from '../../core/zoned-time.js';
import type { MaterialRepository } from '../../materials/material.repository.js';
import type { MaterialService } from '../../materials/material.service.js';
import type { OrgRepository } from '../../orgs/org.repository.js';
import type { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import type { BroadcastChannel, BroadcastRepository, BroadcastSlot, SlotRange, SlotStatus } from './broadcast.repository.js';
import { overlapError, presentChannel, presentSlot } from './broadcast-present.js';
import { PublicSchedule, type ScheduleFormat, type ScheduleQuery } from './public-schedule.js';
import { importSlots } from './slot-import.js';
import { INSERT_ATTEMPTS, isOverlapViolation, newCheckCache, SlotPlanner, type ChannelKind, type SlotInput } from './slot-planner.js';

export interface CreateChannelInput {
  code: string;
  name: string;
  kind: ChannelKind;
  timezone?: string;
  /** The org whose publishers run the channel; the caller's own org when absent. */
  orgCode?: string;
}

/**
 * The broadcast schedule of TV and radio channels: who may plan it, which lessons can air, slots
 * that never overlap (the database's exclusion constraint decides under concurrency; this names
 * the clash), and the public schedule as JSON, XMLTV and iCalendar. The rules for new slots are in
 * SlotPlanner, file imports in slot-import.ts, the public formats in PublicSchedule.
 */
export class BroadcastService {
  private readonly planner: SlotPlanner;
  private readonly publicSchedule: PublicSchedule;

  constructor(
    private readonly db: Db,
    private readonly repository: BroadcastRepository,
    materialRows: MaterialRepository,
    private readonly materials: MaterialService,
    private readonly orgs: OrgRepository,
    taxonomy: TaxonomyService,
    private readonly audit: AuditRepository,
    config: { publicUrl: string },
  ) {
    this.planner = new SlotPlanner(db, repository, materialRows, orgs, audit);
    this.publicSchedule = new PublicSchedule(repository, taxonomy, config);
  }

  async createChannel(principal: Principal | null, input: CreateChannelInput) {
    const actor = requireRole(principal, 'publisher');
    const timezone = input.timezone ?? DISPLAY_TIMEZONE;
    if (!isTimeZone(timezone)) throw new AppError('UNKNOWN_TIMEZONE', { timezone });
    const org = input.orgCode ? await this.orgs.findByCode(input.orgCode) : await this.orgs.findById(actor.orgId);
    if (!org) throw new AppError('UNKNOWN_ORG', { code: input.orgCode ?? '' });
    if (!(await this.planner.canManage(actor, org.id))) throw new AppError('FORBIDDEN');
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
    for (const channel of await this.repository.channels()) if (await this.planner.canManage(actor, channel.orgId)) managed.push(presentChannel(channel, channel.orgCode));
    return { items: managed };
  }

  async createSlot(principal: Principal | null, input: SlotInput) {
    const actor = requireRole(principal, 'publisher');
    const wanted = await this.planner.check(actor, input, newCheckCache());
    const [slot] = await this.planner.insert(actor, [wanted], (clashes) => overlapError(wanted.channel, clashes[0]!));
    return presentSlot(slot!, wanted.channel);
  }

  /** A file of slots, all or nothing (see importSlots). */
  async importSlots(principal: Principal | null, rows: SlotInput[], lang: Language, options: { dryRun?: boolean } = {}) {
    return importSlots(this.planner, this.repository, requireRole(principal, 'publisher'), rows, lang, options);
  }

  /** A slot of a channel the caller manages, locked for the change. */
  private async changeSlot<T>(principal: Principal | null, id: string, change: (slot: BroadcastSlot, channel: BroadcastChannel, actor: Principal, tx: Tx) => Promise<T>): Promise<T> {
    const actor = requireRole(principal, 'publisher');
    return this.db.transaction(async (tx) => {
      const slot = await this.repository.slot(id, tx.db, { forUpdate: true });
      if (!slot) throw AppError.notFound('slot');
      const channel = (await this.repository.channelById(slot.channelId, tx.db))!;
      if (!(await this.planner.canManage(actor, channel.orgId))) throw new AppError('FORBIDDEN');
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

  async schedule(query: ScheduleQuery, format: ScheduleFormat): Promise<{ contentType: string; body: string | object }> {
    return this.publicSchedule.render(query, format);
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

import type { AuditRepository } from '../../audit/audit.repository.js';
import type { Principal } from '../../auth/principal.js';
import type { Db } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { displayDuration } from '../../core/zoned-time.js';
import { MaterialAccess } from '../../materials/material-access.js';
import type { MaterialRepository, MaterialVersion } from '../../materials/material.repository.js';
import type { OrgRepository } from '../../orgs/org.repository.js';
import type { BroadcastChannel, BroadcastRepository, BroadcastSlot, Clash, SlotRange } from './broadcast.repository.js';

/**
 * The rules every new slot goes through, one at a time or a file at once: a channel the caller
 * manages, a lesson the channel can air, a slot at least as long as the lesson, and an insert that
 * the database's exclusion constraint judges under concurrency.
 */

export type ChannelKind = 'tv' | 'radio';

export interface SlotInput {
  channelCode: string;
  materialId: string;
  /** ISO 8601 with an offset. */
  start: string;
  /** Defaults to start + the lesson's duration. */
  end?: string;
}

/** What each kind of channel airs: TV lessons on television, audio lessons (bài học phát thanh) on radio. */
const AIRS: Record<ChannelKind, { materialType: string; mimePrefix: string }> = {
  tv: { materialType: 'tv-lesson', mimePrefix: 'video/' },
  radio: { materialType: 'audio', mimePrefix: 'audio/' },
};

/** Overlap refusals are retried this often when the slot ran into was deleted before it could be named. */
export const INSERT_ATTEMPTS = 3;

/** Postgres refused a row by the exclusion constraint that keeps a channel's slots apart (SQLSTATE 23P01). */
export function isOverlapViolation(error: unknown): boolean {
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
export interface CheckCache {
  channels: Map<string, Promise<BroadcastChannel>>;
  lessons: Map<string, Promise<Lesson>>;
}
export const newCheckCache = (): CheckCache => ({ channels: new Map(), lessons: new Map() });

/** A slot checked and ready to insert. */
export interface WantedSlot extends SlotRange {
  channel: BroadcastChannel;
  lesson: Lesson;
}

export class SlotPlanner {
  constructor(
    private readonly db: Db,
    private readonly repository: BroadcastRepository,
    private readonly materialRows: MaterialRepository,
    private readonly orgs: OrgRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** Admins, and publishers of the org or of an org above it. */
  async canManage(principal: Principal, orgId: string): Promise<boolean> {
    if (principal.roles.includes('admin')) return true;
    return principal.roles.includes('publisher') && this.orgs.isWithin(orgId, principal.orgId);
  }

  /** One row: a channel the caller manages, a lesson it can air, and a slot at least as long as the lesson. */
  async check(actor: Principal, input: SlotInput, cache: CheckCache): Promise<WantedSlot> {
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
  async insert(actor: Principal, wanted: WantedSlot[], refusal: (clashes: Clash[]) => AppError): Promise<BroadcastSlot[]> {
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
}

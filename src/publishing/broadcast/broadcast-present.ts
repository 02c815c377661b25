import { AppError } from '../../core/errors.js';
import { displayTime, isoInZone } from '../../core/zoned-time.js';
import type { BroadcastChannel, BroadcastSlot, Clash } from './broadcast.repository.js';

/** Channels, slots and clashes as the API and the pages show them. */

export function presentChannel(channel: BroadcastChannel, orgCode: string) {
  return { id: channel.id, code: channel.code, name: channel.name, kind: channel.kind, timezone: channel.timezone, orgCode, createdAt: channel.createdAt };
}

export function presentSlot(slot: BroadcastSlot, channel: BroadcastChannel) {
  return {
    id: slot.id, channel: { code: channel.code, name: channel.name, kind: channel.kind }, materialId: slot.materialId, version: slot.version,
    start: isoInZone(slot.startsAt), end: isoInZone(slot.endsAt), status: slot.status,
  };
}

export function presentClash(clash: Clash) {
  return { slotId: clash.slotId, materialId: clash.materialId, title: clash.title, start: isoInZone(clash.startsAt), end: isoInZone(clash.endsAt) };
}

export function overlapError(channel: BroadcastChannel, clash: Clash): AppError {
  return new AppError('BROADCAST_OVERLAP',
    { channel: channel.code, title: clash.title, start: displayTime(clash.startsAt), end: displayTime(clash.endsAt) },
    { clash: presentClash(clash) });
}

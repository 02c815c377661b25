import type { Principal } from '../../auth/principal.js';
import { AppError, type Language } from '../../core/errors.js';
import { displayTime, isoInZone } from '../../core/zoned-time.js';
import type { BroadcastRepository, Clash } from './broadcast.repository.js';
import { overlapError, presentClash, presentSlot } from './broadcast-present.js';
import { newCheckCache, type SlotInput, type SlotPlanner, type WantedSlot } from './slot-planner.js';

/** A row of a bulk import that cannot be saved, and why. */
export interface ImportProblem {
  index: number;
  code: string;
  message: string;
  clash?: { slotId?: string; index?: number; materialId: string; title: string; start: string; end: string };
}

type IndexedSlot = WantedSlot & { index: number };

/**
 * All or nothing: every row is checked (channel, permission, lesson, length), then the rows
 * against each other and against the saved schedule. Any problem refuses the whole file with
 * every problem and its row index; otherwise all rows go in one transaction.
 */
export async function importSlots(planner: SlotPlanner, repository: BroadcastRepository, actor: Principal, rows: SlotInput[], lang: Language, options: { dryRun?: boolean }) {
  const problems: ImportProblem[] = [];
  const wanted: IndexedSlot[] = [];
  const cache = newCheckCache();
  for (const [index, row] of rows.entries()) {
    try {
      wanted.push({ ...(await planner.check(actor, row, cache)), index });
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
  problems.push(...describeClashes(await repository.clashes(wanted)));
  if (problems.length > 0) throw importFailed(problems);
  if (options.dryRun) return { imported: 0, slots: [] };

  const slots = await planner.insert(actor, wanted, (clashes) => importFailed(describeClashes(clashes)));
  return { imported: slots.length, slots: slots.map((slot, i) => presentSlot(slot, wanted[i]!.channel)) };
}

function importFailed(problems: ImportProblem[]): AppError {
  const sorted = [...problems].sort((a, b) => a.index - b.index);
  return new AppError('BROADCAST_IMPORT_FAILED', { count: sorted.length }, { errors: sorted });
}

/**
 * Every pair of rows of one file that overlap on a channel, reported on the later row naming the
 * earlier. Rows are swept in time order per channel, keeping those still running.
 */
function overlapsWithin(rows: IndexedSlot[], lang: Language): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const byChannel = new Map<string, IndexedSlot[]>();
  for (const row of rows) byChannel.set(row.channelId, [...(byChannel.get(row.channelId) ?? []), row]);
  for (const channelRows of byChannel.values()) {
    channelRows.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.index - b.index);
    let running: IndexedSlot[] = [];
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

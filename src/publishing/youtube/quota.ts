import type { YouTubeQuota } from '../../core/config.js';
import { dateInZone, offsetMinutes } from '../../core/zoned-time.js';

/**
 * YouTube quota arithmetic. Quota belongs to the Google Cloud project (the OAuth client) and is
 * counted per day in Pacific time: it resets at midnight America/Los_Angeles, which is 14:00 or
 * 15:00 in Vietnam depending on daylight saving. Pure.
 */

const PACIFIC = 'America/Los_Angeles';

/** The Pacific-time date of an instant, as YYYY-MM-DD: the day Google counts quota against. */
export function quotaDay(at: Date): string {
  return dateInZone(at, PACIFIC);
}

/** The next quota reset after an instant: the coming midnight in Pacific time, as a UTC instant. */
export function nextQuotaReset(at: Date): Date {
  const [year, month, day] = quotaDay(at).split('-').map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(year, month - 1, day + 1);
  // The offset that applies at that midnight (it may differ from now's on a DST change day).
  const guess = new Date(midnightAsUtc - offsetMinutes(new Date(midnightAsUtc), PACIFIC) * 60_000);
  return new Date(midnightAsUtc - offsetMinutes(guess, PACIFIC) * 60_000);
}

/** What one export is expected to spend: an upload from the uploads bucket (if any) and units. */
export interface ExportCost {
  uploads: number;
  units: number;
}

// Processing is polled with videos.list; a few polls per export are budgeted.
const STATUS_POLLS = 10;

/**
 * The whole expected cost of an export, reserved before it starts so that it never stops halfway
 * for lack of quota: the upload, status polls, thumbnail, captions and the playlist (its creation
 * too when it does not exist yet). `upload: false` for a metadata-only update.
 */
export function exportCost(quota: YouTubeQuota, plan: { upload: boolean; thumbnail: boolean; captions: number; playlist: 'none' | 'existing' | 'create' }): ExportCost {
  const c = quota.costs;
  const units = (plan.upload ? c.videosInsert + STATUS_POLLS * c.videosList : c.videosUpdate + c.videosList)
    + (plan.thumbnail ? c.thumbnailsSet : 0)
    + plan.captions * c.captionsInsert
    + (plan.playlist === 'none' ? 0 : c.playlistItemsInsert + (plan.playlist === 'create' ? c.playlistsInsert + c.playlistsList : 0));
  return { uploads: plan.upload && quota.dailyUploads > 0 ? 1 : 0, units };
}

export interface ProjectUsage {
  day: string;
  unitsUsed: number;
  uploadsUsed: number;
  pausedUntil: Date | null;
}

/** Whether a cost fits in what is left of the project's day (a paused project fits nothing). */
export function fits(quota: YouTubeQuota, usage: ProjectUsage, cost: ExportCost, now: Date): boolean {
  if (usage.pausedUntil && usage.pausedUntil > now) return false;
  const today = usage.day === quotaDay(now) ? usage : { unitsUsed: 0, uploadsUsed: 0 };
  return today.unitsUsed + cost.units <= quota.dailyUnits && today.uploadsUsed + cost.uploads <= quota.dailyUploads;
}

/**
 * When each waiting export can expect to start, simulating the budget day by day in queue order:
 * today's remainder first, then a full budget from each reset. An export costing more than a whole
 * day gets null (it can never start: the configuration must change).
 */
export function expectedStarts(quota: YouTubeQuota, usage: ProjectUsage, costs: ExportCost[], now: Date): Array<Date | null> {
  const paused = usage.pausedUntil && usage.pausedUntil > now ? usage.pausedUntil : null;
  let start = paused ?? now;
  let used = usage.day === quotaDay(start) && !paused ? { units: usage.unitsUsed, uploads: usage.uploadsUsed } : { units: 0, uploads: 0 };
  return costs.map((cost) => {
    if (cost.units > quota.dailyUnits || cost.uploads > quota.dailyUploads) return null;
    if (used.units + cost.units > quota.dailyUnits || used.uploads + cost.uploads > quota.dailyUploads) {
      start = nextQuotaReset(start);
      used = { units: 0, uploads: 0 };
    }
    used = { units: used.units + cost.units, uploads: used.uploads + cost.uploads };
    return start;
  });
}

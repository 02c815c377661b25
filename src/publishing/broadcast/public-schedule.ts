import { AppError } from '../../core/errors.js';
import { DISPLAY_TIMEZONE, isoInZone, startOfDay } from '../../core/zoned-time.js';
import { materialUrl } from '../../materials/material-url.js';
import type { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import type { BroadcastChannel, BroadcastRepository, ScheduleRow } from './broadcast.repository.js';
import { buildIcs } from './icalendar.js';
import type { NamedTerm, ScheduleChannel, ScheduleEntry } from './schedule-entry.js';
import { buildXmltv } from './xmltv.js';

export type ScheduleFormat = 'json' | 'xmltv' | 'ics';

export interface ScheduleQuery {
  channel?: string;
  from?: string;
  to?: string;
}

const DEFAULT_RANGE_DAYS = 7;
const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

/** The public broadcast schedule, in the formats TV guides and calendars read: JSON, XMLTV and iCalendar. */
export class PublicSchedule {
  constructor(
    private readonly repository: BroadcastRepository,
    private readonly taxonomy: TaxonomyService,
    private readonly config: { publicUrl: string },
  ) {}

  /**
   * The schedule between `from` (default: today 00:00, Vietnam time) and `to` (default: a week
   * later), on one channel or all, in the requested format.
   */
  async render(query: ScheduleQuery, format: ScheduleFormat): Promise<{ contentType: string; body: string | object }> {
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
}

function scheduleChannel(channel: BroadcastChannel): ScheduleChannel {
  return { code: channel.code, name: channel.name, kind: channel.kind, timezone: channel.timezone };
}

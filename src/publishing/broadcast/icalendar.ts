import ical, { ICalEventStatus } from 'ical-generator';
import { classificationLine, onscreenEpisode, type ScheduleEntry } from './schedule-entry.js';
import { DISPLAY_TIMEZONE } from '../../core/zoned-time.js';

/**
 * The schedule as iCalendar for teachers' calendars: one VEVENT per slot, its UID the slot's id
 * (so a re-import updates rather than duplicates), times in UTC (valid without a VTIMEZONE),
 * Vietnam's zone as the display hint. A missed airing is a cancelled event.
 */
export function buildIcs(entries: ScheduleEntry[], options: { name: string; host: string }): string {
  const calendar = ical({ name: options.name, prodId: { company: 'Hoclieu', product: 'Lich phat song', language: 'VI' } });
  calendar.x([{ key: 'X-WR-TIMEZONE', value: DISPLAY_TIMEZONE }]);
  for (const entry of entries) {
    const description = [
      entry.material.description,
      `${classificationLine(entry)} · ${onscreenEpisode(entry.episode)}`,
      `Kênh ${entry.channel.name}`,
      entry.material.url,
    ].filter(Boolean).join('\n');
    calendar.createEvent({
      id: `${entry.id}@${options.host}`,
      start: entry.start,
      end: entry.end,
      stamp: entry.createdAt,
      summary: entry.material.title,
      description,
      location: entry.channel.name,
      url: entry.material.url,
      status: entry.status === 'missed' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}

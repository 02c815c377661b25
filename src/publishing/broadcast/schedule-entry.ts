import type { SlotStatus } from './broadcast.repository.js';

/** A taxonomy term as the schedule names it. */
export interface NamedTerm {
  code: string;
  name: string;
}

export interface ScheduleChannel {
  code: string;
  name: string;
  kind: 'tv' | 'radio';
  timezone: string;
}

/** One slot of the schedule with everything a TV guide or a calendar shows of it. */
export interface ScheduleEntry {
  id: string;
  channel: ScheduleChannel;
  start: Date;
  end: Date;
  status: SlotStatus;
  createdAt: Date;
  /** The lesson's number among its subject and grade's lessons on the channel, by first airing. */
  episode: number;
  material: {
    id: string;
    version: number;
    title: string;
    description: string | null;
    url: string;
    level: NamedTerm;
    grades: Array<{ grade: number; name: string }>;
    subject: NamedTerm;
    series: NamedTerm | null;
  };
}

/** What the schedule's episode number reads on screen: `Tập 3`. */
export const onscreenEpisode = (episode: number) => `Tập ${episode}`;

/** Level, grades and subject in one line: `Trung học cơ sở · Lớp 8 · Toán`. */
export const classificationLine = (entry: ScheduleEntry) =>
  [entry.material.level.name, ...entry.material.grades.map((g) => g.name), entry.material.subject.name].join(' · ');

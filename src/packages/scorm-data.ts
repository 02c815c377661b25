import { Type, type Static } from 'typebox';
import type { AttemptRow, AttemptValues } from './package.repository.js';

/** Real packages exceed SCORM 1.2's 4 KB of suspend data (scorm-again takes 64 000 characters): kept up to 64 KiB. */
export const MAX_SUSPEND_DATA = 65_536;

/** What the wrapper page sends at each commit, read from its scorm-again API object. */
export const AttemptCommit = Type.Object({
  version: Type.Union([Type.Literal('1.2'), Type.Literal('2004')]),
  /** SCORM 1.2 cmi.core.lesson_status. */
  lessonStatus: Type.Optional(Type.String({ maxLength: 32 })),
  /** SCORM 2004 cmi.completion_status and cmi.success_status. */
  completionStatus: Type.Optional(Type.String({ maxLength: 32 })),
  successStatus: Type.Optional(Type.String({ maxLength: 32 })),
  scoreRaw: Type.Optional(Type.String({ maxLength: 32 })),
  scoreScaled: Type.Optional(Type.String({ maxLength: 32 })),
  location: Type.Optional(Type.String({ maxLength: 1000 })),
  suspendData: Type.Optional(Type.String({ maxLength: MAX_SUSPEND_DATA })),
  /** cmi.core.total_time (HHHH:MM:SS.SS) or cmi.total_time (ISO 8601 duration), this session included. */
  totalTime: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });
export type AttemptCommit = Static<typeof AttemptCommit>;

const COMPLETION = ['completed', 'incomplete', 'not attempted', 'unknown'];
const SUCCESS = ['passed', 'failed', 'unknown'];
const NUMBER = /^-?\d{1,10}(\.\d{1,7})?$/;

/** Seconds of a SCORM 1.2 time span (HHHH:MM:SS.SS) or a SCORM 2004 ISO 8601 duration; 0 when unreadable. */
export function secondsOf(time: string | undefined): number {
  if (!time) return 0;
  const clock = /^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$/.exec(time);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const iso = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(time);
  if (!iso) return 0;
  const [, y, mo, d, h, mi, s] = iso.map((part) => Number(part ?? 0));
  return Math.min(2 ** 31 - 1, Math.floor(y! * 31_536_000 + mo! * 2_592_000 + d! * 86_400 + h! * 3600 + mi! * 60 + s!));
}

/** The commit as stored: SCORM 1.2's single lesson status split into completion and success as in 2004. */
export function attemptValues(commit: AttemptCommit): AttemptValues {
  let completionStatus = 'unknown';
  let successStatus = 'unknown';
  if (commit.version === '1.2') {
    const status = commit.lessonStatus ?? '';
    completionStatus = ['passed', 'failed', 'completed'].includes(status) ? 'completed' : status === 'not attempted' ? 'not attempted' : status ? 'incomplete' : 'unknown';
    successStatus = status === 'passed' || status === 'failed' ? status : 'unknown';
  } else {
    if (COMPLETION.includes(commit.completionStatus ?? '')) completionStatus = commit.completionStatus!;
    if (SUCCESS.includes(commit.successStatus ?? '')) successStatus = commit.successStatus!;
  }
  return {
    scormVersion: commit.version, completionStatus, successStatus,
    scoreRaw: commit.scoreRaw && NUMBER.test(commit.scoreRaw) ? commit.scoreRaw : null,
    scoreScaled: commit.scoreScaled && NUMBER.test(commit.scoreScaled) ? commit.scoreScaled : null,
    location: commit.location ?? '', suspendData: commit.suspendData ?? '', totalSeconds: secondsOf(commit.totalTime),
  };
}

const clock = (seconds: number) => `${String(Math.floor(seconds / 3600)).padStart(4, '0')}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;

/** The learner's saved data in the shape scorm-again's loadFromJSON takes, so that the SCO resumes where it stopped. */
export function resumeData(attempt: AttemptRow | null): Record<string, unknown> | null {
  if (!attempt) return null;
  if (attempt.scormVersion === '1.2') {
    const lessonStatus = attempt.successStatus !== 'unknown' ? attempt.successStatus : attempt.completionStatus === 'unknown' ? 'not attempted' : attempt.completionStatus;
    return {
      core: { lesson_status: lessonStatus, lesson_location: attempt.location, entry: 'resume', total_time: clock(attempt.totalSeconds), ...(attempt.scoreRaw ? { score: { raw: attempt.scoreRaw } } : {}) },
      suspend_data: attempt.suspendData,
    };
  }
  return {
    completion_status: attempt.completionStatus, success_status: attempt.successStatus, location: attempt.location, entry: 'resume',
    total_time: `PT${attempt.totalSeconds}S`, suspend_data: attempt.suspendData,
    ...(attempt.scoreRaw || attempt.scoreScaled ? { score: { ...(attempt.scoreRaw ? { raw: attempt.scoreRaw } : {}), ...(attempt.scoreScaled ? { scaled: attempt.scoreScaled } : {}) } } : {}),
  };
}

/** An attempt as the API shows it. */
export function presentAttempt(attempt: AttemptRow) {
  return {
    scormVersion: attempt.scormVersion, completionStatus: attempt.completionStatus, successStatus: attempt.successStatus,
    score: attempt.scoreRaw === null ? null : Number(attempt.scoreRaw), scaledScore: attempt.scoreScaled === null ? null : Number(attempt.scoreScaled),
    location: attempt.location, suspendDataLength: attempt.suspendData.length, totalSeconds: attempt.totalSeconds,
    commits: attempt.commits, startedAt: attempt.startedAt.toISOString(), updatedAt: attempt.updatedAt.toISOString(),
  };
}

/**
 * Times are stored in UTC and shown in a channel's zone. Node's Intl (full ICU) knows the IANA
 * zones, so no library is needed; offsets are computed per instant, which keeps zones with
 * daylight saving right.
 */

/** Where the API shows times to people: the whole country is on UTC+7 all year. */
export const DISPLAY_TIMEZONE = 'Asia/Ho_Chi_Minh';

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

interface ZonedParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  /** Minutes east of UTC at that instant. */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zonedParts(date: Date, timeZone: string): ZonedParts {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(date).map((part) => [part.type, part.value])) as Record<string, string>;
  const wallClockAsUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const wholeSeconds = Math.floor(date.getTime() / 1000) * 1000;
  return {
    year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second!,
    offsetMinutes: Math.round((wallClockAsUtc - wholeSeconds) / 60_000),
  };
}

/** Minutes east of UTC in a zone at an instant (−480 for California in winter, −420 in summer). */
export function offsetMinutes(date: Date, timeZone: string): number {
  return zonedParts(date, timeZone).offsetMinutes;
}

/** The calendar date of an instant in a zone, as YYYY-MM-DD. */
export function dateInZone(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

function offset(minutes: number, separator: string): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${separator}${String(abs % 60).padStart(2, '0')}`;
}

/** ISO 8601 with the zone's offset: `2026-11-25T19:00:00+07:00` (the same instant as the UTC form). */
export function isoInZone(date: Date, timeZone: string = DISPLAY_TIMEZONE): string {
  const p = zonedParts(date, timeZone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset(p.offsetMinutes, ':')}`;
}

/** XMLTV's date format: `20261125190000 +0700`. */
export function xmltvTime(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second} ${offset(p.offsetMinutes, '')}`;
}

/** For messages, in Vietnam time: `19:00 25/11/2026`. */
export function displayTime(date: Date): string {
  const p = zonedParts(date, DISPLAY_TIMEZONE);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

/** `25:03` or `1:02:03`. */
export function displayDuration(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Midnight of the day `date` falls on, in Vietnam time. */
export function startOfDay(date: Date): Date {
  const iso = isoInZone(date, DISPLAY_TIMEZONE);
  return new Date(`${iso.slice(0, 10)}T00:00:00${iso.slice(19)}`);
}

import { DISPLAY_TIMEZONE } from '../../core/zoned-time.js';

const decimal = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('vi-VN');

/** A size as people read it in Vietnamese: `850 byte`, `12,5 KB`, `1,2 GB` (1 KB = 1 024 byte). */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${integer.format(bytes)} byte`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${decimal.format(value)} ${units[unit]}`;
}

export function count(n: number): string {
  return integer.format(n);
}

const longDate = new Intl.DateTimeFormat('vi-VN', { timeZone: DISPLAY_TIMEZONE, day: 'numeric', month: 'long', year: 'numeric' });
const weekdayDate = new Intl.DateTimeFormat('vi-VN', { timeZone: DISPLAY_TIMEZONE, weekday: 'long', day: 'numeric', month: 'numeric', year: 'numeric' });
const clock = new Intl.DateTimeFormat('vi-VN', { timeZone: DISPLAY_TIMEZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** `3 tháng 12, 2025`, in Vietnam time. */
export function formatDate(date: Date | string): string {
  return longDate.format(new Date(date));
}

/** `Thứ Tư, 3/12/2025`: a day heading of the TV schedule. */
export function formatDay(date: Date | string): string {
  const text = weekdayDate.format(new Date(date));
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `07:30`, in Vietnam time. */
export function formatTime(date: Date | string): string {
  return clock.format(new Date(date));
}

/** The machine-readable date of a <time> element. */
export function isoDate(date: Date | string): string {
  return new Date(date).toISOString();
}

// Moodle accepts an answer's grade only from a fixed list (question_bank::fraction_options_full):
// 100 %, 90 %, 83.33333 %, … 5 %, 0 and their negatives. Its importer refuses any other value
// (matchgrades "error", compared within 0.00001 of the fraction), so ours does the same, and our
// exporter snaps to that list so the file re-imports with Moodle's default settings.
const POSITIVE_GRADES = [1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05];
export const MOODLE_GRADES: readonly number[] = [...POSITIVE_GRADES, 0, ...POSITIVE_GRADES.map((g) => -g)];

const GRADE_TOLERANCE = 0.00001;

/** The list value a fraction stands for, or undefined if Moodle would refuse it. */
export function matchMoodleGrade(fraction: number): number | undefined {
  return MOODLE_GRADES.find((grade) => Math.abs(grade - fraction) < GRADE_TOLERANCE);
}

/** The list value closest to a fraction (Moodle's "nearest grade" import option). */
export function nearestMoodleGrade(fraction: number): number {
  return MOODLE_GRADES.reduce((best, grade) => (Math.abs(grade - fraction) < Math.abs(best - fraction) ? grade : best));
}

/** Moodle stores fractions with 7 decimals; rounding there keeps 33.33333 % and 1/3 equal. */
export function roundFraction(fraction: number): number {
  return Math.round(fraction * 1e7) / 1e7 + 0;
}

/** A fraction as Moodle writes it in `fraction="…"`: a percentage, at most 5 decimals (33.33333, 100, -50). */
export function formatPercent(fraction: number): string {
  return String(Number((fraction * 100).toFixed(5)) + 0);
}

/** A decimal as Moodle's database prints it (defaultgrade, penalty): 7 decimals. */
export function formatDecimal7(value: number): string {
  return value.toFixed(7);
}

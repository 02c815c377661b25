import type { TaxonomyService } from '../../taxonomy/taxonomy.service.js';

/** A retired or unknown code still shows as itself: the material was classified under it. */
export function termName(taxonomy: TaxonomyService, kind: Parameters<TaxonomyService['name']>[0], code: string): string {
  return taxonomy.name(kind, code) ?? code;
}

/** A grade's name from the taxonomy, or "Lớp n" for a grade it does not name. */
export function gradeName(taxonomy: TaxonomyService, grade: number | string): string {
  return taxonomy.name('grade', String(grade)) ?? `Lớp ${grade}`;
}

export function gradeNames(taxonomy: TaxonomyService, grades: number[]): string[] {
  return grades.map((grade) => gradeName(taxonomy, grade));
}

/** `Trung học cơ sở · Lớp 8 · Toán · Video bài giảng`: the line under a title in every list. */
export function classificationLine(taxonomy: TaxonomyService, item: { level: string; grades: number[]; subject: string; type?: string }): string {
  return [
    termName(taxonomy, 'level', item.level), ...gradeNames(taxonomy, item.grades), termName(taxonomy, 'subject', item.subject),
    ...(item.type ? [termName(taxonomy, 'material-type', item.type)] : []),
  ].join(' · ');
}

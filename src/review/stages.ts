import type { ReviewScope, ReviewStage } from '../core/db/schema.js';

export interface StageCandidate {
  id: string;
  code: string;
  kind: string;
  reviewScope: ReviewScope | null;
}

/** A department with the kind of the org it sits under. */
export interface DepartmentCandidate extends StageCandidate {
  parentKind: string | null;
}

function scopeIsEmpty(scope: ReviewScope): boolean {
  return !scope.levels?.length && !scope.subjects?.length;
}

function scopeMatches(scope: ReviewScope, level: string, subject: string): boolean {
  return scopeIsEmpty(scope) || !!scope.levels?.includes(level) || !!scope.subjects?.includes(subject);
}

/**
 * The review path of a submission, computed when it is submitted: every org above the contributor
 * (their own org first) that has a review scope covering the material, then the ministry
 * department routed by subject (a subject match wins) or else by level. Null when no department
 * takes the material.
 *
 * Local stages come from the contributor's own ancestors only, so a province's or school's scope
 * never reaches beyond its subtree. The final stage is chosen only among departments directly
 * under the ministry (which only an administrator creates): a department found anywhere else,
 * say one left inside a province, takes no stage at all.
 */
export function computeStages(
  ancestors: readonly StageCandidate[],
  departments: readonly DepartmentCandidate[],
  material: { level: string; subject: string },
): ReviewStage[] | null {
  const local = ancestors.filter((org) => org.kind !== 'department' && org.reviewScope && scopeMatches(org.reviewScope, material.level, material.subject));
  const ministry = departments.filter((d) => d.kind === 'department' && d.parentKind === 'ministry');
  const bySubject = ministry.find((d) => d.reviewScope?.subjects?.includes(material.subject));
  const byLevel = ministry.find((d) => d.reviewScope?.levels?.includes(material.level));
  const department = bySubject ?? byLevel;
  if (!department) return null;
  return [...local, department].map((org, index) => ({ order: index + 1, orgId: org.id, orgCode: org.code }));
}

import { AppError } from '../core/errors.js';
import checklist from './reasons.json' with { type: 'json' };
import type { Decision } from './review.service.js';

/**
 * The checklist of reasons a reviewer ticks when asking for changes or rejecting: data, not code
 * (src/review/reasons.json), so the ministry rewords or adds reasons without a release of logic.
 */
export interface ReviewReason { code: string; label: string; decisions: Decision[] }

export const REVIEW_REASONS: readonly ReviewReason[] = checklist.reasons as ReviewReason[];

const BY_CODE = new Map(REVIEW_REASONS.map((reason) => [reason.code, reason]));

export function reasonsFor(decision: Decision): ReviewReason[] {
  return REVIEW_REASONS.filter((reason) => reason.decisions.includes(decision));
}

/** A reason's label; a code no longer in the list still shows as itself (it was ticked under it). */
export function reasonLabel(code: string): string {
  return BY_CODE.get(code)?.label ?? code;
}

/**
 * A request for changes or a rejection says why: at least one reason of the checklist that applies
 * to it, and a comment for the teacher. An approval needs neither and takes no reasons.
 */
export function checkDecision(decision: Decision, reasons: string[], comment: string | null): string[] {
  const unique = [...new Set(reasons)];
  const unknown = unique.filter((code) => !BY_CODE.get(code)?.decisions.includes(decision));
  if (unknown.length) throw new AppError('REVIEW_REASON_UNKNOWN', { codes: unknown.join(', ') });
  if (decision === 'approve') return unique;
  if (unique.length === 0) throw new AppError('REVIEW_REASONS_REQUIRED');
  if (!comment) throw new AppError('REVIEW_COMMENT_REQUIRED');
  return unique;
}

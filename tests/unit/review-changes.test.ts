import { describe, expect, it } from 'vitest';
import type { SubmissionSnapshot } from '../../src/core/db/schema.js';
import { diffSnapshots } from '../../src/review/changes.js';
import { checkDecision, reasonsFor, REVIEW_REASONS } from '../../src/review/reasons.js';

const base: SubmissionSnapshot = {
  fields: { title: 'Phân số', description: null, level: 'thcs', grades: [6], subject: 'toan', series: null, topic: null, license: 'CC-BY-4.0', language: 'vi' },
  files: [{ name: 'a.pdf', sha256: 'aa', size: 1 }, { name: 'b.pdf', sha256: 'bb', size: 1 }],
  questions: [{ key: 'C1', digest: 'd1', label: 'C1' }, { key: 'C2', digest: 'd2', label: 'C2' }, { key: '#3', digest: 'd3', label: 'Câu 3: …' }],
};

describe('what changed between two rounds', () => {
  it('finds nothing between a state and itself', () => {
    expect(diffSnapshots(base, base)).toEqual({ fields: [], files: { added: [], removed: [], replaced: [] }, questions: { added: [], changed: [], removed: [] }, same: true });
  });

  it('names changed fields, and files added, removed and replaced (same name, other bytes)', () => {
    const after: SubmissionSnapshot = {
      ...base, fields: { ...base.fields, grades: [6, 7], description: 'Mới' },
      files: [{ name: 'a.pdf', sha256: 'a2', size: 2 }, { name: 'c.pdf', sha256: 'cc', size: 1 }],
    };
    const changes = diffSnapshots(base, after);
    expect(changes.fields).toEqual([{ field: 'description', before: null, after: 'Mới' }, { field: 'grades', before: [6], after: [6, 7] }]);
    expect(changes.files).toEqual({ added: ['c.pdf'], removed: ['b.pdf'], replaced: ['a.pdf'] });
    expect(changes.same).toBe(false);
  });

  it('tells questions added, changed (same key, other content) and removed, and does not count a question that only moved', () => {
    const after: SubmissionSnapshot = {
      ...base,
      questions: [{ key: 'C1', digest: 'd1x', label: 'C1' }, { key: '#2', digest: 'd3', label: 'Câu 2: …' }, { key: 'C4', digest: 'd4', label: 'C4' }],
    };
    expect(diffSnapshots(base, after).questions).toEqual({ added: ['C4'], changed: ['C1'], removed: ['C2'] });
  });
});

describe('the checklist of reasons', () => {
  it('is data: every reason has a code, a Vietnamese label and the decisions it serves', () => {
    expect(REVIEW_REASONS.length).toBeGreaterThan(5);
    for (const reason of REVIEW_REASONS) {
      expect(reason.code).toMatch(/^[a-z0-9-]+$/);
      expect(reason.label.length).toBeGreaterThan(5);
      expect(reason.decisions.every((d) => d === 'request_changes' || d === 'reject')).toBe(true);
    }
    expect(new Set(REVIEW_REASONS.map((r) => r.code)).size).toBe(REVIEW_REASONS.length);
    expect(reasonsFor('approve')).toEqual([]);
  });

  it('requires a reason and a comment to send back, none to approve, and refuses codes that do not apply', () => {
    expect(checkDecision('approve', [], null)).toEqual([]);
    expect(checkDecision('request_changes', ['ngon-ngu', 'ngon-ngu'], 'Sửa chính tả.')).toEqual(['ngon-ngu']);
    expect(() => checkDecision('request_changes', [], 'x')).toThrow('REVIEW_REASONS_REQUIRED');
    expect(() => checkDecision('reject', ['trung-lap'], null)).toThrow('REVIEW_COMMENT_REQUIRED');
    expect(() => checkDecision('request_changes', ['trung-lap'], 'x')).toThrow('REVIEW_REASON_UNKNOWN');
  });
});

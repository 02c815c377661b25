import { describe, expect, it } from 'vitest';
import { computeStages, type StageCandidate } from '../../src/review/stages.js';

const org = (code: string, kind: string, reviewScope: StageCandidate['reviewScope'] = null): StageCandidate => ({ id: `id-${code}`, code, kind, reviewScope });
const school = org('thcs-a1', 'school', {});
const province = org('sgd-a', 'province', {});
const ministry = org('bgddt', 'ministry');
const gdpt = org('vu-gdpt', 'department', { levels: ['tieu-hoc', 'thcs', 'thpt'] });
const qpan = org('vu-gdqpan', 'department', { subjects: ['giao-duc-quoc-phong-an-ninh'] });

describe('computeStages', () => {
  it('puts the contributor\'s reviewing ancestors first, nearest first, then the department', () => {
    const stages = computeStages([school, province, ministry], [gdpt, qpan], { level: 'thcs', subject: 'toan' });
    expect(stages).toEqual([
      { order: 1, orgId: 'id-thcs-a1', orgCode: 'thcs-a1' },
      { order: 2, orgId: 'id-sgd-a', orgCode: 'sgd-a' },
      { order: 3, orgId: 'id-vu-gdpt', orgCode: 'vu-gdpt' },
    ]);
  });

  it('lets a subject match win over a level match', () => {
    const stages = computeStages([province], [gdpt, qpan], { level: 'thpt', subject: 'giao-duc-quoc-phong-an-ninh' });
    expect(stages?.map((s) => s.orgCode)).toEqual(['sgd-a', 'vu-gdqpan']);
  });

  it('skips ancestors without a review scope and those whose scope does not cover the material', () => {
    const mathOnly = org('sgd-b', 'province', { subjects: ['toan'] });
    const stages = computeStages([org('thpt-b1', 'school'), mathOnly], [gdpt], { level: 'thpt', subject: 'vat-li' });
    expect(stages?.map((s) => s.orgCode)).toEqual(['vu-gdpt']);
  });

  it('returns null when no department takes the material', () => {
    expect(computeStages([school], [gdpt], { level: 'mam-non', subject: 'giao-duc-mam-non' })).toBeNull();
  });
});

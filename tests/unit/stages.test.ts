import { describe, expect, it } from 'vitest';
import { computeStages, type DepartmentCandidate, type StageCandidate } from '../../src/review/stages.js';

const org = (code: string, kind: string, reviewScope: StageCandidate['reviewScope'] = null): StageCandidate => ({ id: `id-${code}`, code, kind, reviewScope });
const department = (code: string, reviewScope: StageCandidate['reviewScope'], parentKind = 'ministry'): DepartmentCandidate => ({ ...org(code, 'department', reviewScope), parentKind });
const school = org('thcs-a1', 'school', {});
const province = org('sgd-a', 'province', {});
const ministry = org('bgddt', 'ministry');
const gdpt = department('vu-gdpt', { levels: ['tieu-hoc', 'thcs', 'thpt'] });
const qpan = department('vu-gdqpan', { subjects: ['giao-duc-quoc-phong-an-ninh'] });

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

  it('takes the final stage only from departments directly under the ministry', () => {
    // A "department" inside a province (or inside another department) claiming maths is no stage.
    const planted = department('vu-toan-gia', { subjects: ['toan'] }, 'province');
    const nested = department('vu-con', { subjects: ['toan'] }, 'department');
    const stages = computeStages([org('thpt-b1', 'school'), org('sgd-b', 'province')], [planted, nested, gdpt], { level: 'thpt', subject: 'toan' });
    expect(stages?.map((s) => s.orgCode)).toEqual(['vu-gdpt']);
    expect(computeStages([school], [planted], { level: 'thcs', subject: 'toan' })).toBeNull();
  });

  it('never makes a department among the contributor\'s ancestors a local stage', () => {
    const stages = computeStages([org('vu-toan-gia', 'department', { subjects: ['toan'] }), province, ministry], [gdpt], { level: 'thcs', subject: 'toan' });
    expect(stages?.map((s) => s.orgCode)).toEqual(['sgd-a', 'vu-gdpt']);
  });

  it('returns null when no department takes the material', () => {
    expect(computeStages([school], [gdpt], { level: 'mam-non', subject: 'giao-duc-mam-non' })).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrgRepository } from '../../src/orgs/org.repository.js';
import { createWorld, MATERIAL, PASSWORD, pdfBytes, type World } from '../helpers/world.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The appraisal chain cannot be bypassed: routing depends only on what an administrator set up,
 * nobody approves a version they changed, and a reviewer reads a draft only while its task is theirs.
 */
let server: TestServer;
let world: World;
const tokens: Record<string, string> = {};
const auth = (name: string) => ({ authorization: `Bearer ${tokens[name] ?? world.tokens[name as keyof World['tokens']]}` });
const MATHS_B = { ...MATERIAL, level: 'thpt', grades: [10], subject: 'toan' };

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1', 'teacherB1', 'reviewerA1', 'reviewerSgdA', 'reviewerSgdB', 'reviewerGdpt', 'orgAdminA']);
  await person('editorReviewerA', 'sgd-a', ['org-admin', 'reviewer']);
  await person('reviewerSgdA2', 'sgd-a', ['reviewer']);
});
afterAll(async () => server?.close());

async function person(username: string, orgCode: string, roles: string[]) {
  await server.http.post('/api/v1/users').set(auth('admin')).send({ username, password: PASSWORD, displayName: username, orgCode, roles }).expect(201);
  tokens[username] = (await server.http.post('/api/v1/auth/login').send({ username, password: PASSWORD }).expect(200)).body.token;
}

async function draft(owner: string, fields: Record<string, unknown> = MATERIAL) {
  const created = await server.http.post('/api/v1/materials').set(auth(owner)).send(fields).expect(201);
  const file = await server.http.post(`/api/v1/materials/${created.body.id}/files`).set(auth(owner)).attach('file', pdfBytes(created.body.id), 'bai.pdf').expect(201);
  return { id: created.body.id as string, fileId: file.body.id as string };
}

async function submit(owner: string, id: string) {
  return (await server.http.post(`/api/v1/materials/${id}/submit`).set(auth(owner)).expect(200)).body.stages.map((s: { orgCode: string }) => s.orgCode) as string[];
}

type Task = { id: string; materialId: string; version: number; stage: { orgCode: string }; claimable: boolean };
async function openTask(reviewer: string, materialId: string) {
  const list = await server.http.get('/api/v1/review/tasks?status=open').set(auth(reviewer)).expect(200);
  return list.body.items.find((t: Task) => t.materialId === materialId) as Task | undefined;
}

async function approve(reviewer: string, materialId: string, decision = 'approve') {
  const task = await openTask(reviewer, materialId);
  expect(task, `${reviewer} has a task for ${materialId}`).toBeDefined();
  await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth(reviewer)).expect(200);
  return (await server.http.post(`/api/v1/review/tasks/${task!.id}/decision`).set(auth(reviewer)).send(decision === 'approve' ? { decision } : { decision, comment: 'Nhận xét', reasons: ['noi-dung-sai'] }).expect(200)).body;
}

describe('routing depends only on orgs an administrator set up', () => {
  it('refuses a provincial org-admin who plants a ministry department (403), and nothing is created', async () => {
    const planted = { code: 'vu-toan-gia', name: 'Vụ Toán (giả)', kind: 'department', parentCode: 'sgd-a', reviewScope: { subjects: ['toan'] } };
    const refused = await server.http.post('/api/v1/orgs').set(auth('orgAdminA')).send(planted).expect(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    await server.http.post('/api/v1/orgs').set(auth('orgAdminA')).send({ ...planted, code: 'bo-gia', kind: 'ministry', parentCode: undefined }).expect(403);
    await server.http.get('/api/v1/orgs/vu-toan-gia').expect(404);
    await server.http.get('/api/v1/orgs/bo-gia').expect(404);
  });

  it('refuses a department anywhere but directly under the ministry, even from an administrator (400 INVALID_ORG_PARENT)', async () => {
    const underProvince = await server.http.post('/api/v1/orgs').set(auth('admin'))
      .send({ code: 'vu-lac-cho', name: 'Vụ lạc chỗ', kind: 'department', parentCode: 'sgd-a', reviewScope: { subjects: ['toan'] } }).expect(400);
    expect(underProvince.body.error.code).toBe('INVALID_ORG_PARENT');
    const underDepartment = await server.http.post('/api/v1/orgs').set(auth('admin'))
      .send({ code: 'vu-con', name: 'Vụ con', kind: 'department', parentCode: 'vu-gdpt', reviewScope: { subjects: ['toan'] } }).expect(400);
    expect(underDepartment.body.error.code).toBe('INVALID_ORG_PARENT');
    // Nor can one be moved under a province afterwards.
    const moved = await server.http.post('/api/v1/orgs/vu-gdqpan/move').set(auth('admin')).send({ parentCode: 'sgd-a' }).expect(400);
    expect(moved.body.error.code).toBe('INVALID_ORG_PARENT');
    expect((await server.http.get('/api/v1/orgs/vu-gdqpan').expect(200)).body.parentCode).toBe('bgddt');
    await server.http.post('/api/v1/orgs/vu-gdqpan/move').set(auth('orgAdminA')).send({ parentCode: 'sgd-a' }).expect(403);
  });

  it('never routes to a department that is not directly under the ministry (one left from before the fix), nor approves through it', async () => {
    // Data written before the rule existed: a "department" inside province A, with a reviewer.
    const orgs = new OrgRepository(server.ctx.db.db);
    const sgdA = (await orgs.findByCode('sgd-a'))!;
    const planted = await orgs.insert({ code: 'vu-cai-cam', name: 'Vụ cài cắm', kind: 'department', parentId: sgdA.id, reviewScope: { subjects: ['toan'] } });
    await orgs.insert({ code: 'vu-chau', name: 'Vụ cháu', kind: 'department', parentId: planted.id, reviewScope: { subjects: ['toan'] } });
    await person('plantedReviewer', 'vu-cai-cam', ['reviewer']);

    const fromB = await draft('teacherB1', MATHS_B);
    expect(await submit('teacherB1', fromB.id)).toEqual(['sgd-b', 'vu-gdpt']);
    const fromA = await draft('teacherA1');
    expect(await submit('teacherA1', fromA.id)).toEqual(['thcs-a1', 'sgd-a', 'vu-gdpt']);
    expect(await openTask('plantedReviewer', fromB.id)).toBeUndefined();
    const task = await openTask('reviewerSgdB', fromB.id);
    const claim = await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('plantedReviewer')).expect(403);
    expect(claim.body.error.code).toBe('FORBIDDEN');
  });

  it('keeps a scope an org-admin sets on a school of their own inside that school\'s subtree', async () => {
    await server.http.post('/api/v1/orgs').set(auth('orgAdminA'))
      .send({ code: 'thpt-a9', name: 'Trường THPT A9', kind: 'school', parentCode: 'sgd-a', reviewScope: { subjects: ['toan'] } }).expect(201);
    const fromB = await draft('teacherB1', MATHS_B);
    expect(await submit('teacherB1', fromB.id)).toEqual(['sgd-b', 'vu-gdpt']);
  });

  it('routes to a department an administrator created directly under the ministry', async () => {
    await server.http.post('/api/v1/orgs').set(auth('admin'))
      .send({ code: 'vu-gdtx', name: 'Vụ Giáo dục Thường xuyên', kind: 'department', parentCode: 'bgddt', reviewScope: { subjects: ['tin-hoc'] } }).expect(201);
    const it10 = await draft('teacherB1', { ...MATHS_B, subject: 'tin-hoc' });
    expect(await submit('teacherB1', it10.id)).toEqual(['sgd-b', 'vu-gdtx']);
  });
});

describe('nobody approves a version they changed', () => {
  it('refuses an org-admin reviewer who edited the teacher\'s draft the claim and the decision (403 OWN_CHANGES)', async () => {
    const { id } = await draft('teacherA1');
    await server.http.patch(`/api/v1/materials/${id}`).set(auth('editorReviewerA')).send({ title: 'Tam giác đồng dạng (đã sửa)' }).expect(200);
    expect(await submit('teacherA1', id)).toEqual(['thcs-a1', 'sgd-a', 'vu-gdpt']);
    await approve('reviewerA1', id);

    const offered = await openTask('editorReviewerA', id);
    expect(offered?.claimable).toBe(false);
    expect((await openTask('reviewerSgdA', id))?.claimable).toBe(true);
    const claim = await server.http.post(`/api/v1/review/tasks/${offered!.id}/claim`).set(auth('editorReviewerA')).expect(403);
    expect(claim.body.error).toMatchObject({ code: 'OWN_CHANGES', message: 'Bạn đã sửa phiên bản này nên không được thẩm định nó.' });
    const decision = await server.http.post(`/api/v1/review/tasks/${offered!.id}/decision`).set(auth('editorReviewerA')).send({ decision: 'approve' }).expect(403);
    expect(decision.body.error.code).toBe('OWN_CHANGES');
    expect((await openTask('reviewerSgdA', id))?.id).toBe(offered!.id);

    // A file added counts as a change as well; someone who did not touch the version reviews it.
    const other = await draft('teacherA1');
    await server.http.post(`/api/v1/materials/${other.id}/files`).set(auth('editorReviewerA')).attach('file', pdfBytes('them'), 'them.pdf').expect(201);
    await submit('teacherA1', other.id);
    await approve('reviewerA1', other.id);
    const task = await openTask('editorReviewerA', other.id);
    expect((await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('editorReviewerA')).expect(403)).body.error.code).toBe('OWN_CHANGES');
    expect((await approve('reviewerSgdA', other.id)).decision).toBe('approve');
  });
});

describe('a reviewer reads a draft only while its task is theirs', () => {
  it('hides the working version from a reviewer whose stage is done, and from one while a colleague holds the task', async () => {
    const { id, fileId } = await draft('teacherA1');
    await submit('teacherA1', id);
    await server.http.get(`/api/v1/materials/${id}`).set(auth('reviewerSgdA')).expect(404);
    expect((await server.http.get(`/api/v1/materials/${id}`).set(auth('reviewerA1')).expect(200)).body.status).toBe('in_review');
    await approve('reviewerA1', id);

    // Stage 1 is done: its reviewer no longer reads the draft, its files or its history.
    await server.http.get(`/api/v1/materials/${id}`).set(auth('reviewerA1')).expect(404);
    await server.http.get(`/api/v1/files/${fileId}/content`).set(auth('reviewerA1')).expect(404);
    await server.http.get(`/api/v1/files/${fileId}/renditions`).set(auth('reviewerA1')).expect(404);
    await server.http.get(`/api/v1/materials/${id}/history`).set(auth('reviewerA1')).expect(404);
    // Stage 2 may be claimed by either province reviewer: both read it, until one holds it.
    await server.http.get(`/api/v1/materials/${id}`).set(auth('reviewerSgdA2')).expect(200);
    const task = await openTask('reviewerSgdA', id);
    await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('reviewerSgdA')).expect(200);
    expect((await server.http.get(`/api/v1/materials/${id}`).set(auth('reviewerSgdA')).expect(200)).body.version).toBe(1);
    await server.http.get(`/api/v1/files/${fileId}/content`).set(auth('reviewerSgdA')).expect(200);
    await server.http.get(`/api/v1/files/${fileId}/renditions`).set(auth('reviewerSgdA')).expect(200);
    await server.http.get(`/api/v1/materials/${id}`).set(auth('reviewerSgdA2')).expect(404);
    await server.http.get(`/api/v1/files/${fileId}/content`).set(auth('reviewerSgdA2')).expect(404);
    // Admins see everything, always.
    await server.http.get(`/api/v1/materials/${id}`).set(auth('admin')).expect(200);
  });

  it('shows a reviewer of an earlier version only the published one, not the next draft or its files', async () => {
    const { id } = await draft('teacherA1');
    await submit('teacherA1', id);
    await approve('reviewerA1', id);
    await approve('reviewerSgdA', id);
    await approve('reviewerGdpt', id);
    await server.http.post(`/api/v1/materials/${id}/revise`).set(auth('teacherA1')).expect(200);
    const added = await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes('v2'), 'v2.pdf').expect(201);
    await server.http.patch(`/api/v1/materials/${id}`).set(auth('teacherA1')).send({ title: 'Bản nháp thứ hai' }).expect(200);

    for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt']) {
      const seen = await server.http.get(`/api/v1/materials/${id}`).set(auth(reviewer)).expect(200);
      expect(seen.body).toMatchObject({ version: 1, status: 'published', title: MATERIAL.title });
      await server.http.get(`/api/v1/files/${added.body.id}/content`).set(auth(reviewer)).expect(404);
    }
    // Submitted again: the first stage's reviewers read version 2, the later stages still do not.
    await submit('teacherA1', id);
    expect((await server.http.get(`/api/v1/materials/${id}`).set(auth('reviewerA1')).expect(200)).body.version).toBe(2);
    await server.http.get(`/api/v1/files/${added.body.id}/content`).set(auth('reviewerA1')).expect(200);
    expect((await server.http.get(`/api/v1/materials/${id}`).set(auth('reviewerGdpt')).expect(200)).body.version).toBe(1);

    // Version 2 rejected, version 3 in review: its reviewers read version 3, not version 2's files.
    await approve('reviewerA1', id, 'reject');
    await server.http.post(`/api/v1/materials/${id}/revise`).set(auth('teacherA1')).expect(200);
    await submit('teacherA1', id);
    const v3 = await server.http.get(`/api/v1/materials/${id}`).set(auth('reviewerA1')).expect(200);
    expect(v3.body.version).toBe(3);
    await server.http.get(`/api/v1/files/${v3.body.files.at(-1).id}/content`).set(auth('reviewerA1')).expect(200);
    await server.http.get(`/api/v1/files/${added.body.id}/content`).set(auth('reviewerA1')).expect(404);
    await server.http.get(`/api/v1/files/${added.body.id}/content`).set(auth('teacherA1')).expect(200);
  });

  it('reads a draft bank\'s questions only while the task is open to the reviewer', async () => {
    const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'question-bank' }).expect(201);
    const id = created.body.id as string;
    await server.http.post(`/api/v1/materials/${id}/questions/import`).set(auth('teacherA1'))
      .attach('file', Buffer.from('Số nguyên tố nhỏ nhất là:\nA) 0\nB) 1\nC) 2\nANSWER: C\n'), 'q.txt').expect(200);
    await submit('teacherA1', id);
    await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('reviewerA1')).expect(200);
    await approve('reviewerA1', id);
    await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('reviewerA1')).expect(404);
    await server.http.get(`/api/v1/materials/${id}/questions/export?format=gift`).set(auth('reviewerA1')).expect(404);
    await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('reviewerSgdA')).expect(200);
  });
});

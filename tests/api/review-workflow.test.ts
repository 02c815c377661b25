import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, pdfBytes, type World } from '../helpers/world.js';

/**
 * The reviewer's side of the appraisal over the API: releasing a claim, one winner among
 * simultaneous claims, reasons and comments required when sending back, a stale decision refused,
 * the internal note kept from the teacher, the rounds with the teacher's answers, and what changed
 * between rounds and since the published version (metadata, files, questions).
 */
let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  world = await createWorld(server, ['teacherA1', 'teacherReviewerA1', 'reviewerA1', 'reviewerA1bis', 'reviewerSgdA', 'reviewerGdpt']);
}, 60_000);
afterAll(async () => server?.close());

async function submitted(fields: Record<string, unknown> = {}, owner: keyof World['tokens'] = 'teacherA1') {
  const id = (await server.http.post('/api/v1/materials').set(auth(owner)).send({ ...MATERIAL, ...fields }).expect(201)).body.id as string;
  await server.http.post(`/api/v1/materials/${id}/files`).set(auth(owner)).attach('file', pdfBytes(id), 'bai-giang.pdf').expect(201);
  await server.http.post(`/api/v1/materials/${id}/submit`).set(auth(owner)).expect(200);
  return id;
}

async function taskOf(reviewer: keyof World['tokens'], materialId: string, status = 'open') {
  const list = await server.http.get(`/api/v1/review/tasks?status=${status}`).set(auth(reviewer)).expect(200);
  return list.body.items.find((t: { materialId: string }) => t.materialId === materialId) as { id: string; claimedAt?: string; claimedByName?: string; claimExpiresAt?: string } | undefined;
}

const claim = (reviewer: keyof World['tokens'], taskId: string) => server.http.post(`/api/v1/review/tasks/${taskId}/claim`).set(auth(reviewer));
const decide = (reviewer: keyof World['tokens'], taskId: string, body: object) => server.http.post(`/api/v1/review/tasks/${taskId}/decision`).set(auth(reviewer)).send(body);
const row = async (taskId: string) => (await server.ctx.db.pool.query('SELECT done, claimed_by, decision, reasons, internal_note FROM review_tasks WHERE id = $1', [taskId])).rows[0];

describe('claims', () => {
  it('the holder releases a claim back to the queue; nobody else can, and an open task has nothing to release', async () => {
    const id = await submitted();
    const task = (await taskOf('reviewerA1', id))!;
    await server.http.post(`/api/v1/review/tasks/${task.id}/release`).set(auth('reviewerA1')).expect(409).expect((r) => expect(r.body.error.code).toBe('TASK_NOT_CLAIMED'));
    await claim('reviewerA1', task.id).expect(200);
    const other = await server.http.post(`/api/v1/review/tasks/${task.id}/release`).set(auth('reviewerA1bis')).expect(409);
    expect(other.body.error.code).toBe('TASK_CLAIMED');
    expect((await taskOf('reviewerA1bis', id, 'claimed'))).toMatchObject({ claimedByName: 'Người dùng reviewerA1' });
    expect((await server.http.post(`/api/v1/review/tasks/${task.id}/release`).set(auth('reviewerA1')).expect(200)).body).toEqual({ id: task.id, status: 'open' });
    expect(await taskOf('reviewerA1bis', id)).toBeDefined();
    await claim('reviewerA1bis', task.id).expect(200);
    // The teacher's trail says so.
    const history = await server.http.get(`/api/v1/materials/${id}/history`).set(auth('teacherA1')).expect(200);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['created', 'file_added', 'submitted', 'claimed', 'released', 'claimed']);
  });

  it('two reviewers claiming at the same moment: one wins, the other is told someone holds it', async () => {
    const id = await submitted();
    const task = (await taskOf('reviewerA1', id))!;
    const answers = await Promise.all([claim('reviewerA1', task.id), claim('reviewerA1bis', task.id)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error).toMatchObject({ code: 'TASK_CLAIMED', message: 'Nhiệm vụ đang được người khác thẩm định.' });
  });

  it('a decision made under an earlier claim is refused, not applied over the current one', async () => {
    const id = await submitted();
    const task = (await taskOf('reviewerA1', id))!;
    const first = (await claim('reviewerA1', task.id).expect(200)).body;
    // Renewing keeps the claim's start.
    expect((await claim('reviewerA1', task.id).expect(200)).body.claimedAt).toBe(first.claimedAt);
    await server.http.post(`/api/v1/review/tasks/${task.id}/release`).set(auth('reviewerA1')).expect(200);
    await claim('reviewerA1bis', task.id).expect(200);
    // A's page, still open on the first claim: someone else holds the task now.
    const stale = await decide('reviewerA1', task.id, { decision: 'approve', claimedAt: first.claimedAt }).expect(409);
    expect(stale.body.error.code).toBe('TASK_CLAIMED');
    await server.http.post(`/api/v1/review/tasks/${task.id}/release`).set(auth('reviewerA1bis')).expect(200);
    const again = (await claim('reviewerA1', task.id).expect(200)).body;
    expect(again.claimedAt).not.toBe(first.claimedAt);
    // The same reviewer, a tab from before the task went round: refused too, nothing written.
    const changed = await decide('reviewerA1', task.id, { decision: 'approve', claimedAt: first.claimedAt }).expect(409);
    expect(changed.body.error).toMatchObject({ code: 'TASK_CLAIM_CHANGED' });
    expect(await row(task.id)).toMatchObject({ done: false, decision: null });
    await decide('reviewerA1', task.id, { decision: 'approve', claimedAt: again.claimedAt }).expect(200);
  });
});

describe('decisions', () => {
  it('sending back needs a reason of the checklist and a comment; nothing is written until both are there', async () => {
    const id = await submitted();
    const task = (await taskOf('reviewerA1', id))!;
    await claim('reviewerA1', task.id).expect(200);
    const cases: Array<[object, string]> = [
      [{ decision: 'request_changes', comment: 'Sửa phần 2.' }, 'REVIEW_REASONS_REQUIRED'],
      [{ decision: 'request_changes', reasons: ['noi-dung-sai'] }, 'REVIEW_COMMENT_REQUIRED'],
      [{ decision: 'request_changes', reasons: ['noi-dung-sai'], comment: '   ' }, 'REVIEW_COMMENT_REQUIRED'],
      [{ decision: 'reject', reasons: [], comment: 'Không phù hợp.' }, 'REVIEW_REASONS_REQUIRED'],
      [{ decision: 'request_changes', reasons: ['khong-co-ly-do-nay'], comment: 'x' }, 'REVIEW_REASON_UNKNOWN'],
      // "Duplicate" is a reason to reject, not to ask for changes.
      [{ decision: 'request_changes', reasons: ['trung-lap'], comment: 'x' }, 'REVIEW_REASON_UNKNOWN'],
      [{ decision: 'approve', reasons: ['noi-dung-sai'] }, 'REVIEW_REASON_UNKNOWN'],
    ];
    for (const [body, code] of cases) {
      const refused = await decide('reviewerA1', task.id, body).expect(400);
      expect(refused.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect(await row(task.id)).toMatchObject({ done: false, decision: null, reasons: [] });
    expect((await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200)).body.status).toBe('in_review');
    const sent = await decide('reviewerA1', task.id, { decision: 'reject', reasons: ['trung-lap', 'trung-lap'], comment: 'Đã có bài này.' }).expect(200);
    expect(sent.body.materialStatus).toBe('rejected');
    expect(await row(task.id)).toMatchObject({ done: true, decision: 'reject', reasons: ['trung-lap'] });
  });

  it('a reviewer never opens the review of their own material', async () => {
    const id = await submitted({}, 'teacherReviewerA1');
    const task = (await taskOf('reviewerA1', id))!;
    const own = await server.http.get(`/api/v1/review/tasks/${task.id}`).set(auth('teacherReviewerA1')).expect(403);
    expect(own.body.error.code).toBe('OWN_MATERIAL');
    await claim('teacherReviewerA1', task.id).expect(403);
    await server.http.get(`/api/v1/review/tasks/${task.id}`).set(auth('teacherA1')).expect(403);
    await server.http.get(`/api/v1/review/tasks/${task.id}`).set(auth('reviewerSgdA')).expect(403);
  });
});

describe('rounds, the internal note and what changed', () => {
  it('keeps the internal note from the teacher, shows the rounds with the teacher\'s answer, and the changes between them', async () => {
    const id = await submitted({ title: 'Phân số', level: 'thcs', grades: [6] });
    const first = (await taskOf('reviewerA1', id))!;
    await claim('reviewerA1', first.id).expect(200);
    await decide('reviewerA1', first.id, {
      decision: 'request_changes', reasons: ['noi-dung-sai', 'ngon-ngu'], comment: 'Ví dụ 3 sai mẫu số.', internalNote: 'GHI-CHU-NOI-BO: tác giả hay sót lỗi chính tả',
    }).expect(200);

    // The teacher sees the comment and the reasons, never the note.
    const teacherViews = [
      await server.http.get(`/api/v1/materials/${id}/history`).set(auth('teacherA1')).expect(200),
      await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200),
      await server.http.get('/api/v1/materials?mine=true&status=changes_requested').set(auth('teacherA1')).expect(200),
    ];
    for (const view of teacherViews) expect(view.text).not.toContain('GHI-CHU-NOI-BO');
    const decided = teacherViews[0]!.body.items.find((e: { action: string }) => e.action === 'decided');
    expect(decided.details).toEqual({ stage: 1, decision: 'request_changes', comment: 'Ví dụ 3 sai mẫu số.', reasons: ['noi-dung-sai', 'ngon-ngu'] });
    expect(teacherViews[2]!.body.items[0].changesRequested).toMatchObject({ comment: 'Ví dụ 3 sai mẫu số.', reasons: ['noi-dung-sai', 'ngon-ngu'] });

    // The teacher mends it and answers.
    await server.http.patch(`/api/v1/materials/${id}`).set(auth('teacherA1')).send({ title: 'Phân số (đã sửa)', grades: [6, 7] }).expect(200);
    const files = (await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200)).body.files;
    await server.http.delete(`/api/v1/materials/${id}/files/${files[0].id}`).set(auth('teacherA1')).expect(204);
    await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes('sửa'), 'bai-giang.pdf').expect(201);
    await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes('phụ lục'), 'phu-luc.pdf').expect(201);
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).send({ note: 'Đã sửa ví dụ 3 và thêm phụ lục.' }).expect(200);

    const second = (await taskOf('reviewerA1', id))!;
    const detail = (await server.http.get(`/api/v1/review/tasks/${second.id}`).set(auth('reviewerA1')).expect(200)).body;
    expect(detail).toMatchObject({ status: 'open', title: 'Phân số (đã sửa)', canSeeContent: true, stage: { order: 1, org: { code: 'thcs-a1' } } });
    expect(detail.rounds).toHaveLength(2);
    expect(detail.rounds[0]).toMatchObject({ number: 1, note: null, current: false });
    expect(detail.rounds[0].decisions).toEqual([expect.objectContaining({
      stage: 1, org: { code: 'thcs-a1', name: 'Trường THCS A1', kind: 'school' }, decision: 'request_changes', comment: 'Ví dụ 3 sai mẫu số.',
      reasons: ['noi-dung-sai', 'ngon-ngu'], internalNote: 'GHI-CHU-NOI-BO: tác giả hay sót lỗi chính tả', decidedBy: 'Người dùng reviewerA1',
    })]);
    expect(detail.rounds[1]).toMatchObject({ number: 2, note: 'Đã sửa ví dụ 3 và thêm phụ lục.', current: true, submittedBy: 'Người dùng teacherA1' });
    expect(detail.changes.sinceLastRound).toEqual({
      fields: [{ field: 'title', before: 'Phân số', after: 'Phân số (đã sửa)' }, { field: 'grades', before: [6], after: [6, 7] }],
      files: { added: ['phu-luc.pdf'], removed: [], replaced: ['bai-giang.pdf'] },
      questions: { added: [], changed: [], removed: [] },
      same: false,
    });
    expect(detail.changes.sincePublished).toBeNull();
    expect(detail.origin).toEqual({ school: { code: 'thcs-a1', name: 'Trường THCS A1' }, province: { code: 'sgd-a', name: 'Sở GDĐT A' } });

    // The teacher cannot read the review screen; the next stages read the note.
    await server.http.get(`/api/v1/review/tasks/${second.id}`).set(auth('teacherA1')).expect(403);
    await claim('reviewerA1', second.id).expect(200);
    await decide('reviewerA1', second.id, { decision: 'approve', internalNote: 'Đã kiểm tra lại ví dụ 3.' }).expect(200);
    const province = (await taskOf('reviewerSgdA', id))!;
    const atProvince = (await server.http.get(`/api/v1/review/tasks/${province.id}`).set(auth('reviewerSgdA')).expect(200)).body;
    expect(atProvince.rounds[1].decisions.map((d: { internalNote: string }) => d.internalNote)).toEqual(['Đã kiểm tra lại ví dụ 3.', null]);
    expect(atProvince.rounds[0].decisions[0].internalNote).toContain('GHI-CHU-NOI-BO');
    const history = await server.http.get(`/api/v1/materials/${id}/history`).set(auth('teacherA1')).expect(200);
    expect(history.text).not.toContain('Đã kiểm tra lại ví dụ 3.');
    expect(history.body.items.find((e: { action: string; details: { note?: string } }) => e.action === 'submitted' && e.details.note).details.note).toBe('Đã sửa ví dụ 3 và thêm phụ lục.');
  });

  it('a revised question bank shows the questions added and changed since the published version', async () => {
    const bank = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'question-bank', title: 'Ngân hàng Toán 8' }).expect(201)).body.id as string;
    const gift = (items: string[]) => Buffer.from(items.join('\n\n'));
    await server.http.post(`/api/v1/materials/${bank}/questions/import`).set(auth('teacherA1'))
      .attach('file', gift(['::C1:: 1 + 1 = ? {=2 ~3 ~4}', '::C2:: 2 + 2 = ? {=4 ~5 ~6}']), 'a.gift').field('format', 'gift').expect(200);
    await server.http.post(`/api/v1/materials/${bank}/submit`).set(auth('teacherA1')).expect(200);
    for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) {
      const task = (await taskOf(reviewer, bank))!;
      await claim(reviewer, task.id).expect(200);
      await decide(reviewer, task.id, { decision: 'approve' }).expect(200);
    }
    await server.http.post(`/api/v1/materials/${bank}/revise`).set(auth('teacherA1')).expect(200);
    await server.http.post(`/api/v1/materials/${bank}/questions/import`).set(auth('teacherA1'))
      .attach('file', gift(['::C3:: 3 + 3 = ? {=6 ~7 ~8}']), 'b.gift').field('format', 'gift').expect(200);
    await server.http.post(`/api/v1/materials/${bank}/submit`).set(auth('teacherA1')).expect(200);
    const task = (await taskOf('reviewerA1', bank))!;
    const detail = (await server.http.get(`/api/v1/review/tasks/${task.id}`).set(auth('reviewerA1')).expect(200)).body;
    expect(detail.version).toBe(2);
    expect(detail.changes.sincePublished).toMatchObject({ version: 1, fields: [], questions: { added: ['C3'], changed: [], removed: [] }, same: false });
    expect(detail.changes.sinceLastRound).toMatchObject({ questions: { added: ['C3'] } });
  });
});

describe('the queue', () => {
  it('filters by level, grade, subject, type and waiting time, oldest first', async () => {
    const maths = await submitted({ title: 'Hàm số bậc nhất', level: 'thcs', grades: [9], subject: 'toan' });
    const literature = await submitted({ title: 'Truyện Kiều', level: 'thcs', grades: [9], subject: 'ngu-van' });
    const ids = async (query: string) => (await server.http.get(`/api/v1/review/tasks?${query}`).set(auth('reviewerA1')).expect(200)).body.items.map((t: { materialId: string }) => t.materialId);
    const all = await ids('status=open');
    expect(all.indexOf(maths)).toBeLessThan(all.indexOf(literature));
    expect(await ids('subject=ngu-van')).toEqual([literature]);
    expect(await ids('grade=9&subject=toan')).toEqual([maths]);
    expect(await ids('level=thpt')).toEqual([]);
    expect(await ids('type=document&grade=9')).toEqual([maths, literature]);
    expect(await ids('type=video&grade=9')).toEqual([]);
    expect(await ids('waitingDays=1&grade=9')).toEqual([]);
    await server.ctx.db.pool.query("UPDATE review_tasks SET created_at = now() - interval '3 days' WHERE material_id = $1", [literature]);
    expect(await ids('waitingDays=2&grade=9')).toEqual([literature]);
    const refused = await server.http.get('/api/v1/review/tasks?waitingDays=0').set(auth('reviewerA1')).expect(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
  });
});

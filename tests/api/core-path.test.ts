import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, MATERIAL, pdfBytes, type World } from '../helpers/world.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server);
});
afterAll(async () => server?.close());

async function draft(owner: keyof World['tokens'] = 'teacherA1', fields: Partial<typeof MATERIAL> = {}) {
  const created = await server.http.post('/api/v1/materials').set(auth(owner)).send({ ...MATERIAL, ...fields }).expect(201);
  await server.http.post(`/api/v1/materials/${created.body.id}/files`).set(auth(owner))
    .attach('file', pdfBytes(created.body.id), 'Bài giảng tam giác.pdf').expect(201);
  return created.body.id as string;
}

async function taskFor(reviewer: keyof World['tokens'], materialId: string) {
  const list = await server.http.get('/api/v1/review/tasks?status=open').set(auth(reviewer)).expect(200);
  return list.body.items.find((t: { materialId: string }) => t.materialId === materialId) as { id: string; stage: { orgCode: string; order: number } } | undefined;
}

async function approve(reviewer: keyof World['tokens'], materialId: string, decision = 'approve') {
  const task = await taskFor(reviewer, materialId);
  expect(task, `${reviewer} sees a task for ${materialId}`).toBeDefined();
  await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth(reviewer)).expect(200);
  return server.http.post(`/api/v1/review/tasks/${task!.id}/decision`).set(auth(reviewer)).send({ decision, comment: 'Nhận xét', reasons: decision === 'approve' ? [] : ['noi-dung-sai'] }).expect(200);
}

async function publish(materialId: string) {
  await server.http.post(`/api/v1/materials/${materialId}/submit`).set(auth('teacherA1')).expect(200);
  await approve('reviewerA1', materialId);
  await approve('reviewerSgdA', materialId);
  await approve('reviewerGdpt', materialId);
}

describe('the whole path: upload, multi-stage review, publish, search, download', () => {
  it('goes school → province → department and publishes at the last approval', async () => {
    const id = await draft();
    // A client that sends a JSON content type with no body is fine on an action endpoint.
    const submitted = await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).set('content-type', 'application/json').expect(200);
    expect(submitted.body.status).toBe('in_review');
    const broken = await server.http.post('/api/v1/materials').set(auth('teacherA1')).set('content-type', 'application/json').send('{"title": ').expect(400);
    expect(broken.body.error.code).toBe('VALIDATION_FAILED');
    expect(submitted.body.stages.map((s: { orgCode: string }) => s.orgCode)).toEqual(['thcs-a1', 'sgd-a', 'vu-gdpt']);

    // A later stage sees nothing until the earlier ones approved.
    expect(await taskFor('reviewerSgdA', id)).toBeUndefined();
    expect(await taskFor('reviewerGdpt', id)).toBeUndefined();
    await approve('reviewerA1', id);
    expect(await taskFor('reviewerGdpt', id)).toBeUndefined();
    await approve('reviewerSgdA', id);
    // Anonymous users cannot see it yet.
    await server.http.get(`/api/v1/materials/${id}`).expect(404);
    const last = await approve('reviewerGdpt', id);
    expect(last.body.materialStatus).toBe('published');

    const shown = await server.http.get(`/api/v1/materials/${id}`).expect(200);
    expect(shown.body).toMatchObject({ status: 'published', version: 1, publishedVersion: 1, title: MATERIAL.title });
    expect(shown.body.files).toHaveLength(1);
    expect(shown.body.stages).toBeUndefined();

    // Indexed by a background job, found without diacritics.
    const found = await eventually(async () => {
      const res = await server.http.get('/api/v1/search').query({ q: 'tam giac dong dang' }).expect(200);
      return res.body.hits.find((h: { id: string }) => h.id === id);
    });
    expect(found.highlight.title).toContain('<mark>');

    const history = await server.http.get(`/api/v1/materials/${id}/history`).set(auth('teacherA1')).expect(200);
    const actions = history.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['created', 'file_added', 'submitted', 'claimed', 'decided', 'claimed', 'decided', 'claimed', 'decided', 'published']);
    expect(history.body.items.find((e: { action: string }) => e.action === 'decided').details.comment).toBe('Nhận xét');
  });

  it('routes by subject before level: a defence-education material goes to its own department', async () => {
    const id = await draft('teacherB1', { level: 'thpt', grades: [10], subject: 'giao-duc-quoc-phong-an-ninh', series: undefined });
    const submitted = await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherB1')).expect(200);
    expect(submitted.body.stages.map((s: { orgCode: string }) => s.orgCode)).toEqual(['sgd-b', 'vu-gdqpan']);
  });

  it('refuses submission with no file (422) and with no reviewing department (422)', async () => {
    const empty = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201);
    const res = await server.http.post(`/api/v1/materials/${empty.body.id}/submit`).set(auth('teacherA1')).expect(422);
    expect(res.body.error.code).toBe('NO_FILES');
    const preschool = await draft('teacherA1', { level: 'mam-non', grades: [], subject: 'giao-duc-mam-non', series: undefined });
    const noDept = await server.http.post(`/api/v1/materials/${preschool}/submit`).set(auth('teacherA1')).expect(422);
    expect(noDept.body.error.code).toBe('NO_REVIEW_DEPARTMENT');
    expect(noDept.body.error.message).toMatch(/Vụ/);
  });

  it('lets exactly one of two concurrent claims win', async () => {
    const id = await draft();
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
    const task = await taskFor('reviewerA1', id);
    const results = await Promise.all([
      server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('reviewerA1')),
      server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('reviewerA1bis')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.error.code).toBe('TASK_CLAIMED');
    // The loser cannot decide either; the claimed task shows up under status=claimed.
    const loserName = results[0]!.status === 409 ? 'reviewerA1' : 'reviewerA1bis';
    await server.http.post(`/api/v1/review/tasks/${task!.id}/decision`).set(auth(loserName)).send({ decision: 'approve' }).expect(409);
    const claimed = await server.http.get('/api/v1/review/tasks?status=claimed').set(auth('reviewerA1')).expect(200);
    expect(claimed.body.items.some((t: { id: string }) => t.id === task!.id)).toBe(true);
  });

  it('lets a claim lapse after its lease so another reviewer can take the task', async () => {
    const id = await draft();
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
    const task = await taskFor('reviewerA1', id);
    const claim = await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('reviewerA1')).expect(200);
    expect(new Date(claim.body.claimExpiresAt).getTime() - Date.now()).toBeGreaterThan(110 * 60_000);
    await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('reviewerA1bis')).expect(409);
    // Time passes: the reviewer went on holiday.
    await server.ctx.db.pool.query("UPDATE review_tasks SET claim_expires_at = now() - interval '1 minute' WHERE id = $1", [task!.id]);
    expect(await taskFor('reviewerA1bis', id)).toBeDefined();
    const late = await server.http.post(`/api/v1/review/tasks/${task!.id}/decision`).set(auth('reviewerA1')).send({ decision: 'approve' }).expect(409);
    expect(late.body.error.code).toBe('TASK_NOT_CLAIMED');
    await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('reviewerA1bis')).expect(200);
    await server.http.post(`/api/v1/review/tasks/${task!.id}/decision`).set(auth('reviewerA1bis')).send({ decision: 'approve' }).expect(200);
    const done = await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('reviewerA1bis')).expect(409);
    expect(done.body.error.code).toBe('TASK_CLOSED');
    const finished = await server.http.get('/api/v1/review/tasks?status=done').set(auth('reviewerA1')).expect(200);
    expect(finished.body.items.find((t: { id: string }) => t.id === task!.id)).toMatchObject({ status: 'done', decision: 'approve' });
  });

  it('guards decisions: 409 before a claim, 403 for a contributor, on one\'s own material, for another province or department', async () => {
    const id = await draft('teacherReviewerA1');
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherReviewerA1')).expect(200);
    const task = await taskFor('reviewerA1', id);
    const before = await server.http.post(`/api/v1/review/tasks/${task!.id}/decision`).set(auth('reviewerA1')).send({ decision: 'approve' }).expect(409);
    expect(before.body.error.code).toBe('TASK_NOT_CLAIMED');
    await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('teacherA1')).expect(403);
    const own = await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('teacherReviewerA1')).expect(403);
    expect(own.body.error.code).toBe('OWN_MATERIAL');
    await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('reviewerSgdB')).expect(403);
    await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('reviewerGdpt')).expect(403);
    await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).set(auth('reviewerQpan')).expect(403);
    await server.http.post('/api/v1/review/tasks/00000000-0000-4000-8000-000000000000/claim').set(auth('reviewerA1')).expect(404);
    await server.http.post(`/api/v1/review/tasks/${task!.id}/claim`).expect(401);
    await server.http.get('/api/v1/review/tasks').set(auth('teacherA1')).expect(403);
  });

  it('request_changes returns the material to its author and resubmission starts again at the first stage', async () => {
    const id = await draft();
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
    await approve('reviewerA1', id);
    const sent = await approve('reviewerSgdA', id, 'request_changes');
    expect(sent.body.materialStatus).toBe('changes_requested');
    await server.http.patch(`/api/v1/materials/${id}`).set(auth('teacherA1')).send({ title: 'Tam giác đồng dạng (sửa)' }).expect(200);
    const again = await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
    expect(again.body.stages[0].orgCode).toBe('thcs-a1');
    expect(await taskFor('reviewerA1', id)).toBeDefined();
    expect(await taskFor('reviewerSgdA', id)).toBeUndefined();
  });

  it('reject is final for that version', async () => {
    const id = await draft();
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
    const rejected = await approve('reviewerA1', id, 'reject');
    expect(rejected.body.materialStatus).toBe('rejected');
    const resubmit = await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(422);
    expect(resubmit.body.error.code).toBe('INVALID_STATE');
    await server.http.patch(`/api/v1/materials/${id}`).set(auth('teacherA1')).send({ title: 'x' }).expect(422);
  });

  it('a revision keeps version n public until version n+1 is approved', async () => {
    const id = await draft();
    await publish(id);
    const revised = await server.http.post(`/api/v1/materials/${id}/revise`).set(auth('teacherA1')).expect(200);
    expect(revised.body).toMatchObject({ version: 2, publishedVersion: 1, status: 'draft' });
    expect(revised.body.files).toHaveLength(1);
    await server.http.patch(`/api/v1/materials/${id}`).set(auth('teacherA1')).send({ title: 'Tam giác đồng dạng — phiên bản 2' }).expect(200);
    const publicView = await server.http.get(`/api/v1/materials/${id}`).expect(200);
    expect(publicView.body).toMatchObject({ version: 1, title: MATERIAL.title, status: 'published' });
    const oldFile = publicView.body.files[0].id;
    await server.http.get(`/api/v1/files/${oldFile}/content`).expect(200);
    // The working version's own file row is not public.
    const ownerView = await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200);
    expect(ownerView.body.files[0].id).not.toBe(oldFile);
    await server.http.get(`/api/v1/files/${ownerView.body.files[0].id}/content`).expect(404);

    await publish(id);
    const after = await server.http.get(`/api/v1/materials/${id}`).expect(200);
    expect(after.body).toMatchObject({ version: 2, publishedVersion: 2, title: 'Tam giác đồng dạng — phiên bản 2' });
    await eventually(async () => {
      const res = await server.http.get('/api/v1/search').query({ q: 'phien ban 2' });
      return res.body.hits.some((h: { id: string }) => h.id === id);
    });
  });

  it('keeps drafts private: anonymous, another school and another province get 404; the org-admin above sees it', async () => {
    const id = await draft();
    await server.http.get(`/api/v1/materials/${id}`).expect(404);
    await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA2')).expect(404);
    await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherB1')).expect(404);
    await server.http.get(`/api/v1/materials/${id}`).set(auth('orgAdminA')).expect(200);
    await server.http.patch(`/api/v1/materials/${id}`).set(auth('teacherA2')).send({ title: 'x' }).expect(404);
    const file = (await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1'))).body.files[0].id;
    await server.http.get(`/api/v1/files/${file}/content`).expect(404);
    await server.http.get(`/api/v1/files/${file}/content`).set(auth('teacherB1')).expect(404);
    await server.http.get(`/api/v1/materials/${id}/history`).expect(401);
    await server.http.get(`/api/v1/materials/${id}/history`).set(auth('teacherB1')).expect(404);
  });

  it('downloads with ETag, ranges and the Vietnamese file name, and counts downloads', async () => {
    const id = await draft();
    await publish(id);
    const material = (await server.http.get(`/api/v1/materials/${id}`).expect(200)).body;
    const file = material.files[0];
    const full = await server.http.get(`/api/v1/files/${file.id}/content`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(full.headers.etag).toBe(`"${file.sha256}"`);
    expect(full.headers['content-type']).toBe('application/pdf');
    expect(full.headers['content-disposition']).toContain("filename*=UTF-8''B%C3%A0i%20gi%E1%BA%A3ng%20tam%20gi%C3%A1c.pdf");
    expect((full.body as Buffer).equals(pdfBytes(id))).toBe(true);

    const partial = await server.http.get(`/api/v1/files/${file.id}/content`).set('range', 'bytes=0-3').expect(206);
    expect(partial.headers['content-range']).toBe(`bytes 0-3/${file.size}`);
    expect(partial.text ?? partial.body.toString()).toContain('%PDF');
    await server.http.get(`/api/v1/files/${file.id}/content`).set('range', `bytes=${file.size + 10}-`).expect(416);
    await server.http.get(`/api/v1/files/${file.id}/content`).set('if-none-match', `"${file.sha256}"`).expect(304);
    // The public view of a published material is cached (its count may lag up to 30 s); its owner reads it fresh.
    const counted = (await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200)).body.downloadCount;
    expect(counted).toBe(2);
  });

  it('archives: the material leaves search and public view', async () => {
    const id = await draft('teacherA1', { title: 'Phương trình bậc hai độc nhất' });
    await publish(id);
    await eventually(async () => (await server.http.get('/api/v1/search').query({ q: 'phuong trinh bac hai doc nhat' })).body.total === 1);
    await server.http.post(`/api/v1/materials/${id}/archive`).set(auth('teacherA1')).expect(200);
    await server.http.get(`/api/v1/materials/${id}`).expect(404);
    await eventually(async () => (await server.http.get('/api/v1/search').query({ q: 'phuong trinh bac hai doc nhat' })).body.total === 0);
  });

  it('collections hold published materials in order and are public', async () => {
    const published = await draft('teacherA1', { title: 'Hình học lớp 8' });
    await publish(published);
    const unpublished = await draft();
    await server.http.post('/api/v1/collections').set(auth('teacherA1')).send({ title: 'x' }).expect(403);
    await server.http.post('/api/v1/collections').send({ title: 'x' }).expect(401);
    const created = await server.http.post('/api/v1/collections').set(auth('reviewerSgdA'))
      .send({ title: 'Toán 8 — Hình học', level: 'thcs', grade: 8, subject: 'toan' }).expect(201);
    const cid = created.body.id;
    await server.http.post(`/api/v1/collections/${cid}/items`).set(auth('reviewerSgdA')).send({ materialId: published }).expect(201);
    const refused = await server.http.post(`/api/v1/collections/${cid}/items`).set(auth('reviewerSgdA')).send({ materialId: unpublished }).expect(422);
    expect(refused.body.error.code).toBe('NOT_PUBLISHED');
    await server.http.post(`/api/v1/collections/${cid}/items`).set(auth('reviewerSgdB')).send({ materialId: published }).expect(403);
    await server.http.post(`/api/v1/collections/${cid}/items`).set(auth('reviewerSgdA')).send({ materialId: published }).expect(409);
    const shown = await server.http.get(`/api/v1/collections/${cid}`).expect(200);
    expect(shown.body.items.map((i: { id: string }) => i.id)).toEqual([published]);
    const listed = await server.http.get('/api/v1/collections').query({ level: 'thcs', grade: 8, subject: 'toan' }).expect(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(cid);
    expect((await server.http.get('/api/v1/collections').query({ grade: 9 }).expect(200)).body.items).toHaveLength(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, MATERIAL, PASSWORD, pdfBytes, type World } from '../helpers/world.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  server = await startTestServer({ env: { LOGIN_MAX_FAILURES: '3' } });
  world = await createWorld(server);
});
afterAll(async () => server?.close());

describe('organisations', () => {
  it('creates org units (201), refuses a duplicate code (409), bad input (400), anonymous (401), non-admins (403)', async () => {
    const body = { code: 'thcs-a3', name: 'Trường THCS A3', kind: 'school', parentCode: 'sgd-a' };
    const created = await server.http.post('/api/v1/orgs').set(auth('admin')).send(body).expect(201);
    expect(created.body).toMatchObject({ code: 'thcs-a3', parentCode: 'sgd-a', kind: 'school' });
    const duplicate = await server.http.post('/api/v1/orgs').set(auth('admin')).send(body).expect(409);
    expect(duplicate.body.error).toMatchObject({ code: 'ORG_CODE_TAKEN' });
    expect(duplicate.body.error.message).toContain('thcs-a3');
    const invalid = await server.http.post('/api/v1/orgs').set(auth('admin')).send({ code: 'X Y', name: '', kind: 'planet' }).expect(400);
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['code', 'name', 'kind']));
    await server.http.post('/api/v1/orgs').send({ ...body, code: 'x1' }).expect(401);
    await server.http.post('/api/v1/orgs').set(auth('teacherA1')).send({ ...body, code: 'x2' }).expect(403);
    // An org-admin manages their own subtree only.
    await server.http.post('/api/v1/orgs').set(auth('orgAdminA')).send({ ...body, code: 'thcs-a4' }).expect(201);
    await server.http.post('/api/v1/orgs').set(auth('orgAdminA')).send({ ...body, code: 'thpt-b9', parentCode: 'sgd-b' }).expect(403);
    const unknownParent = await server.http.post('/api/v1/orgs').set(auth('admin')).send({ ...body, code: 'x3', parentCode: 'nowhere' }).expect(400);
    expect(unknownParent.body.error.code).toBe('UNKNOWN_ORG');
  });

  it('answers in English on request', async () => {
    const res = await server.http.post('/api/v1/orgs').set(auth('admin')).set('accept-language', 'en-US,en;q=0.9')
      .send({ code: 'sgd-a', name: 'dup', kind: 'province', parentCode: 'bgddt' }).expect(409);
    expect(res.body.error.message).toBe('Organisation code "sgd-a" already exists.');
  });

  it('moves a province under another (a merger) and keeps its materials, versions, tasks and history', async () => {
    await server.http.post('/api/v1/orgs').set(auth('admin')).send({ code: 'sgd-merged', name: 'Sở GDĐT sau sáp nhập', kind: 'province', parentCode: 'bgddt', reviewScope: {} }).expect(201);
    const material = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201);
    await server.http.post(`/api/v1/materials/${material.body.id}/files`).set(auth('teacherA1')).attach('file', pdfBytes('merge'), 'a.pdf').expect(201);
    await server.http.post(`/api/v1/materials/${material.body.id}/submit`).set(auth('teacherA1')).expect(200);

    await server.http.post('/api/v1/orgs/sgd-a/move').set(auth('orgAdminA')).send({ parentCode: 'sgd-merged' }).expect(403);
    const cycle = await server.http.post('/api/v1/orgs/sgd-a/move').set(auth('admin')).send({ parentCode: 'thcs-a1' }).expect(400);
    expect(cycle.body.error.code).toBe('INVALID_ORG_PARENT');
    const moved = await server.http.post('/api/v1/orgs/sgd-a/move').set(auth('admin')).send({ parentCode: 'sgd-merged' }).expect(200);
    expect(moved.body.parentCode).toBe('sgd-merged');
    expect((await server.http.get('/api/v1/orgs/thcs-a1').expect(200)).body.parentCode).toBe('sgd-a');

    // The open task survives; the history is intact; a new submission now passes the merged province too.
    const tasks = await server.http.get('/api/v1/review/tasks').set(auth('reviewerA1')).expect(200);
    expect(tasks.body.items.some((t: { materialId: string }) => t.materialId === material.body.id)).toBe(true);
    const history = await server.http.get(`/api/v1/materials/${material.body.id}/history`).set(auth('teacherA1')).expect(200);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['created', 'file_added', 'submitted']);
    const next = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201);
    await server.http.post(`/api/v1/materials/${next.body.id}/files`).set(auth('teacherA1')).attach('file', pdfBytes('merge2'), 'b.pdf').expect(201);
    const stages = await server.http.post(`/api/v1/materials/${next.body.id}/submit`).set(auth('teacherA1')).expect(200);
    expect(stages.body.stages.map((s: { orgCode: string }) => s.orgCode)).toEqual(['thcs-a1', 'sgd-a', 'sgd-merged', 'vu-gdpt']);
    // The merged province's org-admin-less tree is still visible in the list.
    const list = await server.http.get('/api/v1/orgs').expect(200);
    expect(list.body.items.find((o: { code: string }) => o.code === 'sgd-a').parentCode).toBe('sgd-merged');
  });
});

describe('users', () => {
  const user = (over: Record<string, unknown> = {}) => ({ username: 'gv-moi', password: PASSWORD, displayName: 'Giáo viên mới', orgCode: 'thcs-a1', roles: ['contributor'], ...over });

  it('creates users (admin, or org-admin in their subtree) and enforces uniqueness and password strength', async () => {
    const created = await server.http.post('/api/v1/users').set(auth('orgAdminA')).send(user({ personalId: '0123456789' })).expect(201);
    expect(created.body).toMatchObject({ username: 'gv-moi', orgCode: 'thcs-a1', roles: ['contributor'], personalId: '0123456789' });
    expect(created.body.passwordHash).toBeUndefined();
    expect((await server.http.post('/api/v1/users').set(auth('admin')).send(user()).expect(409)).body.error.code).toBe('USERNAME_TAKEN');
    expect((await server.http.post('/api/v1/users').set(auth('admin')).send(user({ username: 'gv-2', personalId: '0123456789' })).expect(409)).body.error.code).toBe('PERSONAL_ID_TAKEN');
    const weak = await server.http.post('/api/v1/users').set(auth('admin')).send(user({ username: 'gv-3', password: 'ngan' })).expect(400);
    expect(weak.body.error.code).toBe('WEAK_PASSWORD');
    await server.http.post('/api/v1/users').set(auth('orgAdminA')).send(user({ username: 'gv-4', orgCode: 'thpt-b1' })).expect(403);
    await server.http.post('/api/v1/users').set(auth('orgAdminA')).send(user({ username: 'gv-5', roles: ['admin'] })).expect(403);
    await server.http.post('/api/v1/users').set(auth('teacherA1')).send(user({ username: 'gv-6' })).expect(403);
    await server.http.post('/api/v1/users').send(user({ username: 'gv-7' })).expect(401);
    const badRole = await server.http.post('/api/v1/users').set(auth('admin')).send(user({ username: 'gv-8', roles: ['king'] })).expect(400);
    expect(badRole.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('authentication', () => {
  it('logs in, shows the current user, and revokes the token on logout', async () => {
    const login = await server.http.post('/api/v1/auth/login').send({ username: 'teacherA2', password: PASSWORD }).expect(200);
    expect(login.body.user).toMatchObject({ username: 'teachera2', orgCode: 'thcs-a2', roles: ['contributor'] });
    const token = login.body.token as string;
    const me = await server.http.get('/api/v1/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(me.body.username).toBe('teachera2');
    await server.http.post('/api/v1/auth/logout').set('authorization', `Bearer ${token}`).expect(204);
    const after = await server.http.get('/api/v1/me').set('authorization', `Bearer ${token}`).expect(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
    await server.http.get('/api/v1/me').expect(401);
    await server.http.get('/api/v1/me').set('authorization', 'Bearer not-a-token').expect(401);
  });

  it('gives the same answer for a wrong password and an unknown user, and throttles repeated failures from one address', async () => {
    const attempt = (password: string, forwardedFor: string) => server.http.post('/api/v1/auth/login').set('x-forwarded-for', forwardedFor).send({ username: 'teacherB1', password });
    const wrong = await attempt('sai-mat-khau-123', '10.9.0.1').expect(401);
    const unknown = await server.http.post('/api/v1/auth/login').send({ username: 'nobody-here', password: 'sai-mat-khau-123' }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
    // Without TRUST_PROXY, X-Forwarded-For is the client's own claim: every attempt is from the socket's address.
    await attempt('sai-mat-khau-123', '10.9.0.2').expect(401);
    await attempt('sai-mat-khau-123', '10.9.0.3').expect(401);
    const throttled = await attempt(PASSWORD, '10.9.0.4').expect(429);
    expect(throttled.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('taxonomy, NFC and documentation', () => {
  it('serves the taxonomy with levels, subjects, series, material types and licences', async () => {
    const res = await server.http.get('/api/v1/taxonomy').expect(200);
    expect(res.body.levels.map((l: { code: string }) => l.code)).toEqual(['mam-non', 'tieu-hoc', 'thcs', 'thpt', 'gdtx', 'gdnn', 'dai-hoc']);
    expect(res.body.subjects.find((s: { code: string }) => s.code === 'toan').grades).toHaveLength(12);
    expect(res.body.materialTypes.map((t: { code: string }) => t.code)).toEqual(expect.arrayContaining(['lecture', 'video', 'tv-lesson', 'question-bank', 'ebook', 'document', 'lab-guide', 'simulation', 'audio', 'image', 'game']));
    expect(res.body.licenses.map((t: { code: string }) => t.code)).toEqual(expect.arrayContaining(['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'CC0-1.0', 'all-rights-reserved']));
    expect(res.body.series.map((t: { code: string }) => t.code)).toContain('ket-noi-tri-thuc');
  });

  it('stores decomposed (NFD) Vietnamese as NFC', async () => {
    const nfd = 'Tam giác đồng dạng'.normalize('NFD');
    const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, title: nfd }).expect(201);
    expect(created.body.title).toBe('Tam giác đồng dạng'.normalize('NFC'));
    expect(created.body.title).not.toBe(nfd);
  });

  it('serves the OpenAPI document and its UI, and health and readiness', async () => {
    const doc = await server.http.get('/docs/json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/materials', '/api/v1/review/tasks/{id}/claim', '/api/v1/search']));
    await server.http.get('/docs/').expect(200);
    expect((await server.http.get('/api/v1/health').expect(200)).body.status).toBe('ok');
    expect((await server.http.get('/api/v1/ready').expect(200)).body.checks).toEqual({ database: 'ok', storage: 'ok', queue: 'ok', search: 'ok' });
    const missing = await server.http.get('/api/v1/nothing-here').expect(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAsReviewer, createWorld, MATERIAL, PASSWORD, pdfBytes, type World } from '../helpers/world.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
let orgAdminB: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  world = await createWorld(server, ['teacherA1', 'teacherA2', 'reviewerA1', 'reviewerSgdA', 'reviewerSgdB', 'reviewerGdpt', 'orgAdminA', 'teacherB1']);
  await server.http.post('/api/v1/users').set(auth('admin'))
    .send({ username: 'orgadminb', password: PASSWORD, displayName: 'Quản trị Sở B', orgCode: 'sgd-b', roles: ['org-admin'] }).expect(201);
  orgAdminB = { authorization: `Bearer ${(await server.http.post('/api/v1/auth/login').send({ username: 'orgadminb', password: PASSWORD }).expect(200)).body.token}` };
});
afterAll(async () => server?.close());

async function submitted(teacher: 'teacherA1' | 'teacherA2', title: string): Promise<string> {
  const id = (await server.http.post('/api/v1/materials').set(auth(teacher)).send({ ...MATERIAL, title }).expect(201)).body.id as string;
  await server.http.post(`/api/v1/materials/${id}/files`).set(auth(teacher)).attach('file', pdfBytes(title), 'bai.pdf').expect(201);
  await server.http.post(`/api/v1/materials/${id}/submit`).set(auth(teacher)).expect(200);
  return id;
}

const etagOf = async (code: string) => (await server.http.get(`/api/v1/orgs/${code}`).expect(200)).headers.etag as string;
const patch = (code: string, headers: Record<string, string>, body: object) => server.http.patch(`/api/v1/orgs/${code}`).set(headers).send(body);

describe('renaming an org and changing its review scope', () => {
  it('needs the version read (If-Match), refuses a stale one, and records what changed', async () => {
    const missing = await patch('thcs-a2', auth('admin'), { name: 'Trường THCS A2 mới' }).expect(428);
    expect(missing.body.error.code).toBe('ORG_VERSION_REQUIRED');
    const etag = await etagOf('thcs-a2');
    const renamed = await patch('thcs-a2', { ...auth('admin'), 'if-match': etag }, { name: 'Trường THCS Nguyễn Du' }).expect(200);
    expect(renamed.body).toMatchObject({ code: 'thcs-a2', name: 'Trường THCS Nguyễn Du', parentCode: 'sgd-a' });
    expect(renamed.headers.etag).not.toBe(etag);
    // The page that read the old version does not overwrite the new name.
    const stale = await patch('thcs-a2', { ...auth('admin'), 'if-match': etag }, { name: 'Tên cũ' }).expect(412);
    expect(stale.body.error.code).toBe('ORG_CHANGED');
    expect((await server.http.get('/api/v1/orgs/thcs-a2').expect(200)).body.name).toBe('Trường THCS Nguyễn Du');

    const scoped = await patch('thcs-a2', { ...auth('admin'), 'if-match': renamed.headers.etag! }, { reviewScope: { subjects: ['toan'] } }).expect(200);
    expect(scoped.body.reviewScope).toEqual({ subjects: ['toan'] });
    const unknown = await patch('thcs-a2', { ...auth('admin'), 'if-match': scoped.headers.etag! }, { reviewScope: { levels: ['dai-hoc-ao'] } }).expect(400);
    expect(unknown.body.error.code).toBe('UNKNOWN_TAXONOMY_CODE');
    await patch('thcs-a2', { ...auth('admin'), 'if-match': scoped.headers.etag! }, { reviewScope: null }).expect(200);
    expect((await server.http.get('/api/v1/orgs/thcs-a2').expect(200)).body.reviewScope).toBeNull();

    const trail = await server.http.get('/api/v1/audit?org=thcs-a2&action=org_updated').set(auth('admin')).expect(200);
    expect(trail.body.total).toBe(3);
    expect(trail.body.items.at(-1).data.name).toEqual({ from: 'Trường THCS A2', to: 'Trường THCS Nguyễn Du' });
    expect(trail.body.items[0].actor.username).toBe('admin');
  });

  it('lets an org-admin change orgs strictly inside their subtree only, and never a department', async () => {
    const etag = await etagOf('thcs-a2');
    await patch('thcs-a2', { ...auth('orgAdminA'), 'if-match': etag }, { name: 'Trường THCS A2' }).expect(200);
    // Their own org's stage, another province's school, a ministry department: not theirs to change.
    await patch('sgd-a', { ...auth('orgAdminA'), 'if-match': await etagOf('sgd-a') }, { reviewScope: null }).expect(403);
    await patch('thpt-b1', { ...auth('orgAdminA'), 'if-match': await etagOf('thpt-b1') }, { name: 'Lạ' }).expect(403);
    await patch('vu-gdpt', { ...auth('orgAdminA'), 'if-match': await etagOf('vu-gdpt') }, { reviewScope: { subjects: ['toan'] } }).expect(403);
    await patch('thcs-a2', auth('teacherA1'), { name: 'Lạ' }).expect(403);
    await patch('thcs-a2', {}, { name: 'Lạ' }).expect(401);
    expect((await server.http.get('/api/v1/orgs/sgd-a').expect(200)).body.reviewScope).toEqual({});
  });
});

describe('moving a subtree', () => {
  it('previews the orgs, accounts and materials that move, then moves exactly those', async () => {
    await server.http.post('/api/v1/orgs').set(auth('orgAdminA')).send({ code: 'pgd-a1', name: 'Phòng GDĐT A1', kind: 'district', parentCode: 'sgd-a' }).expect(201);
    await server.http.post('/api/v1/orgs').set(auth('orgAdminA')).send({ code: 'th-a1', name: 'Trường Tiểu học A1', kind: 'school', parentCode: 'sgd-a' }).expect(201);
    await server.http.post('/api/v1/users').set(auth('orgAdminA'))
      .send({ username: 'giaovien-th-a1', password: PASSWORD, displayName: 'Giáo viên TH A1', orgCode: 'th-a1', roles: ['contributor'] }).expect(201);
    const preview = await server.http.get('/api/v1/orgs/th-a1/move-preview?to=pgd-a1').set(auth('orgAdminA')).expect(200);
    expect(preview.body).toMatchObject({ mode: 'move', orgs: { total: 1, schools: 1 }, users: 1, materials: 0, openReviewTasks: 0, closes: false });
    // Out of the org-admin's subtree: refused in the preview as in the move.
    await server.http.get('/api/v1/orgs/th-a1/move-preview?to=sgd-b').set(auth('orgAdminA')).expect(403);
    await server.http.post('/api/v1/orgs/th-a1/move').set(auth('orgAdminA')).send({ parentCode: 'sgd-b' }).expect(403);
    await server.http.get('/api/v1/orgs/pgd-a1/move-preview?to=th-a1').set(auth('orgAdminA')).expect(200);
    const intoOwn = await server.http.get('/api/v1/orgs/sgd-a/move-preview?to=thcs-a1').set(auth('admin')).expect(400);
    expect(intoOwn.body.error.code).toBe('INVALID_ORG_PARENT');
    const moved = await server.http.post('/api/v1/orgs/th-a1/move').set(auth('orgAdminA')).send({ parentCode: 'pgd-a1' }).expect(200);
    expect(moved.body.parentCode).toBe('pgd-a1');
  });
});

describe('merging province A into province B', () => {
  it('previews what moves, moves exactly that, closes A with its history, and the open reviews go on at B', async () => {
    const atSchool = await submitted('teacherA1', 'Chờ ở trường');
    const atProvince = await submitted('teacherA2', 'Chờ ở Sở A');
    // thcs-a2 is no stage (its scope was cleared above): its material waits at the province.
    const pending = await server.http.get('/api/v1/review/tasks?status=open').set(auth('reviewerSgdA')).expect(200);
    const provinceTask = pending.body.items.find((t: { materialId: string }) => t.materialId === atProvince);
    expect(provinceTask, 'a task waits at the province').toBeTruthy();

    const within = async (root: string) => (await server.ctx.db.db.execute<{ orgs: number; schools: number; users: number; materials: number; tasks: number }>(sql`
      WITH RECURSIVE t AS (SELECT id, kind FROM org_units WHERE code = ${root} UNION ALL SELECT o.id, o.kind FROM org_units o JOIN t ON o.parent_id = t.id)
      SELECT (SELECT count(*) FROM t)::int - 1 AS orgs, (SELECT count(*) FROM t WHERE kind = 'school')::int AS schools,
        (SELECT count(*) FROM users WHERE org_id IN (SELECT id FROM t))::int AS users,
        (SELECT count(*) FROM materials WHERE org_id IN (SELECT id FROM t))::int AS materials,
        (SELECT count(*) FROM review_tasks WHERE NOT done AND org_id IN (SELECT id FROM t))::int AS tasks`)).rows[0]!;
    const before = await within('sgd-b');

    await server.http.get('/api/v1/orgs/sgd-a/move-preview?to=sgd-b&mode=merge').set(auth('orgAdminA')).expect(403);
    await server.http.get('/api/v1/orgs/sgd-a/move-preview?to=sgd-b&mode=merge').set(orgAdminB).expect(403);
    const acrossKinds = await server.http.get('/api/v1/orgs/sgd-a/move-preview?to=thpt-b1&mode=merge').set(auth('admin')).expect(400);
    expect(acrossKinds.body.error.code).toBe('INVALID_ORG_MERGE');

    const preview = (await server.http.get('/api/v1/orgs/sgd-a/move-preview?to=sgd-b&mode=merge').set(auth('admin')).expect(200)).body;
    expect(preview.closes).toBe(true);
    expect(preview.orgs.items.map((o: { code: string }) => o.code).sort()).toEqual(['pgd-a1', 'th-a1', 'thcs-a1', 'thcs-a2']);
    expect(preview.orgs.schools).toBe(3);
    expect(preview.rehomedAccounts.map((a: { username: string }) => a.username).sort()).toEqual(['orgadmina', 'reviewersgda']);
    expect(preview.materials).toBe(2);
    expect(preview.openReviewTasks).toBe(2);

    const merged = await server.http.post('/api/v1/orgs/sgd-a/merge').set(auth('admin')).send({ into: 'sgd-b' }).expect(200);
    expect(merged.body.org).toMatchObject({ code: 'sgd-a', mergedIntoCode: 'sgd-b' });
    expect(merged.body.org.closedAt).toBeTruthy();
    const after = await within('sgd-b');
    expect({
      orgs: after.orgs - before.orgs, schools: after.schools - before.schools, users: after.users - before.users,
      materials: after.materials - before.materials, tasks: after.tasks - before.tasks,
    }).toEqual({ orgs: preview.orgs.total, schools: preview.orgs.schools, users: preview.users, materials: preview.materials, tasks: preview.openReviewTasks });
    expect((await server.http.get('/api/v1/orgs/thcs-a1').expect(200)).body.parentCode).toBe('sgd-b');
    // Closed, not deleted: still listed, with where it went; nothing new points at it.
    const listed = (await server.http.get('/api/v1/orgs').expect(200)).body.items.find((o: { code: string }) => o.code === 'sgd-a');
    expect(listed).toMatchObject({ mergedIntoCode: 'sgd-b', parentCode: 'bgddt' });
    const closed = await server.http.post('/api/v1/users').set(auth('admin'))
      .send({ username: 'nguoi-moi', password: PASSWORD, displayName: 'Mới', orgCode: 'sgd-a', roles: ['contributor'] }).expect(409);
    expect(closed.body.error.code).toBe('ORG_CLOSED');
    await server.http.post('/api/v1/orgs/sgd-a/merge').set(auth('admin')).send({ into: 'sgd-b' }).expect(409);
    await server.http.post('/api/v1/orgs/thcs-a1/move').set(auth('admin')).send({ parentCode: 'sgd-a' }).expect(409);

    // The province stage that waited at A is B's now; the school stage's next step opens at B too.
    await approveAsReviewer(server, world, 'reviewerSgdB', atProvince);
    expect((await server.http.get('/api/v1/review/tasks?status=open').set(auth('reviewerGdpt')).expect(200)).body.items
      .some((t: { materialId: string }) => t.materialId === atProvince)).toBe(true);
    await approveAsReviewer(server, world, 'reviewerA1', atSchool);
    expect((await server.http.get('/api/v1/review/tasks?status=open').set(auth('reviewerSgdB')).expect(200)).body.items
      .some((t: { materialId: string; stage: { orgCode: string } }) => t.materialId === atSchool && t.stage.orgCode === 'sgd-b')).toBe(true);

    // The trail tells both sides; B's org-admin now reads A's former schools' events, A's own closing stays under A.
    const trail = await server.http.get('/api/v1/audit?action=org_merged').set(auth('admin')).expect(200);
    expect(trail.body.items[0]).toMatchObject({ org: { code: 'sgd-a' }, data: { intoCode: 'sgd-b' } });
    const seenByB = await server.http.get('/api/v1/audit?limit=200').set(orgAdminB).expect(200);
    expect(seenByB.body.items.some((e: { action: string }) => e.action === 'org_absorbed')).toBe(true);
    expect(seenByB.body.items.some((e: { action: string }) => e.action === 'org_merged')).toBe(false);
    expect(seenByB.body.items.some((e: { material: { id: string } | null }) => e.material?.id === atSchool)).toBe(true);
  });

  it('lets an org-admin merge two schools of their subtree; a contributor may not merge', async () => {
    await server.http.post('/api/v1/orgs').set(orgAdminB).send({ code: 'thpt-b2', name: 'Trường THPT B2', kind: 'school', parentCode: 'sgd-b' }).expect(201);
    await server.http.post('/api/v1/orgs/thpt-b2/merge').set(orgAdminB).send({ into: 'thpt-b1' }).expect(200);
    await server.http.post('/api/v1/orgs/thpt-b1/merge').set(auth('teacherB1')).send({ into: 'thcs-a1' }).expect(403);
    const self = await server.http.post('/api/v1/orgs/thpt-b1/merge').set(auth('admin')).send({ into: 'thpt-b1' }).expect(400);
    expect(self.body.error.code).toBe('INVALID_ORG_MERGE');
  });
});

describe('the audit log', () => {
  it('filters by actor, org, material, action and time, paged, and is for administrators only', async () => {
    const all = await server.http.get('/api/v1/audit?limit=5').set(auth('admin')).expect(200);
    expect(all.body.items).toHaveLength(5);
    const next = await server.http.get('/api/v1/audit?limit=5&offset=5').set(auth('admin')).expect(200);
    expect(next.body.total).toBe(all.body.total);
    expect(next.body.items[0].id).toBeLessThan(all.body.items[4].id);
    const byActor = await server.http.get('/api/v1/audit?actor=teacherA1&action=submitted').set(auth('admin')).expect(200);
    expect(byActor.body.total).toBe(1);
    expect(byActor.body.items[0].material.title).toBe('Chờ ở trường');
    const material = byActor.body.items[0].material.id as string;
    const ofMaterial = await server.http.get(`/api/v1/audit?material=${material}`).set(auth('admin')).expect(200);
    expect(ofMaterial.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['created', 'file_added', 'submitted']));
    const future = await server.http.get('/api/v1/audit?from=2099-01-01T00:00:00Z').set(auth('admin')).expect(200);
    expect(future.body).toEqual({ total: 0, items: [] });
    const past = await server.http.get('/api/v1/audit?to=2000-01-01T00:00:00Z').set(auth('admin')).expect(200);
    expect(past.body.total).toBe(0);
    await server.http.get('/api/v1/audit?org=thcs-a1').set(orgAdminB).expect(200);
    await server.http.get('/api/v1/audit?org=vu-gdpt').set(orgAdminB).expect(403);
    await server.http.get('/api/v1/audit').set(auth('teacherB1')).expect(403);
    await server.http.get('/api/v1/audit').expect(401);
  });
});

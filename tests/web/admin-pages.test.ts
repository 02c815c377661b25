import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexMaterialJob } from '../../src/search/jobs/index-material.job.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, PASSWORD, type World } from '../helpers/world.js';
import { csrfOf, HTML, signInAgent, type Agent } from '../helpers/web.js';

/** The administration pages (/quan-tri), driven as a browser would: sign-in, CSRF tokens, urlencoded forms. */
let server: TestServer;
let world: World;
const versionOf = (html: string) => /name="phien-ban" value="([^"]+)"/.exec(html)![1]!.replace(/&quot;/g, '"');
let admin: Agent;
let orgAdmin: Agent;
let teacher: Agent;

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  world = await createWorld(server, ['teacherA1', 'orgAdminA']);
  [admin, orgAdmin, teacher] = await Promise.all([signInAgent(server, 'admin'), signInAgent(server, 'orgAdminA'), signInAgent(server, 'teacherA1')]);
}, 120_000);
afterAll(async () => server?.close());

describe('the administration home', () => {
  it('shows admins every section, org-admins theirs, and nobody else anything', async () => {
    const home = await admin.get('/quan-tri').set(HTML).expect(200);
    for (const path of ['/quan-tri/don-vi', '/quan-tri/nguoi-dung', '/quan-tri/tac-vu', '/quan-tri/nhat-ky']) expect(home.text).toContain(`href="${path}"`);
    const own = await orgAdmin.get('/quan-tri').set(HTML).expect(200);
    expect(own.text).toContain('href="/quan-tri/nguoi-dung"');
    expect(own.text).not.toContain('href="/quan-tri/tac-vu"');
    expect(own.text).toContain('href="/quan-tri">Quản trị</a>');
    const refused = await teacher.get('/quan-tri').set(HTML).expect(403);
    expect(refused.text).not.toContain('href="/quan-tri">Quản trị</a>');
    await teacher.get('/quan-tri/don-vi').set(HTML).expect(403);
    await orgAdmin.get('/quan-tri/tac-vu').set(HTML).expect(403);
    const anonymous = await server.http.get('/quan-tri/nhat-ky').set(HTML).expect(303);
    expect(anonymous.headers.location).toBe('/dang-nhap?tiep=%2Fquan-tri%2Fnhat-ky');
  });
});

describe('the org tree', () => {
  it('shows an org-admin their subtree only, creates a school from the form, and gives a refused form back', async () => {
    const tree = await orgAdmin.get('/quan-tri/don-vi').set(HTML).expect(200);
    expect(tree.text).toContain('Trường THCS A1');
    expect(tree.text).not.toContain('Trường THPT B1');
    const token = csrfOf(tree.text);
    const refused = await orgAdmin.post('/quan-tri/don-vi').set(HTML).type('form').send({ _csrf: token, code: 'Sai Mã', name: 'Trường mới', kind: 'school', parentCode: 'sgd-a' }).expect(400);
    expect(refused.text).toContain('Mã cần 2–64 ký tự');
    expect(refused.text).toContain('value="Trường mới"');
    const elsewhere = await orgAdmin.post('/quan-tri/don-vi').set(HTML).type('form').send({ _csrf: token, code: 'thpt-b9', name: 'Trường B9', kind: 'school', parentCode: 'sgd-b' }).expect(403);
    expect(elsewhere.text).toContain('Bạn không có quyền');
    await orgAdmin.post('/quan-tri/don-vi').set(HTML).type('form').send({ code: 'thcs-a5', name: 'Trường THCS A5', kind: 'school', parentCode: 'sgd-a' }).expect(403);
    const created = await orgAdmin.post('/quan-tri/don-vi').set(HTML).type('form').send({ _csrf: token, code: 'thcs-a5', name: 'Trường THCS A5', kind: 'school', parentCode: 'sgd-a' }).expect(303);
    expect(created.headers.location).toBe('/quan-tri/don-vi/thcs-a5?thong-bao=da-tao');
    const page = await orgAdmin.get(created.headers.location!).set(HTML).expect(200);
    expect(page.text).toContain('Đã tạo đơn vị.');
    // Province B's school does not exist for them.
    await orgAdmin.get('/quan-tri/don-vi/thpt-b1').set(HTML).expect(404);
  });

  it('renames against the version shown, refuses a stale form, and sets a review scope', async () => {
    const page = await orgAdmin.get('/quan-tri/don-vi/thcs-a5').set(HTML).expect(200);
    const [token, version] = [csrfOf(page.text), versionOf(page.text)];
    await orgAdmin.post('/quan-tri/don-vi/thcs-a5').set(HTML).type('form').send({ _csrf: token, 'phien-ban': version, name: 'Trường THCS Lê Lợi' }).expect(303);
    const stale = await orgAdmin.post('/quan-tri/don-vi/thcs-a5').set(HTML).type('form').send({ _csrf: token, 'phien-ban': version, name: 'Tên khác' }).expect(412);
    expect(stale.text).toContain('Đơn vị đã được người khác thay đổi');
    const fresh = versionOf((await orgAdmin.get('/quan-tri/don-vi/thcs-a5').set(HTML).expect(200)).text);
    await orgAdmin.post('/quan-tri/don-vi/thcs-a5').set(HTML).type('form').send({ _csrf: token, 'phien-ban': fresh, 'tham-dinh': 'co', subjects: ['toan', 'ngu-van'] }).expect(303);
    const org = (await server.http.get('/api/v1/orgs/thcs-a5').expect(200)).body;
    expect(org).toMatchObject({ name: 'Trường THCS Lê Lợi', reviewScope: { subjects: ['toan', 'ngu-van'] } });
    // Their own province's stage is not theirs to change: no forms there.
    const own = await orgAdmin.get('/quan-tri/don-vi/sgd-a').set(HTML).expect(200);
    expect(own.text).not.toContain('name="phien-ban"');
  });

  it('previews a merge with its numbers, refuses one across kinds in the page, and merges on confirmation', async () => {
    await server.http.post('/api/v1/users').set({ authorization: `Bearer ${world.tokens.admin}` })
      .send({ username: 'gv-le-loi', password: PASSWORD, displayName: 'Cô giáo Lê Lợi', orgCode: 'thcs-a5', roles: ['contributor'] }).expect(201);
    const across = await orgAdmin.get('/quan-tri/don-vi/thcs-a5/chuyen?cach=merge&den=sgd-a').set(HTML).expect(400);
    expect(across.text).toContain('chỉ sáp nhập được hai đơn vị cùng cấp');
    const preview = await orgAdmin.get('/quan-tri/don-vi/thcs-a5/chuyen?cach=merge&den=thcs-a2').set(HTML).expect(200);
    expect(preview.text).toContain('Sáp nhập Trường THCS Lê Lợi vào Trường THCS A2');
    expect(preview.text).toMatch(/<dt>Tài khoản<\/dt><dd>1<\/dd>/);
    expect(preview.text).toContain('gv-le-loi');
    expect((await server.http.get('/api/v1/orgs/thcs-a5').expect(200)).body.closedAt).toBeNull();
    const done = await orgAdmin.post('/quan-tri/don-vi/thcs-a5/chuyen').set(HTML).type('form').send({ _csrf: csrfOf(preview.text), cach: 'merge', den: 'thcs-a2' }).expect(303);
    expect(done.headers.location).toBe('/quan-tri/don-vi/thcs-a2?thong-bao=da-sap-nhap');
    expect((await server.http.get('/api/v1/orgs/thcs-a5').expect(200)).body.mergedIntoCode).toBe('thcs-a2');
    const tree = await orgAdmin.get('/quan-tri/don-vi').set(HTML).expect(200);
    expect(tree.text).toContain('Đơn vị đã sáp nhập (1)');
  });
});

describe('background jobs and the audit log', () => {
  it('lists a stuck job with its reason cut of server paths, and cancels it from the page', async () => {
    await server.ctx.db.transaction((tx) => server.ctx.queue.enqueue(tx, IndexMaterialJob.queue, { materialId: crypto.randomUUID() }));
    const pool = server.ctx.db.pool;
    const { rows } = await pool.query<{ id: string }>(`UPDATE pgboss.job SET state = 'active', started_on = now() - interval '1 hour', expire_in = interval '1 minute',
      output = '{"message":"không đọc được /var/lib/hoclieu/objects/ab/tep.bin"}' WHERE name = $1 AND state = 'created' RETURNING id`, [IndexMaterialJob.queue]);
    const page = await admin.get('/quan-tri/tac-vu').set(HTML).expect(200);
    expect(page.text).toContain('Bị treo (1)');
    expect(page.text).toContain('không đọc được …/tep.bin');
    expect(page.text).not.toContain('/var/lib');
    const cancelled = await admin.post(`/quan-tri/tac-vu/${rows[0]!.id}/huy`).set(HTML).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    expect(cancelled.headers.location).toBe('/quan-tri/tac-vu?thong-bao=da-huy');
    const after = await admin.get(cancelled.headers.location!).set(HTML).expect(200);
    expect(after.text).toContain('Đã huỷ tác vụ.');
    expect(after.text).toContain('Bị treo (0)');
    const again = await admin.post(`/quan-tri/tac-vu/${rows[0]!.id}/huy`).set(HTML).type('form').send({ _csrf: csrfOf(after.text) }).expect(409);
    expect(again.text).toContain('Tác vụ đã kết thúc');
  });

  it('filters the audit log, pages it, and shows an org-admin their subtree only', async () => {
    const merged = await admin.get('/quan-tri/nhat-ky?thao-tac=org_merged').set(HTML).expect(200);
    expect(merged.text).toContain('1 sự kiện.');
    expect(merged.text).toContain('Sáp nhập (đơn vị bị sáp nhập)');
    const mine = await orgAdmin.get('/quan-tri/nhat-ky?thao-tac=org_created').set(HTML).expect(200);
    expect(mine.text).toContain('Trường THCS Lê Lợi');
    expect(mine.text).not.toContain('Trường THPT B1');
    const other = await orgAdmin.get('/quan-tri/nhat-ky?don-vi=sgd-b').set(HTML).expect(400);
    expect(other.text).toContain('Bạn không có quyền');
    const badDate = await admin.get('/quan-tri/nhat-ky?tu=hom-qua').set(HTML).expect(400);
    expect(badDate.text).toContain('Ngày không hợp lệ.');
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const paged = await admin.get(`/quan-tri/nhat-ky?tu=${today}&den=${today}`).set(HTML).expect(200);
    expect(paged.text).toMatch(/\d+ sự kiện\./);
    expect(paged.text).not.toContain('Không có sự kiện nào.');
  });
});

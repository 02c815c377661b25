import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, pdfBytes, type World } from '../helpers/world.js';
import { csrfOf, HTML, signInAgent, type Agent } from '../helpers/web.js';

/** The inbox, the e-mail preferences and the administrators' account pages, driven through their forms as a browser does. */
let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const sql = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await server.ctx.db.pool.query(text, values)).rows as T[];
let admin: Agent;
let orgAdmin: Agent;
let reviewer: Agent;

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  world = await createWorld(server, ['teacherA1', 'teacherB1', 'reviewerA1', 'orgAdminA']);
  [admin, orgAdmin, reviewer] = await Promise.all([signInAgent(server, 'admin'), signInAgent(server, 'orgAdminA'), signInAgent(server, 'reviewerA1')]);
}, 120_000);
afterAll(async () => server?.close());

describe('the inbox and the e-mail preferences', () => {
  it('shows a new notification with the counter in the header, and marks it read from its form', async () => {
    const id = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body.id as string;
    await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes(), 'bai.pdf').expect(201);
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
    const page = await reviewer.get('/cua-toi/thong-bao').set(HTML).expect(200);
    expect(page.text).toContain('<span class="unread-count">1</span><span class="visually-hidden"> chưa đọc</span>');
    expect(page.text).toContain('“Tam giác đồng dạng” đang chờ thẩm định tại Trường THCS A1');
    const notification = (await sql<{ id: string }>('SELECT id FROM notifications WHERE user_id = $1', [world.ids.reviewerA1]))[0]!.id;
    await reviewer.post(`/cua-toi/thong-bao/${notification}/da-doc`).set(HTML).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    const after = await reviewer.get('/cua-toi/thong-bao').set(HTML).expect(200);
    expect(after.text).not.toContain('unread-count');
    expect(after.text).toContain('Bạn đã đọc hết thông báo.');
    // Someone else's notification is not found from another account's page either.
    const teacher = await signInAgent(server, 'teacherA1');
    const theirs = await teacher.get('/cua-toi/thong-bao').set(HTML).expect(200);
    await teacher.post(`/cua-toi/thong-bao/${notification}/da-doc`).set(HTML).type('form').send({ _csrf: csrfOf(theirs.text) }).expect(404);
  });

  it('saves which events come by e-mail, and refuses chosen events without an address', async () => {
    const form = await reviewer.get('/cua-toi/thong-bao/cai-dat').set(HTML).expect(200);
    expect(form.text).toContain('Hệ thống hiện chưa cấu hình máy chủ gửi thư');
    const refused = await reviewer.post('/cua-toi/thong-bao/cai-dat').set(HTML).type('form').send({ _csrf: csrfOf(form.text), email: '', events: 'task_queued' }).expect(400);
    expect(refused.text).toContain('Hãy nhập địa chỉ e-mail để nhận các thông báo đã chọn');
    await reviewer.post('/cua-toi/thong-bao/cai-dat').set(HTML).type('form')
      .send({ _csrf: csrfOf(form.text), email: 'Tham.Dinh@Truong.edu.vn', events: ['task_queued', 'claim_expiring', 'khong-co'] }).expect(303);
    expect((await sql('SELECT email, email_events FROM users WHERE id = $1', [world.ids.reviewerA1]))[0]).toEqual({ email: 'tham.dinh@truong.edu.vn', email_events: ['task_queued', 'claim_expiring'] });
    const again = await reviewer.get('/cua-toi/thong-bao/cai-dat').set(HTML).expect(200);
    expect(again.text).toMatch(/value="task_queued" checked/);
  });

  it('sends the signed-out reader to sign in', async () => {
    const page = await supertest(server.app.server).get('/cua-toi/thong-bao').set(HTML).expect(303);
    expect(page.headers.location).toBe('/dang-nhap?tiep=%2Fcua-toi%2Fthong-bao');
  });
});

describe('the administrators\' account pages', () => {
  it('lists and searches accounts, and refuses those who administer nothing', async () => {
    const list = await admin.get('/quan-tri/nguoi-dung?q=teacher').set(HTML).expect(200);
    expect(list.text).toContain('teachera1');
    expect(list.text).toContain('teacherb1');
    const mine = await orgAdmin.get('/quan-tri/nguoi-dung').set(HTML).expect(200);
    expect(mine.text).toContain('teachera1');
    expect(mine.text).not.toContain('teacherb1');
    expect(mine.text).not.toContain('>admin<');
    await reviewer.get('/quan-tri/nguoi-dung').set(HTML).expect(403);
    await orgAdmin.get(`/quan-tri/nguoi-dung/${world.ids.teacherB1}`).set(HTML).expect(403);
  });

  it('creates an account and shows its one-time password link; refuses a taken username beside its field', async () => {
    const form = await orgAdmin.get('/quan-tri/nguoi-dung/moi').set(HTML).expect(200);
    expect(form.text).not.toContain('value="admin"');
    const taken = await orgAdmin.post('/quan-tri/nguoi-dung/moi').set(HTML).type('form')
      .send({ _csrf: csrfOf(form.text), username: 'teacherA1', displayName: 'Trùng tên', orgCode: 'thcs-a1', roles: 'contributor' }).expect(409);
    expect(taken.text).toContain('Tên đăng nhập &quot;teacherA1&quot; đã có người dùng.');
    const created = await orgAdmin.post('/quan-tri/nguoi-dung/moi').set(HTML).type('form')
      .send({ _csrf: csrfOf(form.text), username: 'gv-trang-moi', displayName: 'Giáo viên trang mới', orgCode: 'thcs-a2', roles: ['contributor', 'reviewer'], email: '' }).expect(200);
    expect(created.text).toContain('Đã tạo tài khoản gv-trang-moi');
    expect(created.text).toMatch(/\/dat-lai-mat-khau\/[A-Za-z0-9_-]{40,}/);
  });

  it('edits an account, locks it (its token is refused at once) and unlocks it', async () => {
    const page = await admin.get(`/quan-tri/nguoi-dung/${world.ids.teacherA1}`).set(HTML).expect(200);
    const csrf = csrfOf(page.text);
    await admin.post(`/quan-tri/nguoi-dung/${world.ids.teacherA1}`).set(HTML).type('form')
      .send({ _csrf: csrf, displayName: 'Cô Lan', orgCode: 'thcs-a2', roles: 'contributor', email: 'lan@truong.edu.vn' }).expect(303);
    expect((await server.http.get(`/api/v1/users/${world.ids.teacherA1}`).set(auth('admin')).expect(200)).body).toMatchObject({ displayName: 'Cô Lan', orgCode: 'thcs-a2', email: 'lan@truong.edu.vn' });
    await admin.post(`/quan-tri/nguoi-dung/${world.ids.teacherA1}/khoa`).set(HTML).type('form').send({ _csrf: csrf }).expect(303);
    await server.http.get('/api/v1/me').set(auth('teacherA1')).expect(401);
    const locked = await admin.get(`/quan-tri/nguoi-dung/${world.ids.teacherA1}?thong-bao=da-khoa`).set(HTML).expect(200);
    expect(locked.text).toContain('Đã khoá tài khoản');
    await admin.post(`/quan-tri/nguoi-dung/${world.ids.teacherA1}/mo-khoa`).set(HTML).type('form').send({ _csrf: csrf }).expect(303);
    const link = await admin.post(`/quan-tri/nguoi-dung/${world.ids.teacherA1}/dat-lai-mat-khau`).set(HTML).type('form').send({ _csrf: csrf }).expect(200);
    expect(link.text).toContain('Liên kết đặt mật khẩu cho teachera1');
    // One's own account cannot be locked from its page.
    const own = await admin.get(`/quan-tri/nguoi-dung/${world.ids.admin}`).set(HTML).expect(200);
    expect(own.text).toContain('Bạn không thể tự khoá tài khoản của mình.');
  });

  it('imports with a dry run that shows every row and its problems, then creates all after the confirmation', async () => {
    const form = await orgAdmin.get('/quan-tri/nguoi-dung/nhap').set(HTML).expect(200);
    const bad = Buffer.from('Tên đăng nhập,Họ tên,Mã đơn vị,Vai trò\ngv-nhap-1,Một,thcs-a1,contributor\ngv-nhap-1,Hai,thpt-b1,admin\n');
    const refused = await orgAdmin.post('/quan-tri/nguoi-dung/nhap').set(HTML).field('_csrf', csrfOf(form.text)).attach('file', bad, 'ds.csv').expect(422);
    expect(refused.text).toContain('Tệp có 3 lỗi: chưa tạo tài khoản nào');
    expect(refused.text).toContain('Tên đăng nhập &quot;gv-nhap-1&quot; trùng với dòng 2.');
    expect(refused.text).toContain('Chỉ quản trị hệ thống mới cấp được vai trò admin.');
    expect(refused.text).not.toContain('nhap/tao');
    const good = Buffer.from('Tên đăng nhập,Họ tên,Mã đơn vị,Vai trò\ngv-nhap-1,Một,thcs-a1,contributor\ngv-nhap-2,Hai,thcs-a2,"contributor,reviewer"\n');
    const checked = await orgAdmin.post('/quan-tri/nguoi-dung/nhap').set(HTML).field('_csrf', csrfOf(form.text)).attach('file', good, 'ds.csv').expect(200);
    expect(checked.text).toContain('Kiểm tra xong: tệp hợp lệ');
    expect(await sql("SELECT username FROM users WHERE username LIKE 'gv-nhap-%'")).toEqual([]);
    const rows = /name="rows" value="([^"]+)"/.exec(checked.text)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const done = await orgAdmin.post('/quan-tri/nguoi-dung/nhap/tao').set(HTML).type('form').send({ _csrf: csrfOf(checked.text), rows }).expect(200);
    expect(done.text).toContain('Đã tạo 2 tài khoản');
    expect((await sql("SELECT username FROM users WHERE username LIKE 'gv-nhap-%' ORDER BY username")).map((r) => r.username)).toEqual(['gv-nhap-1', 'gv-nhap-2']);
    // The confirmation is checked again: the same rows a second time are all taken.
    const twice = await orgAdmin.post('/quan-tri/nguoi-dung/nhap/tao').set(HTML).type('form').send({ _csrf: csrfOf(checked.text), rows }).expect(422);
    expect(twice.text).toContain('đã có người dùng');
  });

  it('answers a dead password link with a clear page', async () => {
    const page = await supertest(server.app.server).get('/dat-lai-mat-khau/khong-con-dung').set(HTML).expect(410);
    expect(page.text).toContain('Liên kết đặt lại mật khẩu không còn dùng được');
  });
});

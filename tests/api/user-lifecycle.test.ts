import ExcelJS from 'exceljs';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, PASSWORD, type World } from '../helpers/world.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const sql = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await server.ctx.db.pool.query(text, values)).rows as T[];

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  world = await createWorld(server, ['teacherA1', 'teacherA2', 'teacherB1', 'reviewerA1', 'orgAdminA']);
});
afterAll(async () => server?.close());

const csv = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`);
const importFile = (who: keyof World['tokens'], bytes: Buffer, name: string, dryRun: boolean) =>
  server.http.post(`/api/v1/users/import${dryRun ? '?dryRun=true' : ''}`).set(auth(who)).attach('file', bytes, name);
const userCount = async () => (await sql<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]!.n;

describe('account lifecycle', () => {
  it('finds accounts by name without diacritics, username, personal ID, org and role, paged', async () => {
    await server.http.patch(`/api/v1/users/${world.ids.teacherA2}`).set(auth('admin')).send({ displayName: 'Nguyễn Thị Hoà' }).expect(200);
    await sql("UPDATE users SET personal_id = 'GV-0001' WHERE id = $1", [world.ids.teacherA1]);
    const byName = await server.http.get('/api/v1/users?q=nguyen thi hoa').set(auth('admin')).expect(200);
    expect(byName.body.items.map((u: { username: string }) => u.username)).toEqual(['teachera2']);
    const byId = await server.http.get('/api/v1/users?q=gv-0001').set(auth('admin')).expect(200);
    expect(byId.body.items.map((u: { username: string }) => u.username)).toEqual(['teachera1']);
    const reviewers = await server.http.get('/api/v1/users?org=sgd-a&role=reviewer').set(auth('admin')).expect(200);
    expect(reviewers.body.items.map((u: { username: string }) => u.username)).toEqual(['reviewera1']);
    const page = await server.http.get('/api/v1/users?org=sgd-a&limit=2&offset=0').set(auth('admin')).expect(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBe(4);
  });

  it('reads and edits an account: display name, org, roles and e-mail; an org-admin stays inside the subtree and never grants admin', async () => {
    const one = await server.http.get(`/api/v1/users/${world.ids.reviewerA1}`).set(auth('orgAdminA')).expect(200);
    expect(one.body).toMatchObject({ username: 'reviewera1', orgCode: 'thcs-a1', roles: ['reviewer'], active: true, email: null });
    expect(one.body.passwordHash).toBeUndefined();
    const moved = await server.http.patch(`/api/v1/users/${world.ids.reviewerA1}`).set(auth('orgAdminA'))
      .send({ orgCode: 'thcs-a2', roles: ['reviewer', 'contributor'], email: 'Reviewer@Truong.edu.vn' }).expect(200);
    expect(moved.body).toMatchObject({ orgCode: 'thcs-a2', roles: ['reviewer', 'contributor'], email: 'reviewer@truong.edu.vn' });
    expect((await server.http.patch(`/api/v1/users/${world.ids.reviewerA1}`).set(auth('orgAdminA')).send({ orgCode: 'thpt-b1' }).expect(403)).body.error.code).toBe('FORBIDDEN');
    await server.http.patch(`/api/v1/users/${world.ids.reviewerA1}`).set(auth('orgAdminA')).send({ roles: ['admin'] }).expect(403);
    await server.http.get(`/api/v1/users/${world.ids.teacherB1}`).set(auth('orgAdminA')).expect(403);
    await server.http.get(`/api/v1/users/${world.ids.admin}`).set(auth('orgAdminA')).expect(403);
    await server.http.get('/api/v1/users/00000000-0000-4000-8000-000000000000').set(auth('admin')).expect(404);
    await server.http.patch(`/api/v1/users/${world.ids.reviewerA1}`).set(auth('admin')).send({ orgCode: 'khong-co' }).expect(400);
  });

  it('deactivation ends the open token at once; reactivation lets the user sign in again', async () => {
    await server.http.get('/api/v1/me').set(auth('teacherB1')).expect(200);
    await server.http.patch(`/api/v1/users/${world.ids.teacherB1}`).set(auth('admin')).send({ active: false }).expect(200);
    await server.http.get('/api/v1/me').set(auth('teacherB1')).expect(401);
    await server.http.post('/api/v1/auth/login').send({ username: 'teacherB1', password: PASSWORD }).expect(401);
    await server.http.patch(`/api/v1/users/${world.ids.teacherB1}`).set(auth('admin')).send({ active: true }).expect(200);
    world.tokens.teacherB1 = (await server.http.post('/api/v1/auth/login').send({ username: 'teacherB1', password: PASSWORD }).expect(200)).body.token;
  });

  it('refuses to take away the last active administrator, even when two admins remove each other at once', async () => {
    const second = await server.http.post('/api/v1/users').set(auth('admin'))
      .send({ username: 'admin2', password: PASSWORD, displayName: 'Quản trị 2', orgCode: 'bgddt', roles: ['admin'] }).expect(201);
    const token2 = (await server.http.post('/api/v1/auth/login').send({ username: 'admin2', password: PASSWORD }).expect(200)).body.token as string;
    // Hold the admins' rows so that both requests are past authentication and waiting on the same lock.
    const holder = await server.ctx.db.pool.connect();
    await holder.query('BEGIN');
    await holder.query("SELECT id FROM users WHERE 'admin' = ANY(roles) FOR UPDATE");
    const first = server.http.patch(`/api/v1/users/${second.body.id}`).set(auth('admin')).send({ active: false }).then((r) => r);
    const other = server.http.patch(`/api/v1/users/${world.ids.admin}`).set(bearer(token2)).send({ roles: ['contributor'] }).then((r) => r);
    await eventually(async () => (await sql<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"))[0]!.n >= 2);
    await holder.query('COMMIT');
    holder.release();
    const statuses = (await Promise.all([first, other])).map((r) => [r.status, r.body?.error?.code ?? null]);
    expect(statuses.map(([status]) => status).sort()).toEqual([200, 409]);
    expect(statuses.find(([status]) => status === 409)![1]).toBe('LAST_ADMIN');
    const admins = await sql<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE 'admin' = ANY(roles) AND active");
    expect(admins[0]!.n).toBe(1);
    await server.http.patch(`/api/v1/users/${world.ids.admin}`).set(auth('admin')).send({ active: false }).expect(403);
  });

  it('resets a password with a one-time link that ends every session and works once', async () => {
    const before = world.tokens.teacherA1;
    const link = await server.http.post(`/api/v1/users/${world.ids.teacherA1}/password-reset`).set(auth('orgAdminA')).expect(201);
    expect(link.body.url).toMatch(/\/dat-lai-mat-khau\/[A-Za-z0-9_-]{40,}$/);
    const older = (await server.http.post(`/api/v1/users/${world.ids.teacherA1}/password-reset`).set(auth('orgAdminA')).expect(201)).body.url as string;
    const path = new URL(older).pathname;
    // The first link ended with the newer one.
    const stale = await server.http.get(new URL(link.body.url).pathname).expect(410);
    expect(stale.text).toContain('Liên kết đặt lại mật khẩu không còn dùng được');
    const browser = supertest.agent(server.app.server);
    const form = await browser.get(path).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    const newPassword = 'Mot-mat-khau-moi-hoan-toan-7';
    await browser.post(path).type('form').send({ _csrf: csrf, newPassword, repeatPassword: newPassword }).expect(200);
    await server.http.get('/api/v1/me').set(bearer(before)).expect(401);
    await server.http.post('/api/v1/auth/login').send({ username: 'teacherA1', password: PASSWORD }).expect(401);
    world.tokens.teacherA1 = (await server.http.post('/api/v1/auth/login').send({ username: 'teacherA1', password: newPassword }).expect(200)).body.token;
    await browser.post(path).type('form').send({ _csrf: csrf, newPassword, repeatPassword: newPassword }).expect(410);
    await server.http.post(`/api/v1/users/${world.ids.admin}/password-reset`).set(auth('orgAdminA')).expect(403);
    await server.http.post(`/api/v1/users/${world.ids.teacherA1}/password-reset`).set(auth('teacherA2')).expect(403);
  });

  it('creates an account without a password: it gets a one-time link instead', async () => {
    const created = await server.http.post('/api/v1/users').set(auth('orgAdminA'))
      .send({ username: 'gv-moi', displayName: 'Giáo viên mới', orgCode: 'thcs-a1', roles: ['contributor'] }).expect(201);
    expect(created.body.passwordLink.url).toContain('/dat-lai-mat-khau/');
  });
});

describe('import from a spreadsheet', () => {
  it('dry-runs a valid CSV without creating anything, then creates every account with its link', async () => {
    const file = csv([
      'Tên đăng nhập;Họ tên;Mã đơn vị;Vai trò;Mã định danh;E-mail',
      'gv-a1-01;Trần Văn An;thcs-a1;contributor;GV-1001;an@truong.edu.vn',
      'gv-a2-01;Lê Thị Bình;thcs-a2;contributor, reviewer;;',
    ]);
    const count = await userCount();
    const dry = await importFile('orgAdminA', file, 'danh-sach.csv', true).expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, created: 0 });
    expect(dry.body.accounts.map((a: { line: number; username: string; roles: string[] }) => [a.line, a.username, a.roles]))
      .toEqual([[2, 'gv-a1-01', ['contributor']], [3, 'gv-a2-01', ['contributor', 'reviewer']]]);
    expect(await userCount()).toBe(count);
    const done = await importFile('orgAdminA', file, 'danh-sach.csv', false).expect(201);
    expect(done.body.created).toBe(2);
    expect(done.body.accounts[0].passwordLink.url).toContain('/dat-lai-mat-khau/');
    expect(await userCount()).toBe(count + 2);
    const row = await sql<{ email: string; personal_id: string }>("SELECT email, personal_id FROM users WHERE username = 'gv-a1-01'");
    expect(row[0]).toEqual({ email: 'an@truong.edu.vn', personal_id: 'GV-1001' });
  });

  it('reports every problem by line and creates nothing: duplicates in the file and in the database, unknown org, taken personal ID, empty row, a role the importer may not grant', async () => {
    const file = csv([
      'username,displayName,orgCode,roles,personalId,email',
      'gv-x-01,Một,thcs-a1,contributor,GV-2001,',
      'gv-x-01,Hai,thcs-a1,contributor,,',
      'gv-a1-01,Ba,thcs-a1,contributor,,',
      'gv-x-04,Bốn,khong-co,contributor,,',
      'gv-x-05,Năm,thcs-a1,contributor,GV-1001,',
      ',,,,,',
      'gv-x-07,Bảy,thcs-a1,admin,,',
      'gv-x-08,Tám,thpt-b1,contributor,,',
      'gv-x-09,Chín,thcs-a1,giam-doc,,khong-phai-email',
    ]);
    const count = await userCount();
    const refused = await importFile('orgAdminA', file, 'loi.csv', true).expect(422);
    expect(refused.body.error.code).toBe('USER_IMPORT_FAILED');
    const problems = refused.body.error.details.problems as Array<{ line: number; code: string; field?: string }>;
    expect(problems.map((p) => [p.line, p.code])).toEqual([
      [3, 'DUPLICATE_IN_FILE'], [4, 'USERNAME_TAKEN'], [5, 'UNKNOWN_ORG'], [6, 'PERSONAL_ID_TAKEN'], [7, 'EMPTY_ROW'],
      [8, 'ROLE_NOT_GRANTABLE'], [9, 'FORBIDDEN'], [10, 'ROLE_UNKNOWN'], [10, 'FIELD_INVALID'],
    ]);
    expect(refused.body.error.details.rows).toHaveLength(9);
    expect(refused.body.error.message).toBe('Tệp có 9 lỗi nên chưa tạo tài khoản nào.');
    await importFile('orgAdminA', file, 'loi.csv', false).expect(422);
    expect(await userCount()).toBe(count);
  });

  it('reads XLSX the same way; refuses a file without the header, and callers without the role', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Tài khoản');
    sheet.addRow(['Tên đăng nhập', 'Họ và tên', 'Mã đơn vị', 'Vai trò']);
    sheet.addRow(['gv-xlsx-01', 'Phạm Thu', 'thcs-a2', 'reviewer']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const done = await importFile('admin', bytes, 'ds.xlsx', false).expect(201);
    expect(done.body.accounts.map((a: { username: string; orgCode: string }) => [a.username, a.orgCode])).toEqual([['gv-xlsx-01', 'thcs-a2']]);
    const noHeader = await importFile('admin', csv(['a;b;c', '1;2;3']), 'x.csv', true).expect(400);
    expect(noHeader.body.error.code).toBe('USER_FILE_MALFORMED');
    await importFile('teacherA2', csv(['username;displayName;orgCode;roles', 'x-y-z;X;thcs-a1;contributor']), 'x.csv', true).expect(403);
  });
});

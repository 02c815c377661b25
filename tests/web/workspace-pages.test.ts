import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/auth.service.js';
import { issueUploadToken } from '../../src/auth/upload-token.js';
import { generate, testVideo } from '../helpers/media.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, PASSWORD, pdfBytes, type World } from '../helpers/world.js';
import { csrfFrom, csrfOf, HTML, type Agent } from '../helpers/web.js';

/**
 * The teachers' workspace, driven as a browser would through the pages: sign-in with its CSRF
 * token and session cookie, forms posted urlencoded (multipart for files), and the upload island's
 * own protocol (its upload token on raw tus requests).
 */
let server: TestServer;
let world: World;
const JSON_ACCEPT = { accept: 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const auth = (name: keyof World['tokens']) => bearer(world.tokens[name]);

/** A data- attribute of the page (the upload panel's), as written. */
const dataOf = (html: string, name: string) => new RegExp(`data-${name}="([^"]*)"`).exec(html)?.[1];
const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

interface Browser { agent: Agent; session: string }

/** Signs in through the page as a browser does: the form's CSRF token, then the session cookie. */
async function signIn(username: string, extra: Record<string, string> = {}): Promise<Browser & { response: supertest.Response }> {
  const agent = supertest.agent(server.app.server);
  const form = await agent.get('/dang-nhap').set(HTML).expect(200);
  const response = await agent.post('/dang-nhap').set(HTML).type('form').send({ _csrf: csrfOf(form.text), username, password: PASSWORD, ...extra });
  const session = (response.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('hoclieu_session='))!.split(';')[0]!.slice('hoclieu_session='.length);
  return { agent, session, response };
}

/** A page's CSRF token, as the form or the island reads it. */
async function csrf(browser: Browser, path = '/cua-toi'): Promise<string> {
  return csrfFrom(browser.agent, path);
}

const FORM = { type: 'document', title: 'Tam giác đồng dạng', description: 'Bài giảng Toán 8.', level: 'thcs', grades: '8', subject: 'toan', series: 'ket-noi-tri-thuc', license: 'CC-BY-4.0', language: 'vi' };

async function newMaterial(browser: Browser, fields: Record<string, string> = {}): Promise<string> {
  const token = await csrf(browser, '/cua-toi/hoc-lieu/moi');
  const saved = await browser.agent.post('/cua-toi/hoc-lieu/moi').set(HTML).type('form').send({ _csrf: token, ...FORM, ...fields }).expect(303);
  return /\/cua-toi\/hoc-lieu\/([0-9a-f-]{36})/.exec(saved.headers.location!)![1]!;
}

/** A whole file over tus in two requests (creation, then one PATCH), as the island does it, with its upload token. */
async function tusUpload(uploadToken: string, materialId: string, name: string, bytes: Buffer) {
  const meta = (value: string) => Buffer.from(value).toString('base64');
  const created = await server.http.post('/api/v1/uploads').set({ ...bearer(uploadToken), 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length),
    'upload-metadata': `materialId ${meta(materialId)},filename ${meta(name)},filetype ${meta('application/octet-stream')}` });
  if (created.status !== 201) return created;
  return server.http.patch(created.headers.location!.replace(/^https?:\/\/[^/]+/, '')).set({ ...bearer(uploadToken), 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' })
    .send(bytes);
}

async function reviewerTask(reviewer: keyof World['tokens'], materialId: string) {
  const list = await server.http.get('/api/v1/review/tasks?status=open').set(auth(reviewer)).expect(200);
  const task = list.body.items.find((t: { materialId: string }) => t.materialId === materialId);
  await server.http.post(`/api/v1/review/tasks/${task.id}/claim`).set(auth(reviewer)).expect(200);
  return task.id as string;
}

let teacher: Browser;
let draftId: string;

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  world = await createWorld(server, ['teacherA1', 'teacherA2', 'teacherB1', 'reviewerA1']);
  teacher = await signIn('teacherA1');
}, 120_000);
afterAll(async () => server?.close());

describe('teachers\' workspace pages', () => {
  it('signing in without a destination lands on "Học liệu của tôi"', async () => {
    const { agent, response } = await signIn('teacherA1');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/cua-toi');
    const page = await agent.get('/cua-toi').set(HTML).expect(200);
    expect(page.text).toContain('<h1>Học liệu của tôi</h1>');
    expect(page.headers['cache-control']).toBe('private, no-cache');
    for (const state of ['Bản nháp', 'Đang thẩm định', 'Cần chỉnh sửa', 'Đã xuất bản', 'Đã lưu trữ']) expect(page.text).toContain(`${state} <span class="meta">`);
  });

  it('new material: labelled fields, the allow-list per type in the page, the draft made by the first file (JSON, CSRF in a header)', async () => {
    const page = await teacher.agent.get('/cua-toi/hoc-lieu/moi').set(HTML).expect(200);
    for (const label of ['Loại học liệu', 'Tên học liệu', 'Mô tả', 'Cấp học', 'Môn học', 'Bộ sách', 'Ngôn ngữ', 'Tệp học liệu']) expect(page.text).toMatch(new RegExp(`<label for="[^"]+">${label}</label>`));
    expect(page.text).toContain('<legend>Lớp</legend>');
    expect(page.text).toContain('<legend>Giấy phép</legend>');
    expect(page.text).toContain('Người khác được sao chép, chia sẻ, chỉnh sửa và dùng cả vào mục đích thương mại, miễn là ghi tên tác giả và nguồn.');
    // The upload island's allow-list: a video takes .mp4, not .pdf; the grades of a level and the level of a subject ride along for the dependent selects.
    const videoOption = /<option value="video"[^>]*>/.exec(page.text)![0];
    expect(videoOption).toMatch(/data-extensions="[^"]*\bmp4\b[^"]*"/);
    expect(videoOption).not.toMatch(/data-extensions="[^"]*\bpdf\b/);
    expect(page.text).toMatch(/<option value="thcs"[^>]*data-grades="6 7 8 9"/);
    expect(page.text).toMatch(/<script type="module" src="\/assets\/upload-[\w-]+\.js"/);
    expect(page.text).toMatch(/<script type="module" src="\/assets\/dependent-selects-[\w-]+\.js"/);
    expect(dataOf(page.text, 'token')).toMatch(/^upload\./);

    const token = csrfOf(page.text);
    await teacher.agent.post('/cua-toi/hoc-lieu/moi/ban-nhap').set(JSON_ACCEPT).type('form').send({ ...FORM, title: 'bai-giang' }).expect(403);
    const draft = await teacher.agent.post('/cua-toi/hoc-lieu/moi/ban-nhap').set({ ...JSON_ACCEPT, 'x-csrf-token': token }).type('form').send({ ...FORM, title: 'bai-giang' }).expect(201);
    draftId = draft.body.id;
    expect(draft.body.url).toBe(`/cua-toi/hoc-lieu/${draftId}`);
    // "Lưu bản nháp" then saves the metadata typed meanwhile to that draft; HTML typed in comes out as text.
    const saved = await teacher.agent.post('/cua-toi/hoc-lieu/moi').set(HTML).type('form')
      .send({ _csrf: token, materialId: draftId, ...FORM, title: 'Tam giác <script>alert(1)</script> & "đồng dạng"', grades: ['8', '9'] }).expect(303);
    expect(saved.headers.location).toBe(`/cua-toi/hoc-lieu/${draftId}?da-luu=1`);
    const shown = await teacher.agent.get(saved.headers.location!).set(HTML).expect(200);
    expect(shown.text).toContain('<h1>Tam giác &lt;script>alert(1)&lt;/script> &amp; &quot;đồng dạng&quot;</h1>');
    expect(shown.text).not.toContain('<script>alert(1)');
    expect(shown.text).toContain('Đã lưu thông tin học liệu.');
    const api = await server.http.get(`/api/v1/materials/${draftId}`).set(auth('teacherA1')).expect(200);
    expect(api.body).toMatchObject({ status: 'draft', type: 'document', grades: [8, 9], title: 'Tam giác <script>alert(1)</script> & "đồng dạng"' });
  });

  it('a refused form comes back with what was typed and the message of each field', async () => {
    const token = await csrf(teacher, '/cua-toi/hoc-lieu/moi');
    const empty = await teacher.agent.post('/cua-toi/hoc-lieu/moi').set(HTML).type('form').send({ _csrf: token, ...FORM, title: '', description: 'Mô tả <b>giữ lại</b>' }).expect(400);
    expect(empty.text).toContain('Hãy nhập tên học liệu.');
    expect(empty.text).toContain('>Mô tả &lt;b>giữ lại&lt;/b></textarea>');
    const outside = await teacher.agent.post('/cua-toi/hoc-lieu/moi').set(HTML).type('form').send({ _csrf: token, ...FORM, title: 'Lớp lạc cấp', grades: '11' }).expect(400);
    expect(outside.text).toMatch(/<p class="field-error" id="truong-grades-loi">[^<]+<\/p>/);
    expect(outside.text).toContain('value="Lớp lạc cấp"');
  });

  it('uploads over tus with the page\'s upload token: a file the type accepts is added, another is refused by the server; the token is good for tus only', async () => {
    const page = await teacher.agent.get(`/cua-toi/hoc-lieu/${draftId}`).set(HTML).expect(200);
    const uploadToken = unescape(dataOf(page.text, 'token')!);
    expect(dataOf(page.text, 'material-id')).toBe(draftId);
    expect(dataOf(page.text, 'extensions')).toContain('pdf');
    const added = await tusUpload(uploadToken, draftId, 'Bài giảng.pdf', pdfBytes('tus từ trang'));
    expect(added.status).toBe(200);
    expect(JSON.parse(added.text)).toMatchObject({ name: 'Bài giảng.pdf', mime: 'application/pdf' });
    // The page refuses such a file before the upload starts (island); the server refuses it after, whatever the name says.
    const refused = await tusUpload(uploadToken, draftId, 'chay-thu.pdf', Buffer.from('#!/bin/sh\necho xin chao\n'));
    expect(refused.status).toBe(415);
    expect(JSON.parse(refused.text).error.code).toBe('UNSUPPORTED_FILE_TYPE');
    // Not a bearer token for the rest of the API; not forgeable; dead with the session.
    await server.http.get('/api/v1/me').set(bearer(uploadToken)).expect(401);
    const forged = uploadToken.replace(/\.[^.]+$/, '.AAAA');
    expect((await tusUpload(forged, draftId, 'x.pdf', pdfBytes())).status).toBe(401);
    const other = await signIn('teacherA1');
    const otherToken = issueUploadToken(server.ctx.secretKey, other.session).token;
    await other.agent.post('/dang-xuat').set(HTML).type('form').send({ _csrf: await csrf(other) }).expect(303);
    expect((await tusUpload(otherToken, draftId, 'y.pdf', pdfBytes())).status).toBe(401);
    // Another teacher's upload token cannot add files to this draft.
    const stranger = await signIn('teacherB1');
    expect((await tusUpload(issueUploadToken(server.ctx.secretKey, stranger.session).token, draftId, 'z.pdf', pdfBytes())).status).toBe(404);
    // The island renews its token through a CSRF-protected page endpoint.
    await teacher.agent.post('/cua-toi/ma-tai-len').set(JSON_ACCEPT).expect(403);
    const renewed = await teacher.agent.post('/cua-toi/ma-tai-len').set({ ...JSON_ACCEPT, 'x-csrf-token': csrfOf(page.text) }).expect(200);
    expect(renewed.body.token).toMatch(new RegExp(`^upload\\.\\d+\\.${hashToken(teacher.session)}\\.`));

    // Without script, the workspace page posts the file in a plain multipart form (its _csrf field first).
    await teacher.agent.post(`/cua-toi/hoc-lieu/${draftId}/tep`).set(HTML).attach('file', pdfBytes('khong token'), 'khong-token.pdf').expect(403);
    const plain = await teacher.agent.post(`/cua-toi/hoc-lieu/${draftId}/tep`).set(HTML).field('_csrf', csrfOf(page.text)).attach('file', pdfBytes('khong script'), 'Phụ lục.pdf').expect(303);
    expect(plain.headers.location).toBe(`/cua-toi/hoc-lieu/${draftId}?thong-bao=da-tai-tep`);

    const shown = await teacher.agent.get(`/cua-toi/hoc-lieu/${draftId}`).set(HTML).expect(200);
    expect(shown.text).toContain('<strong>Bài giảng.pdf</strong>');
    expect(shown.text).toContain('<strong>Phụ lục.pdf</strong>');
    expect(shown.text).not.toContain('khong-token.pdf');
    expect(shown.text).toContain('Xoá tệp Bài giảng.pdf…');
  });

  it('lists it in "Học liệu của tôi", submits it, shows the stage it waits in, then the reviewer\'s comment when changes are requested', async () => {
    const list = await teacher.agent.get('/cua-toi').set(HTML).expect(200);
    const drafts = list.text.slice(list.text.indexOf('id="trang-thai-draft"'), list.text.indexOf('id="trang-thai-in_review"'));
    expect(drafts).toContain(`href="/cua-toi/hoc-lieu/${draftId}"`);

    // Without its CSRF token the action is refused and nothing moves.
    await teacher.agent.post(`/cua-toi/hoc-lieu/${draftId}/gui-tham-dinh`).set(HTML).type('form').send({}).expect(403);
    expect((await server.http.get(`/api/v1/materials/${draftId}`).set(auth('teacherA1')).expect(200)).body.status).toBe('draft');
    const submitted = await teacher.agent.post(`/cua-toi/hoc-lieu/${draftId}/gui-tham-dinh`).set(HTML).type('form').send({ _csrf: await csrf(teacher) }).expect(303);
    expect(submitted.headers.location).toBe(`/cua-toi/hoc-lieu/${draftId}?thong-bao=da-gui`);
    const waiting = await teacher.agent.get('/cua-toi').set(HTML).expect(200);
    expect(waiting.text).toContain('Đang chờ thẩm định tại: <strong>Trường THCS A1</strong> (Cấp trường)');
    const api = await server.http.get('/api/v1/materials?mine=true&status=in_review').set(auth('teacherA1')).expect(200);
    expect(api.body.total).toBe(1);
    expect(api.body.items[0]).toMatchObject({ id: draftId, status: 'in_review', waitingAt: { code: 'thcs-a1', name: 'Trường THCS A1', kind: 'school' } });

    const task = await reviewerTask('reviewerA1', draftId);
    await server.http.post(`/api/v1/review/tasks/${task}/decision`).set(auth('reviewerA1'))
      .send({ decision: 'request_changes', comment: 'Bổ sung ví dụ <i>thực tế</i> ở phần 2.', reasons: ['noi-dung-sai'] }).expect(200);
    const sentBack = await teacher.agent.get('/cua-toi').set(HTML).expect(200);
    expect(sentBack.text).toContain('Ý kiến người thẩm định: Bổ sung ví dụ &lt;i>thực tế&lt;/i> ở phần 2.');
    const page = await teacher.agent.get(`/cua-toi/hoc-lieu/${draftId}`).set(HTML).expect(200);
    expect(page.text).toContain('data-status="changes_requested"');
    expect(page.text).toContain('Quyết định thẩm định: Yêu cầu chỉnh sửa');
    expect(page.text).toContain('<blockquote class="state-note">Bổ sung ví dụ &lt;i>thực tế&lt;/i> ở phần 2.</blockquote>');
    expect(page.text).toContain('>Gửi thẩm định lại</button>');
  });

  it('another teacher gets the 404 page for the draft, never sees it listed, and the API lists only one\'s own', async () => {
    const stranger = await signIn('teacherB1');
    const page = await stranger.agent.get(`/cua-toi/hoc-lieu/${draftId}`).set(HTML).expect(404);
    expect(page.text).toContain('Không tìm thấy trang');
    expect(page.text).not.toContain('Tam giác');
    const list = await stranger.agent.get('/cua-toi').set(HTML).expect(200);
    expect(list.text).not.toContain(draftId);
    const token = await csrf(stranger);
    await stranger.agent.post(`/cua-toi/hoc-lieu/${draftId}/luu-tru`).set(HTML).type('form').send({ _csrf: token }).expect(404);
    expect((await server.http.get('/api/v1/materials?mine=true').set(auth('teacherB1')).expect(200)).body).toEqual({ total: 0, items: [] });
    await server.http.get('/api/v1/materials?mine=true').expect(401);
    // Strict, bounded querystring.
    for (const query of ['mine=false', 'mine=true&limit=0', 'mine=true&limit=101', 'mine=true&offset=-1', 'mine=true&status=lost', 'mine=true&owner=x', '']) {
      await server.http.get(`/api/v1/materials?${query}`).set(auth('teacherA1')).expect(400);
    }
    const paged = await server.http.get('/api/v1/materials?mine=true&limit=1&offset=0').set(auth('teacherA1')).expect(200);
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.total).toBeGreaterThanOrEqual(1);
  });

  it('question bank: the import shows its dry-run preview (what would be imported, errors by line) before confirming', async () => {
    const bank = await newMaterial(teacher, { type: 'question-bank', title: 'Ngân hàng câu hỏi tam giác' });
    const gift = '::Q1:: Tổng các góc của tam giác? {=180 độ ~90 độ ~360 độ}\n\n::Q2:: Tam giác đều có ba cạnh bằng nhau. {T}\n\n::Q3:: Câu hỏng {=\n';
    const token = await csrf(teacher, `/cua-toi/hoc-lieu/${bank}`);
    const preview = await teacher.agent.post(`/cua-toi/hoc-lieu/${bank}/cau-hoi`).set(HTML)
      .field('_csrf', token).field('format', 'auto').field('mode', 'partial').field('buoc', 'xem-truoc').attach('file', Buffer.from(gift), 'cau-hoi.gift').expect(200);
    expect(preview.text).toContain('Sẽ nhập <strong>2</strong> câu hỏi; <strong>1</strong> câu có lỗi.');
    expect(preview.text).toMatch(/<li>Dòng 5: [^<]+<\/li>/);
    expect(preview.text).toContain('Tổng các góc của tam giác?');
    expect((await server.http.get(`/api/v1/materials/${bank}/questions`).set(auth('teacherA1')).expect(200)).body.total).toBe(0);
    // Confirmed from the preview's own form: the small file rode along.
    const carried = unescape(/name="noi-dung" value="([^"]+)"/.exec(preview.text)![1]!);
    await teacher.agent.post(`/cua-toi/hoc-lieu/${bank}/cau-hoi`).set(HTML).field('_csrf', csrfOf(preview.text)).field('noi-dung', carried).field('ten-tep', 'cau-hoi.gift')
      .field('format', 'auto').field('buoc', 'nhap').attach('file', Buffer.alloc(0), '').expect(422);
    const imported = await teacher.agent.post(`/cua-toi/hoc-lieu/${bank}/cau-hoi`).set(HTML).field('_csrf', csrfOf(preview.text)).field('noi-dung', carried).field('ten-tep', 'cau-hoi.gift')
      .field('format', 'auto').field('mode', 'partial').field('buoc', 'nhap').expect(303);
    expect(imported.headers.location).toBe(`/cua-toi/hoc-lieu/${bank}?thong-bao=da-nhap`);
    expect((await server.http.get(`/api/v1/materials/${bank}/questions`).set(auth('teacherA1')).expect(200)).body.total).toBe(2);
    // Without its CSRF field the multipart form is refused before the file is used.
    await teacher.agent.post(`/cua-toi/hoc-lieu/${bank}/cau-hoi`).set(HTML).field('buoc', 'nhap').attach('file', Buffer.from(gift), 'cau-hoi.gift').expect(403);
  });

  it('changes one\'s own password with the policy\'s messages in Vietnamese, and ends the other sessions', async () => {
    const browser = await signIn('teacherA2');
    const page = await browser.agent.get('/cua-toi/mat-khau').set(HTML).expect(200);
    for (const label of ['Mật khẩu hiện tại', 'Mật khẩu mới', 'Nhập lại mật khẩu mới']) expect(page.text).toContain(`>${label}</label>`);
    const post = async (fields: Record<string, string>) =>
      browser.agent.post('/cua-toi/mat-khau').set(HTML).type('form').send({ _csrf: await csrf(browser, '/cua-toi/mat-khau'), ...fields });
    const wrong = await post({ currentPassword: 'khong-phai-mat-khau-1', newPassword: 'Hoa-sen-no-giua-ho-7', repeatPassword: 'Hoa-sen-no-giua-ho-7' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Mật khẩu hiện tại không đúng.');
    const weak = await post({ currentPassword: PASSWORD, newPassword: '1234567890', repeatPassword: '1234567890' });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('Mật khẩu quá yếu');
    expect(weak.text).not.toContain('value="1234567890"');
    const mismatch = await post({ currentPassword: PASSWORD, newPassword: 'Hoa-sen-no-giua-ho-7', repeatPassword: 'Hoa-sen-no-giua-ho-8' });
    expect(mismatch.text).toContain('Hai lần nhập mật khẩu mới không giống nhau.');
    const done = await post({ currentPassword: PASSWORD, newPassword: 'Hoa-sen-no-giua-ho-7', repeatPassword: 'Hoa-sen-no-giua-ho-7' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Đã đổi mật khẩu.');
    await server.http.get('/api/v1/me').set(auth('teacherA2')).expect(401);
    await browser.agent.get('/cua-toi').set(HTML).expect(200);
    await server.http.post('/api/v1/auth/login').send({ username: 'teacherA2', password: 'Hoa-sen-no-giua-ho-7' }).expect(200);
  });

  it('an expired session on a form keeps what was typed and, after signing in again, returns to the form with it', async () => {
    const browser = await signIn('teacherA1');
    const token = await csrf(browser, '/cua-toi/hoc-lieu/moi');
    await server.ctx.auth.logout(browser.session);
    const typed = { ...FORM, title: 'Bài giảng <b>dở dang</b>', description: 'Mô tả dài đã gõ trước khi hết phiên.', grades: ['8', '9'] };
    const expired = await browser.agent.post('/cua-toi/hoc-lieu/moi').set(HTML).type('form').send({ _csrf: token, ...typed }).expect(401);
    expect(expired.text).toContain('Phiên đăng nhập đã hết hạn');
    expect(expired.text).toContain('Những gì bạn đã nhập vẫn được giữ');
    const kept = unescape(/name="giu" value="([^"]*)"/.exec(expired.text)![1]!);
    expect(JSON.parse(kept)).toMatchObject({ title: typed.title, description: typed.description, grades: ['8', '9'] });
    expect(kept).not.toContain(token);

    const again = await browser.agent.post('/dang-nhap').set(HTML).type('form')
      .send({ _csrf: csrfOf(expired.text), username: 'teacherA1', password: PASSWORD, tiep: '/cua-toi/hoc-lieu/moi', giu: kept }).expect(200);
    expect(again.text).toContain('<h1>Đã đăng nhập lại</h1>');
    expect(again.text).toContain('<form method="post" action="/cua-toi/hoc-lieu/moi">');
    const fields: Record<string, string | string[]> = {};
    for (const [, name, value] of again.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) {
      const v = unescape(value!);
      fields[name!] = name === 'grades' ? [...((fields[name!] as string[] | undefined) ?? []), v] : v;
    }
    const back = await browser.agent.post('/cua-toi/hoc-lieu/moi').set(HTML).type('form').send(fields).expect(200);
    expect(back.text).toContain('value="Bài giảng &lt;b>dở dang&lt;/b>"');
    expect(back.text).toContain('>Mô tả dài đã gõ trước khi hết phiên.</textarea>');
    expect(back.text).toMatch(/id="truong-grades-9" name="grades" value="9" checked/);
    // Shown again, not saved: nothing was created on the expired session nor on the way back.
    const mine = await server.http.get('/api/v1/materials?mine=true').set(auth('teacherA1')).expect(200);
    expect(mine.body.items.map((m: { title: string }) => m.title)).not.toContain(typed.title);
  });

  it('shows each media file\'s processing: queued, running with its percent, failed with the reason in Vietnamese', async () => {
    const video = await newMaterial(teacher, { type: 'video', title: 'Video phương trình' });
    const page = await teacher.agent.get(`/cua-toi/hoc-lieu/${video}`).set(HTML).expect(200);
    const added = await tusUpload(unescape(dataOf(page.text, 'token')!), video, 'phuong-trinh.mp4', await testVideo(1));
    expect(added.status).toBe(200);
    const { sha256 } = JSON.parse(added.text) as { sha256: string };
    const shown = async () => (await teacher.agent.get(`/cua-toi/hoc-lieu/${video}`).set(HTML).expect(200)).text;
    // The workers are off in this file: the states are set by the repository the media job writes with.
    expect(await shown()).toContain('<p data-processing="queued">Đang chờ xử lý</p>');
    await server.ctx.mediaRepository.start(sha256);
    await server.ctx.mediaRepository.progress(sha256, 42);
    expect(await shown()).toContain('<p data-processing="running">Đang xử lý: 42%</p>');
    expect(await shown()).toContain('Tải lại trang để xem tình trạng xử lý');
    await server.ctx.mediaRepository.fail(sha256, 'Không xử lý được tệp: ffmpeg báo lỗi (tệp hỏng hoặc định dạng không được hỗ trợ).');
    const failed = await shown();
    expect(failed).toContain('<p data-processing="failed">Xử lý thất bại</p>');
    expect(failed).toContain('<p class="field-error">Không xử lý được tệp: ffmpeg báo lỗi (tệp hỏng hoặc định dạng không được hỗ trợ).</p>');
  });

  it('a TV lesson shows its technical check: each finding, with the times it concerns', async () => {
    const lesson = await newMaterial(teacher, { type: 'tv-lesson', title: 'Bài giảng truyền hình' });
    const page = await teacher.agent.get(`/cua-toi/hoc-lieu/${lesson}`).set(HTML).expect(200);
    // 12 s with a black gap from 4 s to 9 s (the QC tests' clip).
    const blackGap = await generate('clip.mp4', [
      '-f', 'lavfi', '-i', "testsrc2=size=1280x720:rate=25,drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='between(t,4,9)'",
      '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000', '-t', '12', '-map', '0:v', '-map', '1:a',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac',
    ]);
    const added = await tusUpload(unescape(dataOf(page.text, 'token')!), lesson, 'bai-giang-tv.mp4', blackGap);
    expect(added.status).toBe(200);
    expect((await teacher.agent.get(`/cua-toi/hoc-lieu/${lesson}`).set(HTML).expect(200)).text).toContain('Kiểm tra kỹ thuật: ');
    // What the QC job does, run here (the workers are off in this file).
    await server.ctx.qc.measure((JSON.parse(added.text) as { sha256: string }).sha256);
    const checked = (await teacher.agent.get(`/cua-toi/hoc-lieu/${lesson}`).set(HTML).expect(200)).text;
    expect(checked).toMatch(/<strong>Kiểm tra kỹ thuật \(bài giảng truyền hình\): (Đạt|Đạt, có cảnh báo|Không đạt)<\/strong>/);
    expect(checked).toMatch(/<li>Không đạt: [^<]*đen[^<]*<ul><li>Từ 0:0[34] đến 0:0[89] \(5 giây\)<\/li><\/ul><\/li>/);
  }, 60_000);

  it('an action the state does not allow shows the page again with the Vietnamese reason', async () => {
    const empty = await newMaterial(teacher, { title: 'Chưa có tệp' });
    const refused = await teacher.agent.post(`/cua-toi/hoc-lieu/${empty}/gui-tham-dinh`).set(HTML).type('form').send({ _csrf: await csrf(teacher) });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('role="alert"');
    expect(refused.text).toContain('<h1>Chưa có tệp</h1>');
    const archived = await teacher.agent.post(`/cua-toi/hoc-lieu/${empty}/luu-tru`).set(HTML).type('form').send({ _csrf: await csrf(teacher) }).expect(303);
    expect(archived.headers.location).toBe(`/cua-toi/hoc-lieu/${empty}?thong-bao=da-luu-tru`);
    const list = await teacher.agent.get('/cua-toi?trang-thai=archived').set(HTML).expect(200);
    expect(list.text).toContain(`href="/cua-toi/hoc-lieu/${empty}"`);
  });
});

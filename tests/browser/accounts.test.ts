import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reasonsFor } from '../../src/review/reasons.js';
import { expectAccessible, signedInPage, startBrowserWorld } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';
import { MATERIAL, pdfBytes, type World } from '../helpers/world.js';

/**
 * Accounts in Debian's Chromium: the administrator locks an account (its open API token is refused
 * at once) and imports accounts with a dry run first; a teacher finds the reviewer's request for
 * changes, with its comment, in the inbox the header counts.
 */
let server: TestServer;
let world: World;
let browser: Browser;
let base: string;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  ({ server, browser, world, base } = await startBrowserWorld(['teacherA1', 'teacherB1', 'reviewerA1'], { workers: false }));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const signedIn = (username: string) => signedInPage(browser, base, username);

describe('accounts in a browser', () => {
  it('the administrator finds an account and locks it: its open API token is refused at once', async () => {
    await server.http.get('/api/v1/me').set(auth('teacherB1')).expect(200);
    const page = await signedIn('admin');
    await page.goto(`${base}/quan-tri/nguoi-dung`);
    await expectAccessible(page);
    await page.getByLabel('Tên, tên đăng nhập hoặc mã định danh').fill('teacherb1');
    await page.getByRole('button', { name: 'Tìm' }).click();
    await page.getByRole('link', { name: 'teacherb1' }).click();
    await page.waitForURL(`${base}/quan-tri/nguoi-dung/${world.ids.teacherB1}`);
    await expectAccessible(page);
    await page.getByText('Khoá tài khoản', { exact: true }).click();
    await page.getByRole('button', { name: 'Khoá ngay' }).click();
    await page.waitForURL(/thong-bao=da-khoa/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã khoá tài khoản');
    await expectAccessible(page);
    await server.http.get('/api/v1/me').set(auth('teacherB1')).expect(401);
  });

  it('the administrator imports accounts: a dry run shows every row, and only the confirmation creates them', async () => {
    const page = await signedIn('admin');
    await page.goto(`${base}/quan-tri/nguoi-dung/nhap`);
    await expectAccessible(page);
    const csv = 'Tên đăng nhập;Họ tên;Mã đơn vị;Vai trò;Mã định danh;E-mail\ngv-trinh-duyet-1;Đỗ Minh;thcs-a1;contributor;;\ngv-trinh-duyet-2;Vũ Hạnh;thcs-a2;contributor,reviewer;GV-7001;hanh@truong.edu.vn\n';
    await page.getByLabel('Tệp danh sách tài khoản').setInputFiles({ name: 'tai-khoan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    await page.getByRole('heading', { name: 'Kiểm tra xong: tệp hợp lệ' }).waitFor();
    await expectAccessible(page);
    expect(await page.getByRole('row').count()).toBe(3);
    const before = await server.http.get('/api/v1/users?q=gv-trinh-duyet').set(auth('admin')).expect(200);
    expect(before.body.total).toBe(0);
    await page.getByRole('button', { name: 'Tạo 2 tài khoản' }).click();
    await page.getByRole('heading', { name: 'Đã tạo 2 tài khoản' }).waitFor();
    await expectAccessible(page);
    expect(await page.locator('code.secret-link').count()).toBe(2);
    const after = await server.http.get('/api/v1/users?q=gv-trinh-duyet').set(auth('admin')).expect(200);
    expect(after.body.items.map((u: { username: string }) => u.username)).toEqual(['gv-trinh-duyet-1', 'gv-trinh-duyet-2']);
  });

  it('a teacher sees the request for changes, with its comment, in the inbox the header counts', async () => {
    const id = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body.id as string;
    await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes(), 'bai.pdf').expect(201);
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
    const task = (await server.http.get('/api/v1/review/tasks').set(auth('reviewerA1')).expect(200)).body.items[0].id as string;
    await server.http.post(`/api/v1/review/tasks/${task}/claim`).set(auth('reviewerA1')).expect(200);
    const comment = 'Cần thêm bài tập vận dụng cuối bài.';
    await server.http.post(`/api/v1/review/tasks/${task}/decision`).set(auth('reviewerA1'))
      .send({ decision: 'request_changes', comment, reasons: [reasonsFor('request_changes')[0]!.code] }).expect(200);

    const page = await signedIn('teacherA1');
    const inbox = page.getByRole('link', { name: 'Thông báo 1 chưa đọc' });
    await inbox.click();
    await page.waitForURL(`${base}/cua-toi/thong-bao`);
    await expectAccessible(page);
    await page.getByText(`Ý kiến người thẩm định: ${comment}`).waitFor();
    await page.getByRole('button', { name: 'Đánh dấu đã đọc: “Tam giác đồng dạng” được yêu cầu chỉnh sửa' }).click();
    await page.getByText('Bạn đã đọc hết thông báo.').waitFor();
    await page.getByRole('link', { name: '“Tam giác đồng dạng” được yêu cầu chỉnh sửa' }).click();
    await page.waitForURL(`${base}/cua-toi/hoc-lieu/${id}`);
  });
});

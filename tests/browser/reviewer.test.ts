import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signedInPage, startBrowserWorld } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';
import { MATERIAL, pdfBytes, type World } from '../helpers/world.js';

/**
 * A reviewer and a teacher in Debian's Chromium: the reviewer claims a submission and asks for
 * changes with a reason and a comment; the teacher reads them in the workspace, mends the title and
 * resubmits with an answer; the reviewer sees both rounds and what changed, and approves.
 */
let server: TestServer;
let world: World;
let browser: Browser;
let base: string;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  ({ server, browser, world, base } = await startBrowserWorld(['teacherA1', 'reviewerA1', 'reviewerSgdA'], { workers: false }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const signIn = (username: string) => signedInPage(browser, base, username);

describe('a reviewer and a teacher in a browser', () => {
  it('changes requested with a comment, read and answered by the teacher, then the second round approved', async () => {
    const id = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body.id as string;
    await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes('bài giảng'), 'tam-giac.pdf').expect(201);
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);

    const reviewer = await signIn('reviewerA1');
    await reviewer.getByRole('link', { name: 'Thẩm định' }).click();
    await reviewer.waitForURL(`${base}/tham-dinh`);
    await expectAccessible(reviewer);
    await reviewer.getByRole('link', { name: MATERIAL.title }).click();
    await reviewer.waitForURL(/\/tham-dinh\/[0-9a-f-]+$/);
    await expectAccessible(reviewer);
    await reviewer.getByRole('button', { name: 'Nhận thẩm định' }).click();
    await reviewer.waitForURL(/thong-bao=da-nhan/);
    await expectAccessible(reviewer);

    await reviewer.getByLabel('Yêu cầu chỉnh sửa', { exact: true }).check();
    await reviewer.getByRole('button', { name: 'Ghi quyết định' }).click();
    // Without a reason the form comes back with what was chosen and says what is missing.
    await expect.poll(() => reviewer.getByRole('alert').textContent()).toContain('hãy chọn ít nhất một lý do');
    await expectAccessible(reviewer);
    expect(await reviewer.getByLabel('Yêu cầu chỉnh sửa', { exact: true }).isChecked()).toBe(true);
    await reviewer.getByLabel('Phân loại (cấp học, lớp, môn, loại) chưa đúng').check();
    await reviewer.getByLabel('Ý kiến gửi người đóng góp').fill('Tên bài cần ghi rõ lớp 8.');
    await reviewer.getByLabel('Ghi chú nội bộ cho các cấp thẩm định sau').fill('Nội dung tốt, chỉ sửa tên.');
    await reviewer.getByRole('button', { name: 'Ghi quyết định' }).click();
    await reviewer.waitForURL(/\/tham-dinh\?thong-bao=da-quyet-dinh$/);
    expect(await reviewer.getByRole('status').textContent()).toBe('Đã ghi quyết định thẩm định.');

    const teacher = await signIn('teacherA1');
    await expect.poll(() => teacher.locator('#trang-thai-changes_requested').locator('..').textContent()).toContain('Ý kiến người thẩm định: Tên bài cần ghi rõ lớp 8.');
    await expectAccessible(teacher);
    await teacher.getByRole('link', { name: MATERIAL.title }).click();
    await teacher.waitForURL(/\/cua-toi\/hoc-lieu\/[0-9a-f-]+$/);
    const history = teacher.locator('section[aria-labelledby="lich-su"]');
    expect(await history.textContent()).toContain('Phân loại (cấp học, lớp, môn, loại) chưa đúng');
    expect(await history.textContent()).toContain('Tên bài cần ghi rõ lớp 8.');
    expect(await teacher.content()).not.toContain('Nội dung tốt, chỉ sửa tên.');
    await expectAccessible(teacher);
    await teacher.getByLabel('Tên học liệu').fill('Tam giác đồng dạng — Toán 8');
    await teacher.getByRole('button', { name: 'Lưu thông tin' }).click();
    await teacher.waitForURL(/thong-bao=da-luu|da-luu=1/);
    await teacher.getByLabel('Trả lời người thẩm định (không bắt buộc)').fill('Đã thêm lớp vào tên bài.');
    await teacher.getByRole('button', { name: 'Gửi thẩm định lại' }).click();
    await teacher.waitForURL(/thong-bao=da-gui/);
    expect(await teacher.locator('[data-status]').getAttribute('data-status')).toBe('in_review');
    await expectAccessible(teacher);

    await reviewer.goto(`${base}/tham-dinh`);
    await reviewer.getByRole('link', { name: 'Tam giác đồng dạng — Toán 8' }).click();
    await reviewer.waitForURL(/\/tham-dinh\/[0-9a-f-]+$/);
    const rounds = reviewer.locator('section[aria-labelledby="cac-vong"]');
    expect(await rounds.locator('[data-round]').count()).toBe(2);
    expect(await rounds.textContent()).toContain('Người đóng góp trả lời: Đã thêm lớp vào tên bài.');
    expect(await rounds.textContent()).toContain('Ghi chú nội bộ: Nội dung tốt, chỉ sửa tên.');
    const changes = reviewer.locator('section[aria-labelledby="thay-doi"]');
    expect(await changes.locator('[data-field="title"]').textContent()).toBe(`Tên học liệu: ${MATERIAL.title} → Tam giác đồng dạng — Toán 8`);
    await expectAccessible(reviewer);
    await reviewer.getByRole('button', { name: 'Nhận thẩm định' }).click();
    await reviewer.waitForURL(/thong-bao=da-nhan/);
    await reviewer.getByLabel('Đồng ý', { exact: true }).check();
    await reviewer.getByRole('button', { name: 'Ghi quyết định' }).click();
    await reviewer.waitForURL(/\/tham-dinh\?thong-bao=da-quyet-dinh$/);
    await expectAccessible(reviewer);

    // Approved at the school: the province's reviewers have it now.
    const province = await server.http.get('/api/v1/review/tasks?status=open').set(auth('reviewerSgdA')).expect(200);
    expect(province.body.items.map((t: { materialId: string }) => t.materialId)).toEqual([id]);
  }, 180_000);
});

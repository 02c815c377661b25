import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexMaterialJob } from '../../src/search/jobs/index-material.job.js';
import { expectAccessible, signedInPage, startBrowserWorld } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';
import { MATERIAL, pdfBytes, type World } from '../helpers/world.js';

/**
 * An administrator in Debian's Chromium: merges province A into province B from the org tree,
 * after a preview whose numbers are what moves, then retries a failed background job and finds
 * the merger in the audit log. Every page is checked with axe.
 */
let server: TestServer;
let world: World;
let browser: Browser;
let base: string;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  ({ server, browser, world, base } = await startBrowserWorld(['teacherA1', 'reviewerSgdA'], { workers: false }));
  // A lesson of province A waiting at its school's stage: an open review task that moves.
  const id = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body.id as string;
  await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes(), 'bai.pdf').expect(201);
  await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('an administrator in a browser', () => {
  it('merges a province with a preview, retries a failed job and reads the audit log', async () => {
    const page = await signedInPage(browser, base, 'admin', '/quan-tri');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Cây đơn vị' }).click();
    await page.waitForURL(`${base}/quan-tri/don-vi`);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Sở GDĐT A', exact: true }).click();
    await page.waitForURL(`${base}/quan-tri/don-vi/sgd-a`);
    await expectAccessible(page);
    await page.getByLabel('Sáp nhập vào một đơn vị cùng cấp').check();
    await page.getByLabel('Đơn vị đích').selectOption('sgd-b');
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.waitForURL(/\/quan-tri\/don-vi\/sgd-a\/chuyen\?/);
    await expectAccessible(page);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sáp nhập Sở GDĐT A vào Sở GDĐT B');
    const counts = Object.fromEntries(await page.locator('.preview-counts dt').evaluateAll((terms) => terms.map((dt) => [dt.textContent, dt.nextElementSibling!.textContent])));
    expect(counts).toMatchObject({ 'Đơn vị chuyển sang sgd-b': '2 (trong đó 2 trường)', 'Tài khoản': '2', 'Học liệu': '1', 'Nhiệm vụ thẩm định đang mở': '1' });
    await expect(page.getByRole('region', { name: 'Tài khoản chuyển về sgd-b' }).textContent()).resolves.toContain('reviewersgda');

    await page.getByRole('button', { name: 'Xác nhận sáp nhập' }).click();
    await page.waitForURL(`${base}/quan-tri/don-vi/sgd-b?thong-bao=da-sap-nhap`);
    await expectAccessible(page);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã sáp nhập');
    const school = (await server.http.get('/api/v1/orgs/thcs-a1').expect(200)).body;
    expect(school.parentCode).toBe('sgd-b');
    expect((await server.http.get('/api/v1/orgs/sgd-a').expect(200)).body.mergedIntoCode).toBe('sgd-b');

    // A failed job whose error names a server path: the page shows the reason without it, and retries it.
    await server.ctx.db.transaction((tx) => server.ctx.queue.enqueue(tx, IndexMaterialJob.queue, { materialId: crypto.randomUUID() }));
    const failed = (await server.ctx.db.pool.query<{ id: string }>(`UPDATE pgboss.job SET state = 'failed', started_on = now(), completed_on = now(),
      output = '{"message":"không ghi được /srv/hoclieu/var/objects/ab/tep.bin","stack":"at /srv/hoclieu/dist/x.js"}'
      WHERE name = $1 AND state = 'created' RETURNING id`, [IndexMaterialJob.queue])).rows[0]!.id;
    await page.goto(`${base}/quan-tri`);
    await page.getByRole('link', { name: 'Tác vụ nền' }).click();
    await page.waitForURL(`${base}/quan-tri/tac-vu`);
    await expectAccessible(page);
    const failedTable = page.getByRole('region', { name: 'Tác vụ lỗi' });
    await expect(failedTable.textContent()).resolves.toContain('không ghi được …/tep.bin');
    expect(await page.content()).not.toContain('/srv/hoclieu');
    await failedTable.getByRole('button', { name: /^Chạy lại: Cập nhật chỉ mục tìm kiếm/ }).click();
    await page.waitForURL(`${base}/quan-tri/tac-vu?thong-bao=da-chay-lai`);
    await expectAccessible(page);
    await expect(page.getByRole('region', { name: 'Tác vụ lỗi' }).count()).resolves.toBe(0);
    const state = (await server.ctx.db.pool.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [failed])).rows[0]!.state;
    expect(['created', 'retry']).toContain(state);

    await page.goto(`${base}/quan-tri/nhat-ky`);
    await page.getByLabel('Thao tác').selectOption('org_merged');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL(/thao-tac=org_merged/);
    await expectAccessible(page);
    await expect(page.getByRole('region', { name: 'Sự kiện trong nhật ký, mới nhất trước' }).textContent()).resolves.toContain('Sở GDĐT A');
  }, 120_000);
});

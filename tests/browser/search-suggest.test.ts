import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, startBrowserWorld } from '../helpers/browser.js';
import { eventually, type TestServer } from '../helpers/server.js';
import { MATERIAL, pdfBytes, submitAndApprove, type World } from '../helpers/world.js';

/** Suggestions while typing in the search box, in Debian's Chromium, from the keyboard. */
let server: TestServer;
let world: World;
let browser: Browser;
let context: BrowserContext;
let base: string;
const TITLE = 'Tế bào – đơn vị cơ sở của sự sống';
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  ({ server, browser, world, base } = await startBrowserWorld(['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']));
  const created = await server.http.post('/api/v1/materials').set(auth('teacherA1'))
    .send({ ...MATERIAL, title: TITLE, description: 'Bài giảng về cấu tạo tế bào.', type: 'lecture', grades: [7], subject: 'khoa-hoc-tu-nhien' }).expect(201);
  const id = created.body.id as string;
  await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes('te bao'), 'te-bao.pdf').expect(201);
  await submitAndApprove(server, world, id);
  await eventually(async () => (await server.http.get('/api/v1/search').expect(200)).body.total === 1);
  context = await browser.newContext({ locale: 'vi-VN' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Types as a person does, then moves down the list with the arrow key until `option` is the active one. */
async function typeAndChoose(page: Page, text: string, option: RegExp) {
  const box = page.getByRole('combobox', { name: 'Từ khoá' });
  await box.fill('');
  await box.pressSequentially(text, { delay: 60 });
  const list = page.getByRole('listbox', { name: 'Gợi ý tìm kiếm' });
  await expect.poll(() => list.getByRole('option', { name: option }).count()).toBeGreaterThan(0);
  expect(await box.getAttribute('aria-expanded')).toBe('true');
  await expectAccessible(page);
  for (let presses = 0; presses < 10; presses++) {
    await box.press('ArrowDown');
    const active = await box.getAttribute('aria-activedescendant');
    if (active && option.test((await page.locator(`#${active}`).textContent()) ?? '')) {
      expect(await page.locator(`#${active}`).getAttribute('aria-selected')).toBe('true');
      await box.press('Enter');
      return;
    }
  }
  throw new Error(`no suggestion ${option} to choose`);
}

describe('suggestions while typing', () => {
  it('a title picked with the keyboard on the home page fills the box and shows its results', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await typeAndChoose(page, 'te ba', new RegExp(`^${TITLE}`));
    await page.waitForURL(/\/tim-kiem\?q=/);
    expect(new URL(page.url()).searchParams.get('q')).toBe(TITLE);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Tìm “${TITLE}”`);
    expect(await page.getByRole('link', { name: TITLE }).count()).toBeGreaterThan(0);
    await expectAccessible(page);
  });

  it('a subject picked on the search page becomes its filter, keeping the other choices; Escape closes the list', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/tim-kiem?cap=thcs`);
    const box = page.getByRole('combobox', { name: 'Từ khoá' });
    await box.pressSequentially('khoa hoc t', { delay: 60 });
    await expect.poll(() => box.getAttribute('aria-expanded')).toBe('true');
    await box.press('Escape');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('listbox', { name: 'Gợi ý tìm kiếm' }).isVisible()).toBe(false);

    await typeAndChoose(page, 'khoa hoc tu', /^Khoa học tự nhiên · Môn học$/);
    await page.waitForURL(/mon=khoa-hoc-tu-nhien/);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/tim-kiem');
    expect(Object.fromEntries(url.searchParams)).toEqual({ cap: 'thcs', mon: 'khoa-hoc-tu-nhien' });
    expect(await page.getByRole('heading', { name: '1 học liệu' }).count()).toBe(1);
    await expectAccessible(page);
  });

  it('on a phone, a tapped suggestion is picked too', async () => {
    const phone = await browser.newContext({ locale: 'vi-VN', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('combobox', { name: 'Từ khoá' }).pressSequentially('khoa hoc tu', { delay: 60 });
    const option = page.getByRole('listbox', { name: 'Gợi ý tìm kiếm' }).getByRole('option', { name: /^Khoa học tự nhiên/ });
    await expect.poll(() => option.count()).toBe(1);
    await expectAccessible(page);
    await option.tap();
    await page.waitForURL(/\/tim-kiem\?mon=khoa-hoc-tu-nhien$/);
    await phone.close();
  });
});

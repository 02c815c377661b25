import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CONTENT_SECURITY_POLICY } from '../../src/web/render.js';
import { testVideo } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, PASSWORD, pdfBytes, type World, approveAsReviewer } from '../helpers/world.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const HTML = { accept: 'text/html,application/xhtml+xml' };

// Markup, an ampersand and quotes typed into a title must come out as text.
const TRICKY_TITLE = '<script>alert(1)</script> Tam giác đồng dạng & "ôn tập"';
const ids = {} as Record<'document' | 'video' | 'bank' | 'draft' | 'collection', string>;

const approve = (reviewer: keyof World['tokens'], materialId: string) => approveAsReviewer(server, world, reviewer, materialId);

async function publish(id: string) {
  await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
  for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) await approve(reviewer, id);
}

async function create(fields: Partial<typeof MATERIAL>, file?: { bytes: Buffer; name: string }) {
  const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, ...fields }).expect(201);
  if (file) await server.http.post(`/api/v1/materials/${created.body.id}/files`).set(auth('teacherA1')).attach('file', file.bytes, file.name).expect(201);
  return created.body.id as string;
}

/** The JSON-LD blocks of a page, parsed. */
function jsonLd(html: string): Array<Record<string, unknown>> {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
}

const cookieValue = (setCookie: string[] | undefined, name: string) => setCookie?.find((c) => c.startsWith(`${name}=`))?.split(';')[0]!.slice(name.length + 1);
const csrfFieldOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);
  ids.document = await create({ title: TRICKY_TITLE }, { bytes: pdfBytes('tam giac'), name: 'Bài giảng tam giác.pdf' });
  await publish(ids.document);
  ids.video = await create({ type: 'video', title: 'Phương trình bậc nhất một ẩn', description: 'Video bài giảng Toán 8.' }, { bytes: await testVideo(3), name: 'phuong-trinh.mp4' });
  await eventually(async () => {
    const shown = await server.http.get(`/api/v1/materials/${ids.video}`).set(auth('teacherA1')).expect(200);
    expect(shown.body.files[0].processing?.state).not.toBe('failed');
    return shown.body.files[0].processing?.state === 'ready';
  }, 120_000);
  await server.http.post(`/api/v1/materials/${ids.video}/files`).set(auth('teacherA1'))
    .attach('file', Buffer.from('WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào các em\n'), 'phu-de.vtt').expect(201);
  await publish(ids.video);
  ids.bank = await create({ type: 'question-bank', title: 'Ngân hàng câu hỏi tam giác' });
  await server.http.post(`/api/v1/materials/${ids.bank}/questions/import`).set(auth('teacherA1'))
    .attach('file', Buffer.from('::Q1:: Tổng các góc của tam giác? {=180 độ ~90 độ ~360 độ}\n\n::Q2:: Tam giác đều có ba cạnh bằng nhau. {T}\n'), 'cau-hoi.gift').expect(200);
  await publish(ids.bank);
  ids.draft = await create({ title: 'Bản nháp riêng tư' }, { bytes: pdfBytes('nhap'), name: 'nhap.pdf' });
  const collection = await server.http.post('/api/v1/collections').set(auth('reviewerA1')).send({ title: 'Hình học lớp 8 <b>chọn lọc</b>', level: 'thcs', grade: 8, subject: 'toan' }).expect(201);
  ids.collection = collection.body.id;
  await server.http.post(`/api/v1/collections/${ids.collection}/items`).set(auth('reviewerA1')).send({ materialId: ids.document }).expect(201);
  // Publishing indexes through a background job.
  await eventually(async () => (await server.http.get('/api/v1/search').expect(200)).body.total === 3);
}, 300_000);
afterAll(async () => server?.close());

describe('public pages, rendered on the server', () => {
  it('home: search box, level → grade → subject with counts, newest materials and collections, in Vietnamese', async () => {
    const page = await server.http.get('/').set(HTML).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(page.text).toMatch(/^<!doctype html><html lang="vi">/);
    expect(page.text).toContain('<a class="skip-link" href="#noi-dung">Bỏ qua đến nội dung chính</a>');
    expect(page.text).toContain('<main id="noi-dung"');
    expect(page.text).toContain(`<link rel="canonical" href="${server.ctx.config.publicUrl}/"/>`);
    expect(page.text).toMatch(/<meta name="description" content="[^"]+"/);
    expect(page.text).toContain('<form method="get" action="/tim-kiem" role="search"');
    expect(page.text).toContain('<a href="/tim-kiem?cap=thcs">Trung học cơ sở</a> <span class="meta">(3)</span>');
    expect(page.text).toContain('<a href="/tim-kiem?cap=thcs&amp;lop=8">Lớp 8 (3)</a>');
    expect(page.text).toContain('<a href="/tim-kiem?cap=thcs&amp;mon=toan">Toán (3)</a>');
    expect(page.text).toContain(`href="/bo-suu-tap/${ids.collection}">Hình học lớp 8 &lt;b>chọn lọc&lt;/b></a>`);
    expect(page.text).toContain('&lt;script>alert(1)&lt;/script> Tam giác đồng dạng &amp; &quot;ôn tập&quot;');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).not.toContain('Bản nháp riêng tư');
    expect(jsonLd(page.text)[0]).toMatchObject({ '@type': 'WebSite', url: `${server.ctx.config.publicUrl}/` });
    // The stylesheet is hashed and cached for a year.
    const css = /<link rel="stylesheet" href="(\/assets\/site-[A-Z0-9]+\.css)"/.exec(page.text)![1]!;
    const asset = await server.http.get(css).expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    // A public page revalidates by its ETag.
    await server.http.get('/').set(HTML).set('if-none-match', page.headers.etag!).expect(304);
  });

  it('search: highlighted, escaped results with poster thumbnails, facet links that narrow, a GET form that keeps the choices', async () => {
    const page = await server.http.get('/tim-kiem?q=tam+giac&cap=thcs').set(HTML).expect(200);
    expect(page.text).toContain('<h1>Tìm “tam giac”</h1>');
    // Highlights: the stored markup escaped, the matched words marked.
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; <mark>Tam</mark> <mark>giác</mark> đồng dạng &amp; &quot;ôn tập&quot;');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toContain('<option value="thcs" selected>Trung học cơ sở</option>');
    expect(page.text).toContain('value="tam giac"');
    // Facets: plain links that narrow the search (the counts leave out their own facet's filter).
    expect(page.text).toContain('<a href="/tim-kiem?q=tam+giac&amp;cap=thcs&amp;loai=document">Tài liệu tham khảo, hỗ trợ (1)</a>');
    expect(page.text).toContain('<a href="/tim-kiem?q=tam+giac&amp;cap=thcs&amp;loai=question-bank">');
    expect(page.text).toContain('href="/tim-kiem?q=tam+giac" aria-label="Bỏ lọc Cấp học: Trung học cơ sở">bỏ chọn</a>');

    const videos = await server.http.get('/tim-kiem?loai=video').set(HTML).expect(200);
    expect(videos.text).toContain('<h2 id="ket-qua">1 học liệu</h2>');
    expect(videos.text).toMatch(new RegExp(`<img class="thumb" src="/api/v1/files/[0-9a-f-]+/poster\\?size=320" alt="Phương trình bậc nhất một ẩn"`));
    const poster = /src="(\/api\/v1\/files\/[0-9a-f-]+\/poster\?size=320)"/.exec(videos.text)![1]!;
    expect((await server.http.get(poster).expect(200)).headers['content-type']).toMatch(/^image\//);

    const none = await server.http.get('/tim-kiem?q=khongcotu&lop=99&trang=abc').set(HTML).expect(200);
    expect(none.text).toContain('Không có học liệu nào phù hợp');
  });

  it('material page: redirects to its slug, shows the classification, contributor, licence with attribution and downloads, with LearningResource JSON-LD', async () => {
    const bare = await server.http.get(`/hoc-lieu/${ids.document}`).set(HTML).expect(301);
    const path = `/hoc-lieu/${ids.document}/script-alert-1-script-tam-giac-dong-dang-on-tap`;
    expect(bare.headers.location).toBe(path);
    await server.http.get(`/hoc-lieu/${ids.document}/ten-cu`).set(HTML).expect(301);
    const page = await server.http.get(path).set(HTML).expect(200);
    expect(page.text).toContain('<h1>&lt;script>alert(1)&lt;/script> Tam giác đồng dạng &amp; &quot;ôn tập&quot;</h1>');
    expect(page.text).not.toContain('<script>alert(1)');
    for (const fact of ['<dt>Cấp học</dt>', 'Trung học cơ sở', '<dd>Lớp 8</dd>', '>Toán</a>', 'Kết nối tri thức', 'Trường THCS A1, Sở GDĐT A', '<dt>Phiên bản</dt><dd>1</dd>', 'rel="license">Creative Commons Ghi công 4.0</a>']) {
      expect(page.text).toContain(fact);
    }
    expect(page.text).toContain(`Nguồn: ${server.ctx.config.publicUrl}${path}. Giấy phép Creative Commons Ghi công 4.0.`);
    expect(page.text).toMatch(/<a href="\/api\/v1\/files\/[0-9a-f-]+\/content">Bài giảng tam giác\.pdf<\/a> <span class="meta">\(\d+ byte\)<\/span>/);
    expect(page.text).toContain(`<link rel="canonical" href="${server.ctx.config.publicUrl}${path}"/>`);
    expect(page.text).not.toContain('player-');
    const [resource] = jsonLd(page.text);
    expect(resource).toMatchObject({ '@type': 'LearningResource', name: TRICKY_TITLE, url: `${server.ctx.config.publicUrl}${path}`, license: 'https://creativecommons.org/licenses/by/4.0/deed.vi', educationalLevel: ['Trung học cơ sở', 'Lớp 8'] });
    // Inside the JSON-LD block `<` is \u003c: the title cannot close the script element.
    expect(page.text).toContain('"name":"\\u003cscript>alert(1)\\u003c/script> Tam giác');
    const file = /href="(\/api\/v1\/files\/[0-9a-f-]+\/content)"/.exec(page.text)![1]!;
    expect((await server.http.get(file).expect(200)).body.toString()).toContain('tam giac');
  });

  it('video page: plays over HLS with poster and MP4, the player island, a low-data choice and a VideoObject', async () => {
    const page = await server.http.get(`/hoc-lieu/${ids.video}/phuong-trinh-bac-nhat-mot-an`).set(HTML).expect(200);
    const master = new RegExp(`data-hls="/api/v1/files/([0-9a-f-]+)/hls/master.m3u8"`).exec(page.text);
    expect(master).not.toBeNull();
    expect(page.text).toMatch(/<video controls preload="none" playsinline poster="\/api\/v1\/files\/[0-9a-f-]+\/poster\?size=1280"/);
    expect(page.text).toContain(`<source src="/api/v1/files/${master![1]}/hls/master.m3u8" type="application/vnd.apple.mpegurl"/>`);
    expect(page.text).toMatch(/<source src="\/api\/v1\/files\/[0-9a-f-]+\/renditions\/[0-9a-f-]+" type="video\/mp4"\/>/);
    expect(page.text).toContain('Tiết kiệm dữ liệu (phát ở chất lượng thấp nhất)');
    expect(page.text).toMatch(/<track kind="captions" src="\/api\/v1\/files\/[0-9a-f-]+\/content" srclang="vi" label="Phụ đề tiếng Việt" default\/>/);
    expect(page.text).toMatch(/Tải video MP4 \(\d+p, [\d,]+ KB\)/);
    expect(page.text).toMatch(/<script type="module" src="\/assets\/player-[A-Z0-9]+\.js" defer><\/script>/);
    await server.http.get(`/api/v1/files/${master![1]}/hls/master.m3u8`).expect(200);
    const [resource, video] = jsonLd(page.text);
    expect(resource!['@type']).toBe('LearningResource');
    expect(video).toMatchObject({ '@type': 'VideoObject', name: 'Phương trình bậc nhất một ẩn', thumbnailUrl: expect.stringContaining(`${server.ctx.config.publicUrl}/api/v1/files/`) });
  });

  it('question bank: its summary by type and level, never a question or an answer', async () => {
    const page = await server.http.get(`/hoc-lieu/${ids.bank}/ngan-hang-cau-hoi-tam-giac`).set(HTML).expect(200);
    expect(page.text).toContain('Ngân hàng câu hỏi: 2 câu');
    expect(page.text).toContain('<td>Trắc nghiệm nhiều lựa chọn</td><td>1</td>');
    expect(page.text).toContain('<td>Đúng/Sai</td><td>1</td>');
    expect(page.text).not.toContain('180 độ');
    expect(page.text).not.toContain('Tổng các góc');
  });

  it('collection page and TV schedule', async () => {
    const collection = await server.http.get(`/bo-suu-tap/${ids.collection}`).set(HTML).expect(200);
    expect(collection.text).toContain('<h1>Hình học lớp 8 &lt;b>chọn lọc&lt;/b></h1>');
    expect(collection.text).toContain(`href="/hoc-lieu/${ids.document}/script-alert-1-script-tam-giac-dong-dang-on-tap"`);
    expect(jsonLd(collection.text)[0]).toMatchObject({ '@type': 'Collection', hasPart: [{ name: TRICKY_TITLE }] });
    const schedule = await server.http.get('/lich-phat-song').set(HTML).expect(200);
    expect(schedule.text).toContain('<h1>Lịch phát sóng</h1>');
    expect(schedule.text).toContain('Chưa có lịch phát sóng nào trong tuần này.');
  });

  it('only published content: a draft, an unknown or a malformed id is the Vietnamese 404 page; the API keeps JSON', async () => {
    for (const path of [`/hoc-lieu/${ids.draft}`, `/hoc-lieu/${ids.draft}/ban-nhap-rieng-tu`, '/hoc-lieu/00000000-0000-0000-0000-000000000000', '/hoc-lieu/khong-phai-ma', '/khong-co-trang-nay', `/bo-suu-tap/${ids.draft}`]) {
      const page = await server.http.get(path).set(HTML).expect(404);
      expect(page.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(page.text, path).toContain('<h1>Không tìm thấy trang</h1>');
      expect(page.text, path).not.toContain('Bản nháp riêng tư');
      expect(page.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    }
    const api = await server.http.get(`/api/v1/materials/${ids.draft}`).set(HTML).expect(404);
    expect(api.body.error.code).toBe('NOT_FOUND');
    expect((await server.http.get('/khong-co-trang-nay').expect(404)).body.error.code).toBe('NOT_FOUND');
  });

  it('sitemap.xml lists the published materials and the collections, never a draft; robots.txt points to it', async () => {
    const sitemap = await server.http.get('/sitemap.xml').expect(200);
    expect(sitemap.headers['content-type']).toBe('application/xml; charset=utf-8');
    const locations = [...sitemap.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    const base = server.ctx.config.publicUrl;
    expect(locations).toEqual(expect.arrayContaining([
      `${base}/`, `${base}/hoc-lieu/${ids.document}/script-alert-1-script-tam-giac-dong-dang-on-tap`,
      `${base}/hoc-lieu/${ids.video}/phuong-trinh-bac-nhat-mot-an`, `${base}/bo-suu-tap/${ids.collection}`,
    ]));
    expect(locations).toHaveLength(5);
    expect(sitemap.text).not.toContain(ids.draft);
    const robots = await server.http.get('/robots.txt').expect(200);
    expect(robots.text).toContain(`Sitemap: ${base}/sitemap.xml`);
    expect(robots.text).toContain('Disallow: /api/');
  });
});

describe('signing in and out on the pages', () => {
  it('refuses a form without its CSRF token, says the same for a wrong password and an unknown user, and signs in with a cookie', async () => {
    const form = await server.http.get('/dang-nhap?tiep=%2Ftim-kiem%3Fq%3Dtam').set(HTML).expect(200);
    expect(form.text).toContain('<label for="truong-username">Tên đăng nhập</label>');
    expect(form.text).toContain('<label for="truong-password">Mật khẩu</label>');
    expect(form.text).toContain('<button type="submit" class="button">Đăng nhập</button>');
    expect(form.headers['cache-control']).toBe('no-store');
    const csrfCookie = cookieValue(form.headers['set-cookie'] as unknown as string[], '_csrf')!;
    const token = csrfFieldOf(form.text)!;
    expect(csrfCookie).toBeTruthy();
    const post = (fields: Record<string, string>, cookie = `_csrf=${csrfCookie}`) =>
      server.http.post('/dang-nhap').set(HTML).set('cookie', cookie).type('form').send(fields);

    const forged = await post({ username: 'teacherA1', password: PASSWORD, tiep: '/' }).expect(403);
    expect(forged.text).toContain('Biểu mẫu đã hết hạn');
    expect(forged.headers['set-cookie']?.toString() ?? '').not.toContain('hoclieu_session');
    await post({ _csrf: token, username: 'teacherA1', password: PASSWORD }, '').expect(403);

    const wrong = await post({ _csrf: token, username: 'teacherA1', password: 'sai-mat-khau-roi', tiep: '/tim-kiem' }).expect(401);
    const unknown = await post({ _csrf: token, username: 'khong-ai-ca', password: 'sai-mat-khau-roi', tiep: '/tim-kiem' }).expect(401);
    const message = (html: string) => /<p class="form-error" role="alert">([^<]+)<\/p>/.exec(html)?.[1];
    expect(message(wrong.text)).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(message(unknown.text)).toBe(message(wrong.text));
    expect(wrong.text).toContain('value="teacherA1"');

    const empty = await post({ _csrf: token, username: '', password: '' }).expect(400);
    expect(empty.text).toContain('Hãy nhập tên đăng nhập.');

    const signedIn = await post({ _csrf: token, username: 'teacherA1', password: PASSWORD, tiep: '/tim-kiem?q=tam' }).expect(303);
    expect(signedIn.headers.location).toBe('/tim-kiem?q=tam');
    const sessionCookie = (signedIn.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('hoclieu_session='))!;
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);
    expect(sessionCookie).toMatch(/Path=\//);
    const session = cookieValue([sessionCookie], 'hoclieu_session')!;

    // Another site as `tiep` is ignored: the teacher lands in their workspace.
    const elsewhere = await post({ _csrf: token, username: 'teacherA1', password: PASSWORD, tiep: '//evil.example/x' }).expect(303);
    expect(elsewhere.headers.location).toBe('/cua-toi');

    // The pages know the user; the API does not take the cookie (it keeps bearer tokens, and needs no CSRF defence).
    const cookies = `_csrf=${csrfCookie}; hoclieu_session=${session}`;
    const home = await server.http.get('/').set(HTML).set('cookie', cookies).expect(200);
    expect(home.text).toContain('Đăng xuất (Người dùng teacherA1)');
    expect(home.headers['cache-control']).toBe('private, no-cache');
    await server.http.get('/api/v1/me').set('cookie', cookies).expect(401);

    // Sign-out is a form too: refused without its token, then the session is revoked.
    const signOutToken = csrfFieldOf(home.text)!;
    await server.http.post('/dang-xuat').set(HTML).set('cookie', cookies).type('form').send({}).expect(403);
    const out = await server.http.post('/dang-xuat').set(HTML).set('cookie', cookies).type('form').send({ _csrf: signOutToken }).expect(303);
    expect(out.headers.location).toBe('/');
    expect((out.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('hoclieu_session='))).toMatch(/Expires=Thu, 01 Jan 1970/);
    const after = await server.http.get('/').set(HTML).set('cookie', cookies).expect(200);
    expect(after.text).not.toContain('Đăng xuất');
    expect(after.text).toContain('>Đăng nhập</a>');
    // The old cookie names an ended session: the sign-in page says so.
    const again = await server.http.get('/dang-nhap').set(HTML).set('cookie', cookies).expect(200);
    expect(again.text).toContain('Phiên đăng nhập đã hết hạn');
  });
});

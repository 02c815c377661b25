import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertWithLibreOffice, flatPresentation } from '../helpers/documents.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, pdfBytes, submitAndApprove, type World } from '../helpers/world.js';
import { HTML } from '../helpers/web.js';

/** The search page's states over a small published corpus: two provinces, three series, two licences, one document with text. */
let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const ids = {} as Record<'cell' | 'triangle' | 'equation', string>;

/** The review stages of each teacher's school: province A's schools review first, province B's do not. */
const REVIEWERS = { teacherA1: ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'], teacherB1: ['reviewerSgdB', 'reviewerGdpt'] } as const;

async function publish(teacher: keyof typeof REVIEWERS, fields: Partial<typeof MATERIAL>, file: { bytes: Buffer; name: string }) {
  const created = await server.http.post('/api/v1/materials').set(auth(teacher)).send({ ...MATERIAL, ...fields }).expect(201);
  const id = created.body.id as string;
  const uploaded = await server.http.post(`/api/v1/materials/${id}/files`).set(auth(teacher)).attach('file', file.bytes, file.name).expect(201);
  return { id, fileId: uploaded.body.id as string };
}

const approveAll = (teacher: keyof typeof REVIEWERS, id: string) => submitAndApprove(server, world, id, teacher, REVIEWERS[teacher]);

const page = async (path: string) => (await server.http.get(path).set(HTML).expect(200)).text;

beforeAll(async () => {
  const [started, slides] = await Promise.all([
    startTestServer(),
    convertWithLibreOffice(flatPresentation(['Tế bào', 'Quang hợp diễn ra ở lục lạp của tế bào lá']), 'fodp', 'pdf'),
  ]);
  server = started;
  world = await createWorld(server, ['teacherA1', 'teacherB1', 'reviewerA1', 'reviewerSgdA', 'reviewerSgdB', 'reviewerGdpt']);
  const cell = await publish('teacherA1', {
    title: 'Tế bào – đơn vị cơ sở của sự sống', description: 'Bài giảng về cấu tạo tế bào.', type: 'lecture',
    grades: [7], subject: 'khoa-hoc-tu-nhien', series: 'canh-dieu', license: 'CC-BY-SA-4.0',
  }, { bytes: slides, name: 'bai-giang-te-bao.pdf' });
  ids.cell = cell.id;
  // The document's pages are indexed with it: published once its text is read.
  await eventually(async () => (await server.http.get(`/api/v1/files/${cell.fileId}/document`).set(auth('teacherA1'))).body.state === 'ready', 120_000);
  await approveAll('teacherA1', ids.cell);
  ids.triangle = (await publish('teacherA1', {}, { bytes: pdfBytes('tam giac'), name: 'tam-giac.pdf' })).id;
  await approveAll('teacherA1', ids.triangle);
  ids.equation = (await publish('teacherB1', {
    title: 'Phương trình bậc hai một ẩn', description: 'Công thức nghiệm và hệ thức Vi-ét.', level: 'thpt', grades: [10], series: 'chan-troi-sang-tao',
  }, { bytes: pdfBytes('phuong trinh'), name: 'phuong-trinh.pdf' })).id;
  await approveAll('teacherB1', ids.equation);
  await eventually(async () => (await server.http.get('/api/v1/search').expect(200)).body.total === 3, 30_000);
}, 300_000);
afterAll(async () => server?.close());

describe('the search page', () => {
  it('counts the series, province and licence facets, named from the taxonomy and the province orgs, and filters by them', async () => {
    const all = await page('/tim-kiem');
    expect(all).toContain('<h2>Bộ sách</h2>');
    expect(all).toContain('<a href="/tim-kiem?bo-sach=canh-dieu">Cánh Diều (1)</a>');
    expect(all).toContain('<h2>Tỉnh, thành phố</h2>');
    expect(all).toContain('<a href="/tim-kiem?tinh=sgd-a">Sở GDĐT A (2)</a>');
    expect(all).toContain('<a href="/tim-kiem?tinh=sgd-b">Sở GDĐT B (1)</a>');
    expect(all).toContain('<h2>Giấy phép</h2>');
    expect(all).toContain('<a href="/tim-kiem?giay-phep=CC-BY-SA-4.0">Creative Commons Ghi công – Chia sẻ tương tự 4.0 (1)</a>');

    // Shared with every anonymous reader, revalidated by its ETag.
    const shared = await server.http.get('/tim-kiem?bo-sach=canh-dieu').set(HTML).expect(200);
    expect(shared.headers['cache-control']).toBe('public, max-age=60');
    await server.http.get('/tim-kiem?bo-sach=canh-dieu').set(HTML).set('if-none-match', shared.headers.etag!).expect(304);

    const provinceB = await page('/tim-kiem?tinh=sgd-b');
    expect(provinceB).toContain('<h2 id="ket-qua">1 học liệu</h2>');
    expect(provinceB).toContain('Phương trình bậc hai một ẩn');
    expect(provinceB).not.toContain('Tam giác đồng dạng');
    // Selected: named, with a way back; the form keeps the filter it has no field for.
    expect(provinceB).toContain('aria-label="Bỏ lọc Tỉnh, thành phố: Sở GDĐT B">bỏ chọn</a>');
    expect(provinceB).toContain('<input type="hidden" name="tinh" value="sgd-b"/>');

    const series = await page('/tim-kiem?bo-sach=canh-dieu&giay-phep=CC-BY-SA-4.0');
    expect(series).toContain('<h2 id="ket-qua">1 học liệu</h2>');
    expect(series).toContain('Tế bào – đơn vị cơ sở của sự sống');
  });

  it('sorts by newest and by downloads with links that keep the search, the current one marked', async () => {
    const relevance = await page('/tim-kiem?q=toan');
    expect(relevance).toContain('<nav class="sort" aria-label="Sắp xếp kết quả">');
    expect(relevance).toContain('<span aria-current="true">Phù hợp nhất</span>');
    expect(relevance).toContain('<a href="/tim-kiem?q=toan&amp;sap-xep=moi-nhat">Mới nhất</a>');
    expect(relevance).toContain('<a href="/tim-kiem?q=toan&amp;sap-xep=tai-nhieu">Tải nhiều nhất</a>');

    const newest = await page('/tim-kiem?sap-xep=moi-nhat');
    expect(newest).toContain('<span aria-current="true">Mới nhất</span>');
    expect(newest).toContain('<a href="/tim-kiem">Phù hợp nhất</a>');
    expect(newest).toContain('<input type="hidden" name="sap-xep" value="moi-nhat"/>');
    // The last one published first.
    const order = ['Phương trình bậc hai một ẩn', 'Tam giác đồng dạng', 'Tế bào – đơn vị'].map((title) => newest.indexOf(`">${title}`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Facet links keep the order.
    expect(newest).toContain('<a href="/tim-kiem?tinh=sgd-b&amp;sap-xep=moi-nhat">Sở GDĐT B (1)</a>');

    const downloads = await page('/tim-kiem?sap-xep=tai-nhieu');
    expect(downloads).toContain('<span aria-current="true">Tải nhiều nhất</span>');
    expect(downloads).toContain('<h2 id="ket-qua">3 học liệu</h2>');
    // An unknown order is the default one, not an error.
    expect(await page('/tim-kiem?sap-xep=ngau-nhien')).toContain('<span aria-current="true">Phù hợp nhất</span>');
  });

  it('says what the query was read as, each term a link that makes it a filter', async () => {
    const text = await page('/tim-kiem?q=KHTN+7');
    expect(text).toContain('Tế bào – đơn vị cơ sở của sự sống');
    expect(text).toContain('<a href="/tim-kiem?q=KHTN+7&amp;mon=khoa-hoc-tu-nhien" aria-label="Lọc theo Môn: Khoa học tự nhiên">Môn: Khoa học tự nhiên</a>');
    expect(text).toContain('<a href="/tim-kiem?q=KHTN+7&amp;lop=7" aria-label="Lọc theo Lớp 7">Lớp 7</a>');
    // Once a filter, the term is no longer a link.
    const filtered = await page('/tim-kiem?q=KHTN+7&mon=khoa-hoc-tu-nhien');
    expect(filtered).toContain('<span>Môn: Khoa học tự nhiên</span>');
  });

  it('finds words inside a document and says on which page of which file', async () => {
    const text = await page('/tim-kiem?q=luc+lap');
    expect(text).toContain('Tế bào – đơn vị cơ sở của sự sống');
    expect(text).toContain('<span class="meta">Trang 2 · bai-giang-te-bao.pdf</span>');
    expect(text).toMatch(/<mark>lục<\/mark> <mark>lạp<\/mark>/);
  });

  it('says when no material has every word, and offers the corrected query as a link', async () => {
    const partial = await page('/tim-kiem?q=tam+giac+dong+dang+hinh+chop');
    expect(partial).toContain(`href="/hoc-lieu/${ids.triangle}/tam-giac-dong-dang"`);
    expect(partial).toContain('<p class="partial-notice">Không có học liệu nào chứa đủ các từ; đây là những học liệu gần nhất.</p>');
    expect(await page('/tim-kiem?q=tam+giac+dong+dang')).not.toContain('partial-notice');

    const typo = await server.http.get('/api/v1/search?q=phuong+trinh+bac+hia').expect(200);
    expect(typo.body.suggestion).toBeTruthy();
    const corrected = await page('/tim-kiem?q=phuong+trinh+bac+hia');
    expect(corrected).toContain(`<p class="suggestion">Có phải bạn muốn tìm <a href="${hrefOf({ q: typo.body.suggestion })}">“${typo.body.suggestion}”</a>?</p>`);
  });

  it('finds nothing honestly, and offers the same words without the filters, where they are found, and what the query named', async () => {
    const filtered = await page('/tim-kiem?q=tam+giac&cap=thpt');
    expect(filtered).toContain('<h2 id="ket-qua">Không có học liệu nào phù hợp</h2>');
    expect(filtered).toContain('Không tìm thấy học liệu nào chứa “tam giac” với các bộ lọc đã chọn.');
    expect(filtered).toContain('<a href="/tim-kiem?q=tam+giac">“tam giac” ở mọi cấp học, lớp và môn (1 học liệu)</a>');
    expect(filtered).toContain('“tam giac” theo cấp học: <a href="/tim-kiem?q=tam+giac&amp;cap=thcs">Trung học cơ sở (1)</a>');
    expect(filtered).not.toContain('Phương trình bậc hai một ẩn');
    expect(filtered).not.toContain('class="sort"');

    // The query names a subject and a grade, and a word no material has: browse what it named.
    const named = await page('/tim-kiem?q=KHTN+7+zzqxw');
    expect(named).toContain('<h2 id="ket-qua">Không có học liệu nào phù hợp</h2>');
    expect(named).toContain('<a href="/tim-kiem?lop=7&amp;mon=khoa-hoc-tu-nhien">Xem mọi học liệu Khoa học tự nhiên · Lớp 7</a>');
    expect(named).toContain('aria-label="Lọc theo Môn: Khoa học tự nhiên"');
    // Words the corpus does not hold never bring an unrelated lesson.
    const unrelated = await page('/tim-kiem?q=b%E1%BA%A1o+l%E1%BB%B1c+gia+%C4%91%C3%ACnh');
    expect(unrelated).not.toContain('Phương trình bậc hai một ẩn');
    expect(unrelated).not.toContain('tam-giac-dong-dang');

    const nothing = await page('/tim-kiem?q=zzqxw');
    expect(nothing).toContain('Không tìm thấy học liệu nào chứa “zzqxw”.');
    expect(nothing).toContain('<a href="/#duyet">Duyệt theo cấp học, lớp và môn</a>');
  });

  it('loads the suggest island on the search box of the home and search pages, the form staying a plain GET form', async () => {
    for (const path of ['/', '/tim-kiem?q=tam']) {
      const text = await page(path);
      expect(text).toMatch(/<script type="module" src="\/assets\/search-suggest-[A-Z0-9]+\.js" defer><\/script>/);
      expect(text).toContain('<form method="get" action="/tim-kiem" role="search" class="search-form" data-search-suggest="/api/v1/search/suggest"');
    }
    const suggestions = (await server.http.get('/api/v1/search/suggest?q=khoa+hoc').expect(200)).body.suggestions;
    expect(suggestions).toContainEqual(expect.objectContaining({ kind: 'subject', code: 'khoa-hoc-tu-nhien' }));
  });
});

const hrefOf = (params: Record<string, string>) => `/tim-kiem?${new URLSearchParams(params).toString()}`.replaceAll('&', '&amp;');

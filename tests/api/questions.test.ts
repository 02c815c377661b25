import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';
import { zipOf } from '../helpers/zip.js';
import { QUESTION_TYPES } from '../../src/questions/model.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const AIKEN = path.resolve('tests/fixtures/aiken');
const VIETNAMESE = 'Thủ đô của Việt Nam là:\nA. Hà Nội\nB. Huế\nC. Đà Nẵng\nANSWER: A\n\nSố nguyên tố nhỏ nhất là:\nA) 0\nB) 1\nC) 2\nANSWER: C\n';
// A 1×1 PNG, as Moodle embeds pictures: base64 inside the XML.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const MOODLE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Hình học/Tam giác</text></category></question>
  <question type="multichoice">
    <name><text>Góc tam giác</text></name>
    <questiontext format="html"><text><![CDATA[<p>Tổng ba góc của tam giác <img src="@@PLUGINFILE@@/tam-giac.png" alt="tam giác"> bằng bao nhiêu độ?</p>]]></text>
      <file name="tam-giac.png" path="/" encoding="base64">${PNG_BASE64}</file></questiontext>
    <generalfeedback format="html"><text>Định lí tổng ba góc.</text></generalfeedback>
    <defaultgrade>1</defaultgrade><penalty>0.3333333</penalty><hidden>0</hidden><idnumber>HH-01</idnumber>
    <single>true</single><shuffleanswers>true</shuffleanswers><answernumbering>ABCD</answernumbering>
    <answer fraction="100" format="html"><text>180°</text><feedback format="html"><text>Đúng.</text></feedback></answer>
    <answer fraction="0" format="html"><text>90°</text><feedback format="html"><text>Sai.</text></feedback></answer>
    <answer fraction="0" format="html"><text>360°</text><feedback format="html"><text></text></feedback></answer>
    <tags><tag><text>nhan-biet</text></tag></tags>
  </question>
  <question type="truefalse">
    <name><text>Tam giác đều</text></name>
    <questiontext format="html"><text>Tam giác đều có ba góc bằng nhau.</text></questiontext>
    <defaultgrade>1</defaultgrade>
    <answer fraction="100" format="moodle_auto_format"><text>true</text><feedback><text></text></feedback></answer>
    <answer fraction="0" format="moodle_auto_format"><text>false</text><feedback><text></text></feedback></answer>
    <tags><tag><text>thong-hieu</text></tag></tags>
  </question>
  <question type="category"><category><text>$course$/top/Đại số</text></category></question>
  <question type="numerical">
    <name><text>Căn bậc hai</text></name>
    <questiontext format="html"><text>Giá trị của \\(\\sqrt{2}\\) làm tròn đến hàng phần trăm?</text></questiontext>
    <defaultgrade>2</defaultgrade>
    <answer fraction="100"><text>1.41</text><tolerance>0.005</tolerance><feedback><text></text></feedback></answer>
    <tags><tag><text>van-dung</text></tag></tags>
  </question>
  <question type="shortanswer">
    <name><text>Thủ đô</text></name>
    <questiontext format="html"><text>Thủ đô của Việt Nam là thành phố nào?</text></questiontext>
    <defaultgrade>1</defaultgrade><usecase>0</usecase>
    <answer fraction="100"><text>Hà Nội</text><feedback><text></text></feedback></answer>
    <answer fraction="100"><text>Ha Noi</text><feedback><text></text></feedback></answer>
  </question>
  <question type="essay">
    <name><text>Nghị luận</text></name>
    <questiontext format="html"><text>Trình bày cách chứng minh hai tam giác đồng dạng.</text></questiontext>
    <defaultgrade>3</defaultgrade>
  </question>
</quiz>`;

const GIFT = `$CATEGORY: $course$/top/Số học/Phân số

::Rút gọn:: Phân số \\(\\frac{2}{4}\\) rút gọn được {=\\(\\frac{1}{2}\\) #Chính xác ~\\(\\frac{2}{3}\\) ~\\(\\frac{1}{4}\\)}

::Số chẵn:: 7 là số chẵn. {F}

::Phép cộng:: 2 + 3 = {#5}
`;

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1', 'teacherA2', 'teacherB1', 'reviewerA1']);
});
afterAll(async () => server?.close());

async function bank(owner: keyof World['tokens'] = 'teacherA1', title = 'Ngân hàng câu hỏi Toán 8') {
  return (await server.http.post('/api/v1/materials').set(auth(owner)).send({ ...MATERIAL, type: 'question-bank', title }).expect(201)).body.id as string;
}
const importFile = (id: string, bytes: Buffer | string, name: string, query = '', owner: keyof World['tokens'] = 'teacherA1') =>
  server.http.post(`/api/v1/materials/${id}/questions/import${query}`).set(auth(owner)).attach('file', Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), name);
const list = async (id: string, query = '', who: keyof World['tokens'] = 'teacherA1') =>
  (await server.http.get(`/api/v1/materials/${id}/questions${query}`).set(auth(who)).expect(200)).body as { total: number; items: Array<Record<string, any>> };
const publish = (id: string) => server.ctx.db.pool.query("UPDATE materials SET status = 'published', published_version = version WHERE id = $1", [id]);
const binary = (res: any, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};


describe('question banks: import, listing and who sees what', () => {
  it('imports Vietnamese Aiken, detected automatically, and lists the questions in order', async () => {
    const id = await bank();
    const res = await importFile(id, VIETNAMESE, 'toan8.txt').expect(200);
    expect(res.body).toMatchObject({ format: 'aiken', imported: 2, skipped: 0, errors: [] });
    const { items, total } = await list(id);
    expect(total).toBe(2);
    expect(items.map((q) => q.stem)).toEqual(['Thủ đô của Việt Nam là:', 'Số nguyên tố nhỏ nhất là:']);
    expect(items[1]).toMatchObject({ type: 'multiple_choice', points: 1, source: { format: 'aiken', file: 'toan8.txt', line: 7 } });
    expect(items[1]!.options.find((o: { fraction: number }) => o.fraction === 1).text).toBe('2');
    await server.http.get(`/api/v1/materials/${id}/questions`).expect(404);
    await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('teacherA2')).expect(404);
  });

  it('decodes Windows-1258, UTF-16 and NFD text into the same NFC questions', async () => {
    const id = await bank();
    // "Câu hỏi" in Windows-1258: â = 0xE2, ỏ = o + combining hook above (0xD2).
    const cp1258 = Buffer.concat([Buffer.from('C'), Buffer.from([0xe2]), Buffer.from('u h'), Buffer.from([0x6f, 0xd2]), Buffer.from('i\nA) x\nB) y\nANSWER: A\n')]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Câu hỏi\nA) x\nB) y\nANSWER: A\n', 'utf16le')]);
    const nfd = Buffer.from('Câu hỏi\nA) x\nB) y\nANSWER: A\n'.normalize('NFD'));
    for (const [bytes, name] of [[cp1258, 'cp1258.txt'], [utf16, 'utf16.txt'], [nfd, 'nfd.txt']] as const) {
      await importFile(id, bytes, name).expect(200);
    }
    expect((await list(id)).items.map((q) => q.stem)).toEqual(['Câu hỏi', 'Câu hỏi', 'Câu hỏi']);
  });

  it('is all or nothing by default, partial on request, and previews without storing on dryRun', async () => {
    const id = await bank();
    const errors = fs.readFileSync(path.join(AIKEN, 'aiken_errors.txt'));
    const preview = await importFile(id, errors, 'errors.txt', '?dryRun=true').expect(200);
    expect(preview.body).toMatchObject({ imported: 0, skipped: 3 });
    expect(preview.body.questions).toHaveLength(2);
    const refused = await importFile(id, errors, 'errors.txt').expect(422);
    expect(refused.body.error.code).toBe('QUESTION_IMPORT_FAILED');
    expect(refused.body.error.details.errors.map((e: { line: number }) => e.line)).toEqual([1, 5, 14]);
    expect((await list(id)).items).toEqual([]);
    const partial = await importFile(id, errors, 'errors.txt', '?mode=partial').expect(200);
    expect(partial.body).toMatchObject({ imported: 2, skipped: 3 });
    expect((await list(id)).items).toHaveLength(2);
  });

  it('refuses an unknown format (415), a material that is not a question bank (422), and others\' banks', async () => {
    const id = await bank();
    const unknown = await importFile(id, 'just some prose\n', 'x.txt').expect(415);
    expect(unknown.body.error.code).toBe('UNSUPPORTED_QUESTION_FORMAT');
    // Random bytes decode as Windows-1258 like any bytes do; they must not be taken for a GIFT file.
    const binary = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256));
    expect((await importFile(id, binary, 'x.bin').expect(415)).body.error.code).toBe('UNSUPPORTED_QUESTION_FORMAT');
    // A value outside a fixed list is one detail naming the allowed values, not one line per value.
    const badFormat = await importFile(id, VIETNAMESE, 'x.txt', '?format=pdf').expect(400);
    expect(badFormat.body.error.details).toEqual([{ field: 'format', message: 'phải là một trong các giá trị cho phép', allowedValues: ['auto', 'gift', 'moodle-xml', 'qti', 'aiken', 'csv', 'xlsx', 'docx'] }]);
    const badType = await server.http.get(`/api/v1/materials/${id}/questions?type=bogus`).set(auth('teacherA1')).expect(400);
    expect(badType.body.error.details[0].allowedValues).toEqual([...QUESTION_TYPES]);
    const doc = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body.id;
    expect((await importFile(doc, VIETNAMESE, 'x.txt').expect(422)).body.error.code).toBe('NOT_A_QUESTION_BANK');
    await importFile(id, VIETNAMESE, 'x.txt', '', 'teacherA2').expect(404);
    await server.http.post(`/api/v1/materials/${id}/questions/import`).attach('file', Buffer.from(VIETNAMESE), 'x.txt').expect(401);
  });

  it('stores Moodle XML with its categories, levels and picture, the picture as a file and not in the database', async () => {
    const id = await bank();
    const res = await importFile(id, MOODLE_XML, 'hinh-hoc.xml').expect(200);
    expect(res.body).toMatchObject({ format: 'moodle-xml', imported: 5, skipped: 0 });
    const { items } = await list(id);
    expect(items.map((q) => q.type)).toEqual(['multiple_choice', 'true_false', 'numerical', 'short_answer', 'essay']);
    expect(items.map((q) => q.topic)).toEqual(['Hình học/Tam giác', 'Hình học/Tam giác', 'Đại số', 'Đại số', 'Đại số']);
    expect(items.map((q) => q.cognitiveLevel)).toEqual(['nhan-biet', 'thong-hieu', 'van-dung', null, null]);
    const first = items[0]!;
    expect(first).toMatchObject({ name: 'Góc tam giác', points: 1, generalFeedback: 'Định lí tổng ba góc.', source: { format: 'moodle-xml', itemId: 'HH-01' } });
    expect(first.options.map((o: any) => [o.text, o.fraction, o.feedback ?? null])).toEqual([['180°', 1, 'Đúng.'], ['90°', 0, 'Sai.'], ['360°', 0, null]]);
    expect(items[2]).toMatchObject({ points: 2, options: [{ text: '1.41', tolerance: 0.005, fraction: 1 }] });
    expect(items[2]!.stem).toContain('\\(\\sqrt{2}\\)');
    // The picture is served from storage, to those who may read the bank.
    expect(first.assets).toEqual([expect.objectContaining({ name: 'tam-giac.png', mime: 'image/png' })]);
    expect(first.stem).toContain(`src="${first.assets[0].url}"`);
    const png = await server.http.get(first.assets[0].url).set(auth('teacherA1')).buffer(true).parse(binary).expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).equals(Buffer.from(PNG_BASE64, 'base64'))).toBe(true);
    await server.http.get(first.assets[0].url).set(auth('teacherA2')).expect(404);
    const stored = await server.ctx.db.pool.query("SELECT count(*)::int AS n FROM questions WHERE stem LIKE '%base64%' OR options::text LIKE '%base64%' OR stem LIKE '%iVBOR%'");
    expect(stored.rows[0].n).toBe(0);
  });

  it('strips scripts and event handlers from imported HTML and keeps MathML', async () => {
    const id = await bank();
    const xml = `<quiz><question type="multichoice"><name><text>x</text></name>
      <questiontext format="html"><text><![CDATA[<p onclick="steal()">Giá trị <math xmlns="http://www.w3.org/1998/Math/MathML"><mfrac><mn>1</mn><mn>2</mn></mfrac></math><script>alert(1)</script><img src="javascript:alert(2)"></p>]]></text></questiontext>
      <answer fraction="100"><text>0,5</text></answer><answer fraction="0"><text>2</text></answer></question></quiz>`;
    await importFile(id, xml, 'x.xml').expect(200);
    const [question] = (await list(id)).items;
    expect(question!.stem).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML"><mfrac><mn>1</mn><mn>2</mn></mfrac></math>');
    expect(question!.stem).not.toMatch(/script|onclick|javascript/);
  });

  it('searches question text without diacritics and filters by type, level and topic', async () => {
    const id = await bank();
    await importFile(id, MOODLE_XML, 'hinh-hoc.xml').expect(200);
    await importFile(id, GIFT, 'so-hoc.gift').expect(200);
    expect((await list(id, '?q=tong%20ba%20goc')).items.map((q) => q.name)).toEqual(['Góc tam giác']);
    expect((await list(id, `?q=${encodeURIComponent('THỦ ĐÔ')}`)).items.map((q) => q.name)).toEqual(['Thủ đô']);
    expect((await list(id, '?type=true_false')).items.map((q) => q.name)).toEqual(['Tam giác đều', 'Số chẵn']);
    expect((await list(id, '?cognitiveLevel=van-dung')).items.map((q) => q.name)).toEqual(['Căn bậc hai']);
    expect((await list(id, `?topic=${encodeURIComponent('Hình học')}`)).total).toBe(2);
    expect((await list(id, `?topic=${encodeURIComponent('Số học/Phân số')}`)).items.map((q) => q.name)).toEqual(['Rút gọn', 'Số chẵn', 'Phép cộng']);
    expect((await list(id, '?limit=2&offset=1')).items.map((q) => q.position)).toEqual([2, 3]);
  });

  it('shows the public only counts of a published bank; staff of any school use it; the draft stays private', async () => {
    const id = await bank();
    await importFile(id, MOODLE_XML, 'hinh-hoc.xml').expect(200);
    // Before publication nobody else learns anything.
    await server.http.get(`/api/v1/materials/${id}/questions/summary`).expect(404);
    await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('teacherB1')).expect(404);
    await publish(id);
    const summary = await server.http.get(`/api/v1/materials/${id}/questions/summary`).expect(200);
    expect(summary.body).toMatchObject({ total: 5, byType: { multiple_choice: 1, true_false: 1, numerical: 1, short_answer: 1, essay: 1 }, byCognitiveLevel: { 'nhan-biet': 1, khac: 2 } });
    expect(JSON.stringify(summary.body)).not.toContain('180°');
    const anonymous = await server.http.get(`/api/v1/materials/${id}/questions`).expect(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    await server.http.get(`/api/v1/materials/${id}/questions/export?format=gift`).expect(401);
    const { items } = await list(id, '', 'teacherB1');
    expect(items).toHaveLength(5);
    await server.http.get(items[0]!.assets[0].url).expect(401);
    await server.http.get(items[0]!.assets[0].url).set(auth('teacherB1')).expect(200);
    // A revision's new questions are the owner's until published; others keep seeing version 1.
    await server.http.post(`/api/v1/materials/${id}/revise`).set(auth('teacherA1')).expect(200);
    await importFile(id, VIETNAMESE, 'v2.txt').expect(200);
    expect((await list(id)).total).toBe(7);
    expect((await list(id, '', 'teacherB1')).total).toBe(5);
  });

  it('lets the reviewers of its queue read a submitted bank, and will not submit an empty one', async () => {
    const empty = await bank();
    expect((await server.http.post(`/api/v1/materials/${empty}/submit`).set(auth('teacherA1')).expect(422)).body.error.code).toBe('NO_QUESTIONS');
    const id = await bank();
    await importFile(id, GIFT, 'so-hoc.gift').expect(200);
    await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('reviewerA1')).expect(404);
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
    expect((await list(id, '', 'reviewerA1')).items.map((q) => q.type)).toEqual(['multiple_choice', 'true_false', 'numerical']);
  });
});

describe('question banks: hostile files', () => {
  it('refuses XML with external entities quickly, without reading the file', async () => {
    const id = await bank();
    const xxe = `<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]><quiz><question type="essay"><questiontext><text>&secret;</text></questiontext></question></quiz>`;
    const res = await importFile(id, xxe, 'xxe.xml').expect(422);
    expect(res.body.error.code).toBe('QUESTION_FILE_UNSAFE');
    expect(JSON.stringify(res.body)).not.toContain('root:');
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><quiz>&lol2;</quiz>`;
    const started = Date.now();
    expect((await importFile(id, laughs, 'lol.xml', '?format=moodle-xml').expect(422)).body.error.code).toBe('QUESTION_FILE_UNSAFE');
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await list(id)).total).toBe(0);
  });

  it('refuses packages with paths out of the package, and leaves the bank as it was', async () => {
    const id = await bank();
    await importFile(id, VIETNAMESE, 'first.txt').expect(200);
    const slip = await zipOf([{ name: 'imsmanifest.xml', data: '<manifest/>' }, { name: '../../evil.xml', data: '<x/>' }]);
    const res = await importFile(id, slip, 'goi.zip').expect(422);
    expect(res.body.error.code).toBe('QUESTION_FILE_UNSAFE');
    const bomb = await zipOf([{ name: 'imsmanifest.xml', data: '<manifest/>' }, { name: 'big.xml', data: Buffer.alloc(50 * 1024 * 1024, 0x20) }]);
    expect((await importFile(id, bomb, 'bom.zip').expect(422)).body.error.code).toBe('QUESTION_FILE_UNSAFE');
    expect((await importFile(id, Buffer.from('PK\u0003\u0004garbage'), 'hong.zip').expect(422)).body.error.code).toBe('QUESTION_FILE_MALFORMED');
    expect((await list(id)).total).toBe(2);
  });

  it('reports a GIFT syntax error with its line and imports nothing', async () => {
    const id = await bank();
    const res = await importFile(id, '::Tốt:: Câu đúng {T}\n\n::Hỏng:: Thiếu ngoặc đóng {=a ~b\n', 'loi.gift', '?format=gift').expect(422);
    expect(res.body.error.details.errors).toEqual([expect.objectContaining({ line: 3 })]);
    expect(res.body.error.details.errors[0].message).toMatch(/dòng 3/i);
    expect((await list(id)).total).toBe(0);
  });

  it('refuses an item without a correct answer and keeps the others with mode=partial', async () => {
    const id = await bank();
    const xml = `<quiz><question type="multichoice"><name><text>Không đáp án</text></name><questiontext><text>Chọn?</text></questiontext>
      <answer fraction="0"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question>
      <question type="truefalse"><name><text>Tốt</text></name><questiontext><text>Đúng?</text></questiontext>
      <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>`;
    const refused = await importFile(id, xml, 'x.xml').expect(422);
    expect(refused.body.error.details.errors).toEqual([expect.objectContaining({ item: 1, code: expect.stringMatching(/NO_CORRECT_ANSWER/) })]);
    await importFile(id, xml, 'x.xml', '?mode=partial').expect(200);
    expect((await list(id)).items.map((q) => q.name)).toEqual(['Tốt']);
  });
});

describe('question banks: export and round trip through the API', () => {
  const comparable = (q: Record<string, any>) => ({
    type: q.type, points: q.points, topic: q.topic, cognitiveLevel: q.cognitiveLevel,
    stem: String(q.stem).replace(/\/api\/v1\/questions\/[0-9a-f-]+\/assets\//g, ''),
    options: q.options.map((o: any) => ({ text: o.text, fraction: o.fraction, ...(o.tolerance ? { tolerance: o.tolerance } : {}) })),
  });

  for (const format of ['moodle-xml', 'qti21', 'qti30', 'gift']) {
    it(`exports to ${format} and imports back the same questions`, async () => {
      const source = await bank();
      await importFile(source, MOODLE_XML, 'hinh-hoc.xml').expect(200);
      const report = await server.http.get(`/api/v1/materials/${source}/questions/export/report?format=${format}`).set(auth('teacherA1')).expect(200);
      const exported = await server.http.get(`/api/v1/materials/${source}/questions/export?format=${format}`).set(auth('teacherA1')).buffer(true).parse(binary).expect(200);
      expect(exported.headers['content-disposition']).toContain('attachment');
      expect(Number(exported.headers['hoclieu-export-issues'])).toBe(report.body.issues.length);
      const target = await bank();
      await importFile(target, exported.body as Buffer, `bank.${format === 'gift' ? 'gift' : format.startsWith('qti') ? 'zip' : 'xml'}`).expect(200);
      const before = (await list(source)).items;
      const after = (await list(target)).items;
      const lost = new Set(report.body.issues.map((i: { item: number }) => i.item));
      // GIFT cannot carry pictures: the report says so, and those questions are compared without them.
      const kept = before.filter((_, i) => !lost.has(i + 1));
      expect(after.map(comparable).filter((_, i) => !lost.has(i + 1))).toEqual(kept.map(comparable));
      if (format !== 'gift') expect(after[0]!.assets.map((a: any) => a.name)).toEqual(['tam-giac.png']);
    });
  }

  it('carries ID numbers and "/" inside category names through Moodle XML and GIFT, without Moodle\'s "Default for …"', async () => {
    const source = await bank();
    await importFile(source, MOODLE_XML.replace('$course$/top/Hình học/Tam giác', '$course$/top/Default for Toán 8/Hình học//Tam giác'), 'hinh-hoc.xml').expect(200);
    expect((await list(source)).items[0]).toMatchObject({ topic: 'Hình học//Tam giác', source: { itemId: 'HH-01' } });
    // "Hình học/Tam giác" is one category name: nothing lies under a category "Hình học".
    expect((await list(source, `?topic=${encodeURIComponent('Hình học')}`)).total).toBe(0);
    expect((await list(source, `?topic=${encodeURIComponent('Hình học//Tam giác')}`)).total).toBe(2);
    for (const format of ['moodle-xml', 'gift']) {
      const exported = await server.http.get(`/api/v1/materials/${source}/questions/export?format=${format}`).set(auth('teacherA1')).buffer(true).parse(binary).expect(200);
      const text = (exported.body as Buffer).toString('utf8');
      expect(text).toContain(format === 'gift' ? '// [id:HH-01] [tag:nhan-biet]' : '<idnumber>HH-01</idnumber>');
      expect(text).toContain('$course$/top/Hình học//Tam giác');
      const target = await bank();
      await importFile(target, exported.body as Buffer, `bank.${format === 'gift' ? 'gift' : 'xml'}`).expect(200);
      expect((await list(target)).items[0]).toMatchObject({ topic: 'Hình học//Tam giác', source: { itemId: 'HH-01' } });
    }
  });

  it('exports to CSV and XLSX what a spreadsheet can carry, and serves the template', async () => {
    const source = await bank();
    await importFile(source, GIFT, 'so-hoc.gift').expect(200);
    for (const format of ['csv', 'xlsx']) {
      const exported = await server.http.get(`/api/v1/materials/${source}/questions/export?format=${format}`).set(auth('teacherA1')).buffer(true).parse(binary).expect(200);
      const target = await bank();
      const res = await importFile(target, exported.body as Buffer, `bank.${format}`).expect(200);
      expect(res.body).toMatchObject({ format, imported: 3 });
      expect((await list(target)).items.map((q) => q.type)).toEqual(['multiple_choice', 'true_false', 'numerical']);
    }
    const template = await server.http.get('/api/v1/questions/templates/xlsx').buffer(true).parse(binary).expect(200);
    expect(template.headers['content-type']).toContain('spreadsheetml');
    const id = await bank();
    const imported = await importFile(id, template.body as Buffer, 'mau.xlsx').expect(200);
    expect(imported.body.imported).toBeGreaterThan(0);
  });
});

describe('tests drawn from a specification matrix', () => {
  async function thptBank() {
    const id = await bank('teacherA1', 'Ngân hàng đề THPT Toán');
    const mc = Array.from({ length: 8 }, (_, i) => `// [tag:${i < 4 ? 'nhan-biet' : 'thong-hieu'}]\n::Câu ${i + 1}:: Câu trắc nghiệm số ${i + 1} {=Đúng ~Sai một ~Sai hai ~Sai ba}`);
    const numeric = Array.from({ length: 3 }, (_, i) => `::Số ${i + 1}:: Kết quả của ${i} + 1 là? {#${i + 1}}`);
    await importFile(id, `$CATEGORY: Giải tích\n\n${mc.join('\n\n')}\n\n${numeric.join('\n\n')}\n`, 'thpt.gift').expect(200);
    return id;
  }

  it('draws reproducible, disjoint variants in the 2025 exam layout and exports them', async () => {
    const id = await thptBank();
    const tf = `Mã câu,Loại câu hỏi,Nội dung câu hỏi,Phương án A,Phương án B,Phương án C,Phương án D,Đáp án,Mức độ,Chủ đề
1,Đúng/Sai,Cho hàm số y = x².,Hàm số đồng biến trên ℝ.,Đồ thị đi qua gốc toạ độ.,y(2) = 4.,Hàm số có giá trị nhỏ nhất bằng 0.,"S,Đ,Đ,Đ",Thông hiểu,Giải tích
2,Đúng/Sai,Cho dãy số uₙ = 2n.,u₁ = 2.,Dãy số giảm.,u₃ = 6.,Dãy số là cấp số cộng.,"Đ,S,Đ,Đ",Vận dụng,Giải tích
`;
    const csv = await importFile(id, tf, 'phan2.csv', '?format=csv');
    expect(csv.status, JSON.stringify(csv.body)).toBe(200);
    const spec = {
      title: 'Đề thi thử tốt nghiệp THPT môn Toán', banks: [id], variants: 2, seed: 'thu-2026', shuffleOptions: true, format: 'thpt-2025',
      matrix: [
        { type: 'multiple_choice', cognitiveLevel: 'nhan-biet', count: 2 },
        { type: 'multiple_choice', cognitiveLevel: 'thong-hieu', count: 2 },
        { type: 'true_false_group', count: 1 },
        { type: 'numerical', count: 1 },
      ],
      header: { authority: 'SỞ GDĐT A', exam: 'KỲ THI THỬ TỐT NGHIỆP THPT NĂM 2026', subject: 'Môn: TOÁN', durationMinutes: 90 },
    };
    // A draft bank is its owner's alone: another province's teacher cannot draw from it.
    const foreign = await server.http.post('/api/v1/tests/generate').set(auth('teacherB1')).send(spec).expect(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    const first = await server.http.post('/api/v1/tests/generate').set(auth('teacherA1')).send(spec);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await server.http.post('/api/v1/tests/generate').set(auth('teacherA1')).send(spec).expect(201);
    const ids = (test: any) => test.variants.map((v: any) => v.sections.map((s: any) => s.questions.map((q: any) => [q.id, q.options.map((o: any) => o.id)])));
    expect(ids(again.body)).toEqual(ids(first.body));

    const [v1, v2] = first.body.variants;
    expect(v1.code).toBe('101');
    expect(v1.sections.map((s: any) => s.title)).toEqual(['PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn.', 'PHẦN II. Câu trắc nghiệm đúng sai.', 'PHẦN III. Câu trắc nghiệm trả lời ngắn.']);
    expect(v1.sections[0].instructions).toBe('Thí sinh trả lời từ câu 1 đến câu 4. Mỗi câu hỏi thí sinh chỉ chọn một phương án.');
    expect(v1.sections.map((s: any) => s.questions.map((q: any) => q.points))).toEqual([[0.25, 0.25, 0.25, 0.25], [1], [0.5]]);
    expect(v1.sections[1].questions[0].scoring).toEqual([0, 0.1, 0.25, 0.5, 1]);
    expect(v1.totalPoints).toBe(2.5);
    const partOne = (v: any) => v.sections[0].questions.map((q: any) => q.id);
    expect(new Set([...partOne(v1), ...partOne(v2)]).size).toBe(8);
    expect(v1.sections[0].questions.slice(0, 2).every((q: any) => q.cognitiveLevel === 'nhan-biet')).toBe(true);

    const docx = await server.http.get(`/api/v1/tests/${first.body.id}/export?format=docx&variant=102`).set(auth('teacherA1')).buffer(true).parse(binary).expect(200);
    expect((docx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect(docx.headers['content-disposition']).toContain('102.docx');
    const moodle = await server.http.get(`/api/v1/tests/${first.body.id}/export?format=moodle-xml`).set(auth('teacherA1')).expect(200);
    expect(moodle.text).toContain('<quiz>');
    // A generated test holds keys: only its author reads it.
    await server.http.get(`/api/v1/tests/${first.body.id}`).set(auth('teacherA2')).expect(404);
    await server.http.get(`/api/v1/tests/${first.body.id}/export?format=gift`).expect(401);
  });

  it('names the matrix cell the banks cannot fill', async () => {
    const id = await thptBank();
    const res = await server.http.post('/api/v1/tests/generate').set(auth('teacherA1')).send({
      banks: [id], matrix: [{ type: 'multiple_choice', count: 2 }, { topic: 'Giải tích', cognitiveLevel: 'van-dung-cao', count: 3 }],
    }).expect(422);
    expect(res.body.error).toMatchObject({ code: 'MATRIX_CELL_UNFILLABLE', details: { cell: 2, requested: 3, available: 0 } });
    expect(res.body.error.message).toContain('Ô 2');
    const essayInThpt = await server.http.post('/api/v1/tests/generate').set(auth('teacherA1')).send({ banks: [id], format: 'thpt-2025', matrix: [{ type: 'essay', count: 1 }] }).expect(422);
    expect(essayInThpt.body.error.code).toBe('MATRIX_CELL_INVALID');
    await server.http.post('/api/v1/tests/generate').send({ banks: [id], matrix: [{ count: 1 }] }).expect(401);
    await server.http.post('/api/v1/tests/generate').set(auth('teacherB1')).send({ banks: [id], matrix: [{ count: 1 }] }).expect(404);
  });
});

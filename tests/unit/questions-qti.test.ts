import { zipOf } from '../helpers/zip.js';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportResult, ParsedQuestion, Question } from '../../src/questions/model.js';
import { exportQti21, exportQti30, importQti, looksLikeQti } from '../../src/questions/formats/qti/index.js';
import { parseUntrustedXml } from '../../src/questions/formats/safe-xml.js';
import { readUntrustedZip } from '../../src/core/safe-zip.js';

const FIXTURES = path.resolve('tests/fixtures/questions/qti');
const fixture = (name: string) => ({ bytes: fs.readFileSync(path.join(FIXTURES, name)), fileName: name });
const KOLIBRI = 'kolibri';

/** Zips a fixture folder the way a teacher's tool would hand it over. */
async function zipFolder(folder: string): Promise<Buffer> {
  const files = fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return zipOf(files.map((entry) => {
    const full = path.join(entry.parentPath, entry.name);
    return { name: path.relative(folder, full).split(path.sep).join('/'), data: fs.readFileSync(full) };
  }));
}

async function importOne(name: string): Promise<ParsedQuestion> {
  const result = await importQti(fixture(name));
  expect(result.errors).toEqual([]);
  expect(result.questions).toHaveLength(1);
  return result.questions[0]!;
}

describe('QTI 3.0 samples from Kolibri Studio', () => {
  it('single selection: multiple choice, the first choice right, shuffled, item id kept', async () => {
    const q = await importOne(`${KOLIBRI}/single_selection.xml`);
    expect(q).toMatchObject({ type: 'multiple_choice', stem: '<p>What is 2+2?</p>', points: 1, shuffle: true, name: 'Test Question 1', source: { format: 'qti', itemId: 'KEjRWeJCrze8SNFZ4kKvN7w' } });
    expect(q.options.map((o) => [o.id, o.text, o.fraction])).toEqual([['choice_0', '<p>4</p>', 1], ['choice_1', '<p>3</p>', 0], ['choice_2', '<p>5</p>', 0]]);
  });

  it('multiple selection: three right choices share the points equally', async () => {
    const q = await importOne(`${KOLIBRI}/multiple_selection.xml`);
    expect(q.type).toBe('multiple_response');
    expect(q.options.map((o) => o.fraction)).toEqual([0.333333, 0.333333, 0, 0.333333]);
  });

  it('true/false: two choices reading True/False become a true_false question', async () => {
    const q = await importOne(`${KOLIBRI}/true_false.xml`);
    expect(q).toMatchObject({ type: 'true_false', stem: '<p>Is the sky blue?</p>' });
    expect(q.options.map((o) => [o.id, o.fraction])).toEqual([['true', 1], ['false', 0]]);
  });

  it('MathML with a LaTeX annotation stays as it is, inline in the stem', async () => {
    const q = await importOne(`${KOLIBRI}/math_content_choice_interaction.xml`);
    expect(q.type).toBe('multiple_choice');
    expect(q.stem).toBe('<p>Solve the equation <math display="inline"><semantics><mrow><mfrac><mrow><mi>x</mi></mrow><mrow><mn>2</mn></mrow></mfrac><mo>=</mo><mn>3</mn></mrow>'
      + '<annotation encoding="application/x-tex">\\frac{x}{2} = 3</annotation></semantics></math> for x. What is the value of x?</p>');
    expect(q.options.find((o) => o.fraction === 1)!.text).toBe('<p>6</p>');
  });

  it('text entry with a string answer: short answer, case-sensitive as match_correct compares; block MathML kept', async () => {
    const q = await importOne(`${KOLIBRI}/free_response_with_maths.xml`);
    expect(q).toMatchObject({ type: 'short_answer', caseSensitive: true, options: [{ text: 'Nothing', fraction: 1 }] });
    expect(q.stem).toMatch(/^<math display="block">\s*<semantics>/);
    expect(q.stem).toContain('<annotation encoding="application/x-tex">\\sum_n^sxa^n</annotation>');
    expect(q.stem).toMatch(/<p>What does this even mean\?<\/p>$/);
  });

  it('text entry without any answer is marked by hand: an essay, the empty answer box dropped', async () => {
    const q = await importOne(`${KOLIBRI}/free_response_no_answers.xml`);
    expect(q).toMatchObject({ type: 'essay', stem: '<p>What is the capital of France?</p>', options: [] });
  });

  it('text entry with float answers: numerical, each value accepted, the set-valued answer reported', async () => {
    const result = await importQti(fixture(`${KOLIBRI}/input_question.xml`));
    expect(result.questions[0]).toMatchObject({ type: 'numerical', options: [{ text: '1', fraction: 1, tolerance: 0 }, { text: '2', fraction: 1, tolerance: 0 }] });
    expect(result.warnings.map((w) => w.code)).toEqual(['QTI_MULTIPLE_CARDINALITY']);
  });
});

describe('QTI 2.1 items', () => {
  it('multiple choice with a MathML prefix, LaTeX, per-choice and general feedback, 0.25 point by mapping', async () => {
    const q = await importOne('qti21/choice-mathml.xml');
    expect(q).toMatchObject({ type: 'multiple_choice', points: 0.25, name: 'Phương trình bậc hai', source: { itemId: 'DS10-PT-01' } });
    expect(q.stem).toBe('<p>Nghiệm dương của phương trình <math><msup><mi>x</mi><mn>2</mn></msup><mo>−</mo><mn>4</mn><mo>=</mo><mn>0</mn></math> là:</p>');
    expect(q.options).toEqual([
      { id: 'A', text: '\\(x = -2\\)', fraction: 0, feedback: 'Đây là nghiệm âm.' },
      { id: 'B', text: '\\(x = 2\\)', fraction: 1, feedback: 'Đúng rồi!' },
      { id: 'C', text: '\\(x = 4\\)', fraction: 0 },
      { id: 'D', text: '$x = 16$', fraction: 0 },
    ]);
    expect(q.generalFeedback).toBe('<p>Lời giải: \\(x^2 = 4 \\Rightarrow x = \\pm 2\\).</p>');
  });

  it('NFD text becomes NFC; a text entry inside a sentence is a one-gap cloze keeping its place; mapped alternatives keep their fractions', async () => {
    const q = await importOne('qti21/short-answer-nfd.xml');
    expect(q.stem).toBe('<p>Thủ đô của nước Cộng hoà xã hội chủ nghĩa Việt Nam là {#1}.</p>'.normalize('NFC'));
    expect(q.stem).toBe(q.stem.normalize('NFC'));
    expect(q).toMatchObject({ type: 'cloze', points: 0.5, name: 'Thủ đô' });
    expect(q.parts).toEqual([{
      type: 'short_answer', weight: 1, caseSensitive: false,
      options: [{ id: '1', text: 'Hà Nội', fraction: 1 }, { id: '2', text: 'Thủ đô Hà Nội', fraction: 1 }, { id: '3', text: 'Thăng Long', fraction: 0.5 }],
    }]);
  });

  it('numerical answers with tolerances read from custom response processing', async () => {
    const q = await importOne('qti21/numerical-tolerance.xml');
    expect(q).toMatchObject({ type: 'numerical', points: 0.5, stem: '<p>Gia tốc rơi tự do gần mặt đất (m/s²), làm tròn đến hàng phần mười:</p>' });
    expect(q.options.map((o) => [o.text, o.tolerance, o.fraction])).toEqual([['9.8', 0.05, 1], ['10', 0.5, 0.5]]);
  });

  it('an inline choice and a text entry in one sentence: a cloze with two gaps', async () => {
    const q = await importOne('qti21/cloze.xml');
    expect(q).toMatchObject({ type: 'cloze', stem: '<p>Quang hợp diễn ra ở {#1} và cần năng lượng {#2}.</p>', points: 1 });
    expect(q.parts!.map((p) => [p.type, p.weight])).toEqual([['multiple_choice', 1], ['short_answer', 1]]);
    expect(q.parts![0]!.options.map((o) => [o.text, o.fraction])).toEqual([['ty thể', 0], ['lục lạp', 1], ['nhân tế bào', 0]]);
    expect(q.parts![1]!.options).toEqual([{ id: '1', text: 'ánh sáng', fraction: 1 }]);
  });

  it('a choice with no correct response is an error for that item, naming it', async () => {
    const result = await importQti(fixture('qti21/no-correct-response.xml'));
    expect(result.questions).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ item: 1, itemId: 'BROKEN-05', code: 'QTI_NO_CORRECT_RESPONSE' })]);
    expect(result.errors[0]!.message).toContain('BROKEN-05');
  });

  it('an interaction we cannot represent (select point) is an error naming it', async () => {
    const result = await importQti(fixture('qti21/hotspot-unsupported.xml'));
    expect(result.errors).toEqual([expect.objectContaining({ code: 'QTI_UNSUPPORTED_INTERACTION' })]);
    expect(result.errors[0]!.message).toContain('selectPointInteraction');
  });

  it('QTI 1.2 and a bare manifest are refused as whole files', async () => {
    await expect(importQti({ bytes: Buffer.from('<?xml version="1.0"?><questestinterop><item ident="1"/></questestinterop>'), fileName: 'a.xml' }))
      .rejects.toMatchObject({ code: 'QUESTION_FILE_MALFORMED' });
    await expect(importQti({ bytes: Buffer.from('<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"/>'), fileName: 'imsmanifest.xml' }))
      .rejects.toMatchObject({ code: 'QUESTION_FILE_MALFORMED' });
  });
});

describe('Part II (true_false_group)', () => {
  it('QTI 2.1: statements × {Đúng, Sai} with the stepped rule give back a Part II item (the exam rule, so no explicit scoring)', async () => {
    const q = await importOne('qti21/part2-true-false-group.xml');
    expect(q).toMatchObject({ type: 'true_false_group', points: 1, stem: '<p>Cho các phát biểu sau về ethanol (\\(C_2H_5OH\\)):</p>' });
    expect(q.scoring).toBeUndefined();
    expect(q.options.map((o) => [o.id, o.fraction])).toEqual([['a', 1], ['b', 0], ['c', 1], ['d', 0]]);
    expect(q.options[2]!.text).toBe('Ethanol tác dụng với sodium giải phóng khí \\(H_2\\).');
  });

  it('QTI 3.0: a school\'s own scale on a 2-point item is read as fractions of the points', async () => {
    const q = await importOne('qti30/part2-true-false-group.xml');
    expect(q).toMatchObject({ type: 'true_false_group', points: 2, scoring: [0, 0, 0.25, 0.5, 1] });
    expect(q.options.map((o) => [o.id, o.fraction])).toEqual([['a', 0], ['b', 1], ['c', 1], ['d', 1]]);
    expect(q.stem).toContain('<math><mi>y</mi><mo>=</mo>');
    expect(q.generalFeedback).toBe('<p>\\(y\' = 3x^2 - 3\\), đổi dấu tại \\(x = \\pm 1\\).</p>');
  });
});

describe('QTI 2.1 content package', () => {
  it('reads the items in manifest order, with the image as an asset and LOM keywords/classification as level, tags and topic', async () => {
    const bytes = await zipFolder(path.join(FIXTURES, 'qti21/package'));
    const result = await importQti({ bytes, fileName: 'dia-li-10.zip' });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.questions.map((q) => [q.item, q.type, q.source.itemId])).toEqual([[1, 'multiple_choice', 'cau1'], [2, 'matching', 'cau2'], [3, 'essay', 'cau3']]);

    const [chart, matching, essay] = result.questions as unknown as [ParsedQuestion, ParsedQuestion, ParsedQuestion];
    expect(chart.stem).toContain('<img src="@@ASSET@@/do-thi.png" alt="Biểu đồ nhiệt độ Hà Nội">');
    expect(chart.assets).toEqual([{ name: 'do-thi.png', mime: 'image/png', bytes: fs.readFileSync(path.join(FIXTURES, 'qti21/package/images/do-thi.png')) }]);
    expect(chart).toMatchObject({ points: 0.25, cognitiveLevel: 'nhan-biet', tags: ['biểu đồ'], topic: 'Địa lí tự nhiên/Khí hậu' });
    expect(chart.options.map((o) => o.fraction)).toEqual([0, 0, 1, 0]);

    expect(matching).toMatchObject({ points: 0.5, cognitiveLevel: 'thong-hieu', stem: 'Ghép mỗi miền với kiểu khí hậu của nó:' });
    expect(matching.options.map((o) => [o.text, o.match])).toEqual([
      ['Miền Bắc', 'Nhiệt đới gió mùa có mùa đông lạnh'], ['Miền Nam', 'Cận xích đạo'], ['', 'Ôn đới hải dương'],
    ]);
    expect(essay).toMatchObject({ points: 2, options: [], stem: 'Trình bày ảnh hưởng của gió mùa Đông Bắc đến khí hậu miền Bắc.' });
  });

  it('a broken item is that item\'s error; the others still import', async () => {
    const manifest = '<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><resources>'
      + '<resource identifier="a" type="imsqti_item_xmlv2p1" href="a.xml"/><resource identifier="b" type="imsqti_item_xmlv2p1" href="b.xml"/>'
      + '<resource identifier="c" type="imsqti_item_xmlv2p1" href="missing.xml"/></resources></manifest>';
    const bytes = await zipOf([
      { name: 'imsmanifest.xml', data: manifest },
      { name: 'a.xml', data: fs.readFileSync(path.join(FIXTURES, 'qti21/cloze.xml')) },
      { name: 'b.xml', data: '<assessmentItem identifier="b"><itemBody>\n<p>không đóng thẻ\n</assessmentItem>' },
    ]);
    const result = await importQti({ bytes, fileName: 'p.zip' });
    expect(result.questions.map((q) => q.item)).toEqual([1]);
    expect(result.errors.map((e) => [e.item, e.code])).toEqual([[2, 'QTI_ITEM_MALFORMED'], [3, 'QTI_ITEM_FILE_MISSING']]);
    expect(result.errors[0]!.message).toMatch(/dòng \d/);
  });

  it('detection: items and manifests of both versions look like QTI; Moodle XML does not', () => {
    expect(looksLikeQti(fs.readFileSync(path.join(FIXTURES, 'qti21/cloze.xml'), 'utf8'))).toBe(true);
    expect(looksLikeQti(fs.readFileSync(path.join(FIXTURES, `${KOLIBRI}/true_false.xml`), 'utf8'))).toBe(true);
    expect(looksLikeQti('<?xml version="1.0"?><quiz><question type="multichoice"/></quiz>')).toBe(false);
  });
});

// One question of every type, with what QTI can carry: Vietnamese, MathML, LaTeX, an image,
// feedback, points, level, topic, tags.
const PNG = fs.readFileSync(path.join(FIXTURES, 'qti21/package/images/do-thi.png'));
const BANK: Question[] = [
  {
    type: 'multiple_choice', name: 'Câu 1', stem: '<p>Đồ thị hàm số <math><mi>y</mi><mo>=</mo><msup><mi>x</mi><mn>2</mn></msup></math> là:</p><p><img src="@@ASSET@@/đồ thị.png" alt="Đồ thị"></p>',
    options: [
      { id: 'A', text: 'Đường thẳng', fraction: 0, feedback: 'Sai: \\(y = x^2\\) không bậc nhất.' },
      { id: 'B', text: 'Parabol', fraction: 1, feedback: '<b>Đúng</b>.' },
      { id: 'C', text: 'Đường tròn', fraction: 0 },
      { id: 'D', text: 'Hypebol &amp; tiệm cận', fraction: 0 },
    ],
    points: 0.25, shuffle: true, generalFeedback: '<p>Hàm bậc hai có đồ thị là parabol.</p>',
    cognitiveLevel: 'nhan-biet', topic: 'Đại số/Hàm số bậc hai', tags: ['đồ thị', 'lớp 10'],
    assets: [{ name: 'đồ thị.png', mime: 'image/png', bytes: PNG }],
  },
  {
    type: 'multiple_response', name: 'Câu 2', stem: '<p>Chọn các số nguyên tố:</p>',
    options: [{ id: 'A', text: '2', fraction: 0.5 }, { id: 'B', text: '4', fraction: -0.5 }, { id: 'C', text: '5', fraction: 0.5 }],
    points: 1, shuffle: false, cognitiveLevel: 'thong-hieu',
  },
  {
    type: 'true_false', name: 'Câu 3', stem: 'Số \\(\\pi\\) là số vô tỉ.',
    options: [{ id: 'true', text: 'Đúng', fraction: 1 }, { id: 'false', text: 'Sai', fraction: 0 }], points: 1,
  },
  {
    type: 'true_false_group', name: 'Câu 4', stem: '<p>Cho hàm số \\(y = x^3 - 3x\\).</p>',
    options: [
      { id: 'a', text: 'Hàm số có hai cực trị.', fraction: 1 }, { id: 'b', text: 'Hàm số đồng biến trên \\(\\mathbb{R}\\).', fraction: 0 },
      { id: 'c', text: 'Đồ thị đi qua gốc toạ độ.', fraction: 1 }, { id: 'd', text: 'Giá trị cực đại bằng \\(-2\\).', fraction: 0 },
    ],
    points: 1, cognitiveLevel: 'van-dung', topic: 'Giải tích/Khảo sát hàm số',
  },
  {
    type: 'true_false_group', name: 'Câu 5', stem: '<p>Phần II, thang điểm riêng.</p>',
    options: [{ id: 'a', text: 'Ý a', fraction: 1 }, { id: 'b', text: 'Ý b', fraction: 1 }, { id: 'c', text: 'Ý c', fraction: 0 }, { id: 'd', text: 'Ý d', fraction: 1 }],
    scoring: [0, 0, 0.25, 0.5, 1], points: 2,
  },
  {
    type: 'short_answer', name: 'Câu 6', stem: '<p>Thủ đô của Việt Nam là thành phố nào?</p>',
    options: [{ id: '1', text: 'Hà Nội', fraction: 1 }, { id: '2', text: 'Thăng Long', fraction: 0.5 }], points: 0.5, caseSensitive: false,
  },
  {
    type: 'short_answer', name: 'Câu 7', stem: '<p>Kí hiệu hoá học của sắt?</p>',
    options: [{ id: '1', text: 'Fe', fraction: 1 }], points: 1, caseSensitive: true,
  },
  {
    type: 'numerical', name: 'Câu 8', stem: '<p>Tính \\(\\sqrt{2}\\) (làm tròn đến hàng phần trăm).</p>',
    options: [{ id: '1', text: '1.41', fraction: 1, tolerance: 0.005 }, { id: '2', text: '1.4', fraction: 0.5, tolerance: 0.05 }], points: 0.5, cognitiveLevel: 'van-dung-cao',
  },
  {
    type: 'numerical', name: 'Câu 9', stem: '<p>\\(2 + 3 = ?\\)</p>',
    options: [{ id: '1', text: '5', fraction: 1, tolerance: 0 }], points: 0.25,
  },
  {
    type: 'matching', name: 'Câu 10', stem: '<p>Ghép tác giả với tác phẩm:</p>',
    options: [
      { id: 'A', text: 'Nguyễn Du', match: 'Truyện Kiều', fraction: 1 }, { id: 'B', text: 'Nam Cao', match: 'Chí Phèo', fraction: 1 },
      { id: 'X', text: '', match: 'Số đỏ', fraction: 0 },
    ],
    points: 1, shuffle: true,
  },
  { type: 'essay', name: 'Câu 11', stem: '<p>Phân tích hình tượng người lính trong bài thơ “Tây Tiến”.</p>', options: [], points: 2, generalFeedback: '<p>Nêu được vẻ đẹp hào hùng và hào hoa.</p>' },
  {
    type: 'cloze', name: 'Câu 12', stem: '<p>Nước sôi ở {#1} °C và có công thức {#2}; \\(\\sqrt{16} =\\) {#3}.</p>', options: [], points: 1.5,
    parts: [
      { type: 'numerical', weight: 1, options: [{ id: '1', text: '100', fraction: 1, tolerance: 0 }] },
      { type: 'multiple_choice', weight: 2, shuffle: false, options: [{ id: 'A', text: 'H2O', fraction: 1 }, { id: 'B', text: 'CO2', fraction: 0 }] },
      { type: 'numerical', weight: 1, options: [{ id: '1', text: '4', fraction: 1, tolerance: 0.1 }] },
    ],
  },
  {
    type: 'cloze', name: 'Câu 13', stem: '<p>Từ trái nghĩa với “nóng” là {#1}.</p>', options: [], points: 1,
    parts: [{ type: 'short_answer', weight: 1, caseSensitive: false, options: [{ id: '1', text: 'lạnh', fraction: 1 }, { id: '2', text: 'rét', fraction: 0.5 }] }],
  },
];

/** The structured content that must survive, without where it came from. */
const comparable = (q: Question | ParsedQuestion) => {
  const { source, item, ...rest } = q as ParsedQuestion & { item?: number };
  void source; void item;
  return rest;
};

describe.each([
  ['QTI 2.1', exportQti21, 'http://www.imsglobal.org/xsd/imsqti_v2p1', 'http://www.imsglobal.org/question/qti_v2p1/rptemplates/'],
  ['QTI 3.0', exportQti30, 'http://www.imsglobal.org/xsd/imsqtiasi_v3p0', 'https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/'],
] as const)('%s export', (_, exporter, namespace, templates) => {
  let exported: ExportResult;
  const exportBank = async () => (exported ??= await exporter(BANK, { title: 'Ngân hàng Toán 10' }));

  it('is a content package: manifest listing every item and its image, one well-formed item per question', async () => {
    const result = await exportBank();
    expect(result).toMatchObject({ contentType: 'application/zip', extension: 'zip' });
    const files = await readUntrustedZip(result.body);
    expect([...files.keys()].sort()).toEqual(['imsmanifest.xml', ...BANK.map((_, i) => `q${String(i + 1).padStart(4, '0')}.xml`), 'images/q0001/đồ thị.png'].sort());
    expect(files.get('images/q0001/đồ thị.png')).toEqual(PNG);
    const manifest = files.get('imsmanifest.xml')!.toString();
    expect(() => parseUntrustedXml(manifest)).not.toThrow();
    expect(manifest.match(/<resource identifier="q\d{4}" type="imsqti_item_xmlv(2p1|3p0)"/g)).toHaveLength(BANK.length);
    expect(manifest).toContain('<dependency identifierref="q0001-img1"/>');
    expect(manifest).toContain('<resource identifier="q0001-img1" type="webcontent" href="images/q0001/%C4%91%E1%BB%93%20th%E1%BB%8B.png">');
    for (const [name, bytes] of files) {
      if (!name.endsWith('.xml') || name === 'imsmanifest.xml') continue;
      const xml = bytes.toString();
      expect(() => parseUntrustedXml(xml), name).not.toThrow();
      expect(xml).toContain(`xmlns="${namespace}"`);
    }
    const item = (n: number) => files.get(`q${String(n).padStart(4, '0')}.xml`)!.toString();
    expect(item(1)).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML">');
    expect(item(1)).toContain('src="images/q0001/%C4%91%E1%BB%93%20th%E1%BB%8B.png"');
    expect(item(3)).toContain(`template="${templates}match_correct`);
    expect(item(2)).toContain(`template="${templates}map_response`);
  });

  it('reports what QTI cannot carry instead of dropping it silently', async () => {
    const result = await exporter([
      { ...BANK[5]!, options: [{ id: '1', text: 'Hà Nội', fraction: 1, feedback: 'Đúng' }, { id: '2', text: 'Hà*', fraction: 0.5 }] },
      { ...BANK[11]!, parts: [{ ...BANK[11]!.parts![0]! }, { ...BANK[11]!.parts![1]!, display: 'horizontal' }, { ...BANK[11]!.parts![2]! }] },
    ], { title: 't' });
    expect(result.report.map((r) => [r.item, r.code])).toEqual([[1, 'QTI_OPTION_FEEDBACK'], [1, 'QTI_WILDCARD'], [2, 'QTI_CLOZE_DISPLAY']]);
    expect(result.report[0]!.message).toMatch(/^Câu 1: /);
    const more = await exporter([
      {
        type: 'cloze', stem: '<p>{#1}</p>', options: [], points: 1,
        parts: [{ type: 'multiple_choice', weight: 1, options: [{ id: 'A', text: '<i>Hà Nội</i>', fraction: 1, feedback: 'Đúng' }, { id: 'B', text: 'Huế', fraction: 0 }] }],
      },
      {
        type: 'essay', stem: '<p><img src="@@ASSET@@/thieu.png"></p>', options: [], points: 1, generalFeedback: '<img src="@@ASSET@@/co.png">',
        assets: [{ name: 'co.png', bytes: PNG }, { name: 'thua.png', bytes: PNG }],
      },
    ], { title: 't' });
    expect(more.report.map((r) => [r.item, r.code])).toEqual([[1, 'QTI_OPTION_FEEDBACK'], [1, 'QTI_INLINE_CHOICE_MARKUP'], [2, 'QTI_ASSET_MISSING'], [2, 'QTI_ASSET_UNREFERENCED']]);
    expect(more.report[3]!.message).toContain('"thua.png"');
  });

  it('round trip: export then import gives back the same questions, every type', async () => {
    const result = await exportBank();
    expect(result.report).toEqual([]);
    const back = await importQti({ bytes: result.body, fileName: 'bank.zip' });
    expect(back.errors).toEqual([]);
    expect(back.warnings).toEqual([]);
    expect(back.questions.map(comparable)).toEqual(BANK.map(comparable));
  });
});

/** A four-choice item in either version, B right (1 point) and C worth half by its mapping, scored by `processing`. */
function choiceItem(version: '2.1' | '3.0', processing: string): Buffer {
  const v3 = version === '3.0';
  const el = (name: string) => (v3 ? `qti-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : name);
  const at = (name: string) => (v3 ? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) : name);
  const choices = ['A', 'B', 'C', 'D'].map((id) => `<${el('simpleChoice')} identifier="${id}">Phương án ${id}</${el('simpleChoice')}>`).join('');
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<${el('assessmentItem')} xmlns="${v3 ? 'http://www.imsglobal.org/xsd/imsqtiasi_v3p0' : 'http://www.imsglobal.org/xsd/imsqti_v2p1'}" identifier="T" title="Mẫu xử lý" adaptive="false" ${at('timeDependent')}="false">
  <${el('responseDeclaration')} identifier="RESPONSE" cardinality="single" ${at('baseType')}="identifier">
    <${el('correctResponse')}><${el('value')}>B</${el('value')}></${el('correctResponse')}>
    <${el('mapping')} ${at('defaultValue')}="0"><${el('mapEntry')} ${at('mapKey')}="B" ${at('mappedValue')}="1"/><${el('mapEntry')} ${at('mapKey')}="C" ${at('mappedValue')}="0.5"/></${el('mapping')}>
  </${el('responseDeclaration')}>
  <${el('outcomeDeclaration')} identifier="SCORE" cardinality="single" ${at('baseType')}="float"/>
  <${el('itemBody')}><p>Chọn đáp án:</p><${el('choiceInteraction')} ${at('responseIdentifier')}="RESPONSE" ${at('maxChoices')}="1">${choices}</${el('choiceInteraction')}></${el('itemBody')}>
  ${processing.replaceAll('responseProcessing', el('responseProcessing'))}
</${el('assessmentItem')}>`);
}

describe('response processing', () => {
  const TEMPLATES = {
    '2.1': 'http://www.imsglobal.org/question/qti_v2p1/rptemplates/',
    '3.0': 'https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/',
  } as const;

  describe.each(['2.1', '3.0'] as const)('standard templates, QTI %s URIs', (version) => {
    const withTemplate = (name: string) => choiceItem(version, `<responseProcessing template="${TEMPLATES[version]}${name}${version === '3.0' ? '.xml' : ''}"/>`);

    it('match_correct: all or nothing on the correct response, the mapping ignored', async () => {
      const result = await importQti({ bytes: withTemplate('match_correct'), fileName: 'a.xml' });
      expect(result.warnings).toEqual([]);
      expect(result.questions[0]!.options.map((o) => o.fraction)).toEqual([0, 1, 0, 0]);
    });

    it('map_response: each choice worth what its map entry says', async () => {
      const result = await importQti({ bytes: withTemplate('map_response'), fileName: 'a.xml' });
      expect(result.warnings).toEqual([]);
      expect(result.questions[0]).toMatchObject({ type: 'multiple_choice', points: 1 });
      expect(result.questions[0]!.options.map((o) => o.fraction)).toEqual([0, 1, 0.5, 0]);
    });

    it('map_response_point: known as a standard template (no scoring warning); the point interaction it scores is what is unsupported', async () => {
      const hotspot = fs.readFileSync(path.join(FIXTURES, 'qti21/hotspot-unsupported.xml'), 'utf8');
      const item = version === '2.1' ? hotspot : hotspot
        .replace('http://www.imsglobal.org/xsd/imsqti_v2p1', 'http://www.imsglobal.org/xsd/imsqtiasi_v3p0')
        .replace(/<(\/?)(assessmentItem|responseDeclaration|areaMapping|areaMapEntry|outcomeDeclaration|itemBody|selectPointInteraction|prompt|responseProcessing)\b/g,
          (_, slash: string, name: string) => `<${slash}qti-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)
        .replace(`${TEMPLATES['2.1']}map_response_point`, `${TEMPLATES['3.0']}map_response_point.xml`);
      const result = await importQti({ bytes: Buffer.from(item), fileName: 'ban-do.xml' });
      expect(result.warnings).toEqual([]);
      expect(result.errors).toEqual([expect.objectContaining({ code: 'QTI_UNSUPPORTED_INTERACTION', itemId: 'HOTSPOT-06' })]);
      expect(result.errors[0]!.message).toContain(version === '2.1' ? 'selectPointInteraction' : 'qti-select-point-interaction');
    });
  });

  it('custom processing we do not understand: imported from the correct response, and the approximation reported', async () => {
    const custom = `<responseProcessing><responseCondition><responseIf><and><match><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></match><gt><variable identifier="duration"/><baseValue baseType="float">10</baseValue></gt></and>
      <setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue></responseIf></responseCondition></responseProcessing>`;
    const result = await importQti({ bytes: choiceItem('2.1', custom), fileName: 'rieng.xml' });
    expect(result.errors).toEqual([]);
    expect(result.questions[0]!.options.map((o) => o.fraction)).toEqual([0, 1, 0, 0]);
    expect(result.warnings).toEqual([expect.objectContaining({ item: 1, itemId: 'T', code: 'QTI_CUSTOM_SCORING' })]);
    expect(result.warnings[0]!.message).toContain('correctResponse');
  });

  it('custom processing in our own pattern (SCORE = mapResponse) is understood, without a warning', async () => {
    const ours = '<responseProcessing><setOutcomeValue identifier="SCORE"><mapResponse identifier="RESPONSE"/></setOutcomeValue></responseProcessing>';
    const result = await importQti({ bytes: choiceItem('3.0', ours.replace(/setOutcomeValue|mapResponse/g, (n) => `qti-${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)), fileName: 'a.xml' });
    expect(result.warnings).toEqual([]);
    expect(result.questions[0]!.options.map((o) => o.fraction)).toEqual([0, 1, 0.5, 0]);
  });
});

describe('QTI input details', () => {
  it('decodes character references in text and attributes, once', async () => {
    const item = choiceItem('2.1', '<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>').toString()
      .replace('title="Mẫu xử lý"', 'title="&#272;&#x1EA1;i s&#7889;"')
      .replace('<p>Chọn đáp án:</p>', '<p>Ch&#7885;n &#273;&#225;p &#225;n &amp;#272; &lt;b&gt;:</p>');
    const result = await importQti({ bytes: Buffer.from(item), fileName: 'a.xml' });
    expect(result.questions[0]).toMatchObject({ name: 'Đại số', stem: '<p>Chọn đáp án &amp;#272; &lt;b&gt;:</p>' });
  });

  it('a numeric answer that is not a number, and match pairs naming no choice, are errors for that item', async () => {
    const numeric = '<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="SO-1"><qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="float">'
      + '<qti-correct-response><qti-value>hai phẩy năm</qti-value></qti-correct-response></qti-response-declaration>'
      + '<qti-item-body><p>Kết quả:</p><p><qti-text-entry-interaction response-identifier="RESPONSE"/></p></qti-item-body></qti-assessment-item>';
    const number = await importQti({ bytes: Buffer.from(numeric), fileName: 'so.xml' });
    expect(number.questions).toEqual([]);
    expect(number.errors).toEqual([expect.objectContaining({ item: 1, itemId: 'SO-1', code: 'QTI_INVALID_NUMBER' })]);
    expect(number.errors[0]!.message).toContain('"hai phẩy năm"');
    const match = '<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="GHEP-1"><responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="directedPair">'
      + '<correctResponse><value>X Y</value></correctResponse></responseDeclaration><itemBody><matchInteraction responseIdentifier="RESPONSE">'
      + '<simpleMatchSet><simpleAssociableChoice identifier="A" matchMax="1">a</simpleAssociableChoice></simpleMatchSet>'
      + '<simpleMatchSet><simpleAssociableChoice identifier="B" matchMax="1">b</simpleAssociableChoice></simpleMatchSet></matchInteraction></itemBody></assessmentItem>';
    const pairs = await importQti({ bytes: Buffer.from(match), fileName: 'ghep.xml' });
    expect(pairs.questions).toEqual([]);
    expect(pairs.errors).toEqual([expect.objectContaining({ itemId: 'GHEP-1', code: 'QTI_NO_CORRECT_RESPONSE' })]);
  });

  it('a QTI 3.0 content package (Kolibri items under items/, our manifest) imports in manifest order', async () => {
    const names = ['true_false', 'single_selection', 'multiple_selection'];
    const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" xmlns:lom="http://ltsc.ieee.org/xsd/LOM" identifier="M">
  <metadata><schema>QTI Package</schema><schemaversion>3.0.0</schemaversion></metadata>
  <organizations/>
  <resources>${names.map((n) => `<resource identifier="${n}" type="imsqti_item_xmlv3p0" href="items/${n}.xml"><metadata><lom:lom><lom:general><lom:keyword><lom:string>Thông hiểu</lom:string></lom:keyword></lom:general></lom:lom></metadata><file href="items/${n}.xml"/></resource>`).join('')}</resources>
</manifest>`;
    const bytes = await zipOf([
      { name: 'imsmanifest.xml', data: manifest },
      ...names.map((n) => ({ name: `items/${n}.xml`, data: fs.readFileSync(path.join(FIXTURES, KOLIBRI, `${n}.xml`)) })),
    ]);
    const result = await importQti({ bytes, fileName: 'kolibri.zip' });
    expect(result.errors).toEqual([]);
    expect(result.questions.map((q) => [q.item, q.type, q.cognitiveLevel])).toEqual([[1, 'true_false', 'thong-hieu'], [2, 'multiple_choice', 'thong-hieu'], [3, 'multiple_response', 'thong-hieu']]);
  });
});

describe.each([['QTI 2.1', exportQti21], ['QTI 3.0', exportQti30]] as const)('%s round trip without names', (_, exporter) => {
  it('a question without a name comes back without one (the title written from its text is not a name)', async () => {
    const nameless = BANK.map(({ name: _name, ...question }) => question as Question);
    nameless.push({ type: 'essay', stem: '<p><img src="@@ASSET@@/hinh.png"></p>', options: [], points: 1, assets: [{ name: 'hinh.png', mime: 'image/png', bytes: PNG }] });
    const exported = await exporter(nameless, { title: 'Không tên' });
    const files = await readUntrustedZip(exported.body);
    expect(files.get('q0001.xml')!.toString()).toContain('title="Đồ thị hàm số y=x2 là:"');
    expect(files.get('q0014.xml')!.toString()).toContain('title="q0014"');
    const back = await importQti({ bytes: exported.body, fileName: 'bank.zip' });
    expect(back.errors).toEqual([]);
    expect(back.questions.map(comparable)).toEqual(nameless.map(comparable));
  });
});

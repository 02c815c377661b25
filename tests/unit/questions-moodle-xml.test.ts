import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { TRUE_FALSE_GROUP_TAG } from '../../src/questions/formats/conventions.js';
import { parseCloze, serialiseCloze } from '../../src/questions/formats/moodle-xml/cloze.js';
import { exportMoodleXml } from '../../src/questions/formats/moodle-xml/export.js';
import { importMoodleXml, looksLikeMoodleXml } from '../../src/questions/formats/moodle-xml/import.js';
import type { ExportResult, ParseResult, ParsedQuestion, Question } from '../../src/questions/model.js';

const FIXTURES = path.resolve('tests/fixtures/questions/moodle-xml');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const importBytes = (bytes: Buffer, fileName = 'bank.xml') => importMoodleXml({ bytes, fileName }) as ParseResult;
const importFixture = (name: string) => importBytes(fixture(name), name);
const importText = (xml: string) => importBytes(Buffer.from(xml, 'utf8'));
const exportQuestions = (questions: Question[]) => exportMoodleXml(questions, { title: 'Ngân hàng' }) as ExportResult;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
// A 1×1 PNG.
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** What a round trip must keep: everything but where the question came from. */
const structured = (questions: Array<ParsedQuestion & { item: number }>): Question[] => questions.map(({ source: _source, item: _item, ...question }) => question);

function roundTrip(questions: Question[]) {
  const exported = exportQuestions(questions);
  const reimported = importBytes(exported.body, 'export.xml');
  return { exported, reimported, questions: structured(reimported.questions) };
}

function expectRaised(action: () => unknown, code: string): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return;
  }
  expect.fail(`expected ${code}`);
}

describe('Moodle XML import: Moodle\'s own fixtures', () => {
  it('nested categories: five questions, each with its category path as topic', () => {
    const { questions, errors } = importFixture('nested_categories_with_questions.xml');
    expect(errors).toEqual([]);
    expect(questions.map((q) => [q.item, q.type, q.topic, q.name])).toEqual([
      [1, 'true_false', 'Iota', 'Iota Question'],
      [2, 'essay', 'Iota/Kappa', 'Kappa Essay Question'],
      [3, 'true_false', 'Iota/Kappa', 'Kappa Question'],
      [4, 'true_false', 'Iota/Kappa/Lambda', 'Lambda Question'],
      [5, 'true_false', 'Iota/Mu', 'Mu Question'],
    ]);
    expect(questions[0]).toMatchObject({ stem: '<p>Testing Iota Question</p>', points: 1, source: { format: 'moodle-xml', line: 15 } });
    expect(questions[0]!.options).toEqual([{ id: 'true', text: 'Đúng', fraction: 1 }, { id: 'false', text: 'Sai', fraction: 0 }]);
    expect(questions[1]).toMatchObject({ stem: 'Testing Kappa Essay Question', options: [], points: 1 });
  });

  it('old format without idnumber, and idnumbers with escaped HTML characters', () => {
    const old = importFixture('old_format_file.xml');
    expect(old.errors).toEqual([]);
    expect(old.questions.map((q) => [q.type, q.topic, q.source.itemId])).toEqual([['true_false', 'Pi', undefined], ['true_false', 'Pi/Rho', undefined]]);
    const ids = importFixture('html_chars_in_idnumbers.xml');
    expect(ids.questions).toHaveLength(1);
    expect(ids.questions[0]).toMatchObject({ type: 'true_false', topic: 'Alpha', source: { itemId: 'T & F', line: 15 } });
  });

  it('refuses a grade outside Moodle\'s list (33 instead of 33.33333) for that item, naming the nearest valid one', () => {
    const { questions, errors } = importFixture('error_invalid_grades.xml');
    expect(questions).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ item: 1, line: 4, code: 'MOODLE_INVALID_GRADE' });
    expect(errors[0]!.message).toContain('33%');
    expect(errors[0]!.message).toContain('33.33333%');
    expect(errors[0]!.message).toContain('phương án thứ 2');
  });

  it('reports each broken cloze question the way Moodle refuses it', () => {
    const { questions, errors } = importFixture('broken_cloze_questions.xml');
    expect(questions).toEqual([]);
    expect(errors.map((e) => [e.item, e.line, e.code])).toEqual([
      [1, 4, 'MOODLE_CLOZE_NO_GAPS'],
      [2, 20, 'MOODLE_CLOZE_NO_GAPS'],
      [3, 36, 'MOODLE_CLOZE_TOO_FEW_CHOICES'],
      [4, 52, 'MOODLE_CLOZE_NO_CORRECT_ANSWER'],
      [5, 68, 'MOODLE_CLOZE_NOT_A_NUMBER'],
    ]);
    expect(errors[4]!.message).toContain('"zero"');
    expect(errors[2]!.message).toContain('ô trống số 1');
  });

  it('cloze with @@PLUGINFILE@@ images: base64 files become assets, references become @@ASSET@@', () => {
    const { questions, errors } = importFixture('multianswer.xml');
    expect(errors).toEqual([]);
    const [cloze] = questions;
    // "Default for …" is the category Moodle gives every context, not a topic of the teacher's.
    expect(cloze).toMatchObject({ type: 'cloze', name: 'cloze with images', points: 5 });
    expect(cloze!.topic).toBeUndefined();
    expect(cloze!.assets!.map((a) => [a.name, a.mime])).toEqual([['arizona_2.png', 'image/png'], ['california-state-flag.png', 'image/png'], ['moodle.png', 'image/png']]);
    for (const asset of cloze!.assets!) expect(asset.bytes.subarray(0, 4)).toEqual(PNG_SIGNATURE);
    expect(cloze!.stem).toContain('<img src="@@ASSET@@/california-state-flag.png"');
    expect(cloze!.stem).not.toContain('@@PLUGINFILE@@');
    expect(cloze!.generalFeedback).toContain('@@ASSET@@/moodle.png');
    expect(cloze!.stem.match(/\{#\d\}/g)).toEqual(['{#1}', '{#2}', '{#3}', '{#4}', '{#5}']);
    expect(cloze!.parts!.map((p) => p.type)).toEqual(['multiple_choice', 'multiple_choice', 'multiple_choice', 'multiple_choice', 'short_answer']);
    expect(cloze!.parts![1]!.options.map((o) => [o.text, o.fraction, o.feedback])).toEqual([['California', 0, 'Wrong'], ['Arizona', 1, 'OK']]);
    expect(cloze!.parts![4]!.options.map((o) => [o.text, o.fraction])).toEqual([['Paris', 1], ['Marseille', 0.5], ['*', 0]]);
    expect(cloze!.parts![4]!.options[0]!.feedback).toBe('Congratulations!<br />');
  });

  it('Moodle 1.9 <image>/<image_base64>: the image is appended to the stem as an asset', () => {
    const { questions, errors } = importFixture('sample_questions_with_old_image_tag.xml');
    expect(errors).toEqual([]);
    expect(questions.map((q) => q.type)).toEqual(['cloze', 'multiple_choice']);
    for (const question of questions) {
      expect(question.stem.endsWith(' <img src="@@ASSET@@/moodle.png" />')).toBe(true);
      expect(question.assets!.map((a) => a.name)).toEqual(['moodle.png']);
      expect(question.assets![0]!.bytes.subarray(0, 4)).toEqual(PNG_SIGNATURE);
    }
    expect(questions[1]!.options.map((o) => [o.id, o.text, o.fraction])).toEqual([['A', 'wrong answer', 0], ['B', 'another wrong answer', 0], ['C', 'right answer', 1]]);
    expect(questions[1]!.shuffle).toBe(true);
  });

  it('every cloze subtype, with weights, %n% fractions, tolerances and Moodle\'s multi-response scaling', () => {
    const { questions, errors } = importFixture('multianswer-all-types.xml');
    expect(errors).toEqual([]);
    const parts = questions[0]!.parts!;
    expect(parts.map((p) => [p.type, p.display, p.shuffle])).toEqual([
      ['multiple_choice', 'dropdown', false], ['multiple_choice', 'horizontal', false], ['multiple_choice', 'vertical', false],
      ['multiple_choice', 'dropdown', true], ['multiple_choice', 'horizontal', true], ['multiple_choice', 'vertical', true],
      ['multiple_response', 'vertical', false], ['multiple_response', 'horizontal', false], ['multiple_response', 'vertical', true], ['multiple_response', 'horizontal', true],
      ['numerical', undefined, undefined], ['numerical', undefined, undefined], ['numerical', undefined, undefined],
      ['short_answer', undefined, undefined], ['short_answer', undefined, undefined], ['short_answer', undefined, undefined],
    ]);
    // No percentages: each wrong answer cancels one right one.
    expect(parts[6]!.options.map((o) => [o.text, o.fraction])).toEqual([['Marge', 0.5], ['Fred', -0.5], ['Lisa', 0.5], ['Anna', -0.5]]);
    // With percentages: the right ones are scaled to add up to 100 %, the rest stay.
    expect(parts[7]!.options.map((o) => o.fraction)).toEqual([0.6666667, 0, 0.3333333]);
    expect(parts[12]).toMatchObject({ weight: 3 });
    expect(parts[12]!.options.map((o) => [o.text, o.tolerance, o.fraction])).toEqual([['1701', 0, 1], ['1701', 20, 0.66], ['1701', 50, 0.33]]);
    expect(parts[14]!.caseSensitive).toBe(true);
    expect(parts[14]!.options[0]!.text).toBe('H<sub>2</sub>O');
    expect(parts[13]!.caseSensitive).toBe(false);
    expect(questions[0]!.points).toBe(18);
    expect(questions[0]!.generalFeedback).toContain('Asterix');
  });

  it('Moodle\'s cloze text sample: five gaps with multi-line feedback', () => {
    const { stem, parts, problems } = parseCloze(fixture('questions.multianswer.txt').toString('utf8'));
    expect(problems).toEqual([]);
    expect(parts).toHaveLength(5);
    expect(stem).toContain('* San Francisco: {#1}');
    expect(stem.trimEnd().endsWith('{#5}.')).toBe(true);
    expect(parts[4]!.options.map((o) => [o.text, o.fraction])).toEqual([['Paris', 1], ['Marseille', 0.5], ['*', 0]]);
    expect(parts[4]!.options[1]!.feedback).toBe('No, that is the second largest city in France (after\nParis).');
  });
});

describe('Moodle XML import: Vietnamese bank', () => {
  const { questions, errors } = importFixture('vietnamese_bank.xml');
  const byName = (name: string) => questions.find((q) => q.name === name)!;

  it('imports nine questions, skips the description and reports the two bad items', () => {
    expect(questions.map((q) => [q.item, q.type])).toEqual([
      [1, 'multiple_choice'], [2, 'multiple_response'], [3, 'true_false'], [4, 'short_answer'], [5, 'numerical'],
      [6, 'matching'], [7, 'essay'], [8, 'true_false_group'], [9, 'cloze'],
    ]);
    expect(errors.map((e) => [e.item, e.code, e.line])).toEqual([[10, 'MOODLE_UNSUPPORTED_TYPE', 373], [11, 'MOODLE_NO_CORRECT_ANSWER', 384]]);
    expect(errors[0]!.message).toBe('Câu 10 "Tính toán" (dòng 373): loại câu hỏi Moodle "calculatedsimple" chưa được hỗ trợ.');
  });

  it('keeps Vietnamese category paths, levels from tags, idnumbers and decimal points', () => {
    expect(questions.slice(0, 3).every((q) => q.topic === 'Toán 12/Giải tích – Chương 1')).toBe(true);
    expect(questions.slice(3).every((q) => q.topic === 'Toán 12/Hình học')).toBe(true);
    const first = byName('Đạo hàm cơ bản');
    expect(first).toMatchObject({ points: 0.25, cognitiveLevel: 'nhan-biet', tags: ['hàm số'], shuffle: true, source: { itemId: 'GT12-C1-001', line: 15 } });
    expect(byName('Căn bậc hai')).toMatchObject({ points: 0.5, cognitiveLevel: 'van-dung' });
    expect(byName('Tự luận')).toMatchObject({ points: 2, cognitiveLevel: 'van-dung-cao' });
  });

  it('keeps LaTeX and MathML as written, and an image whose name has a space', () => {
    const first = byName('Đạo hàm cơ bản');
    expect(first.stem).toBe('<p>Đạo hàm của hàm số \\(y = x^2\\) là:</p><p><img src="@@ASSET@@/do thi.png" alt="Đồ thị"></p>');
    expect(first.assets).toEqual([{ name: 'do thi.png', mime: 'image/png', bytes: PIXEL }]);
    expect(first.options.map((o) => [o.text, o.fraction, o.feedback])).toEqual([['\\(2x\\)', 1, 'Đúng.'], ['\\(x\\)', 0, 'Sai: quên hệ số 2.'], ['\\(x^2\\)', 0, undefined], ['\\(2\\)', 0, undefined]]);
    expect(byName('Nghiệm thực').stem).toContain('$x^2 + 1 = 0$');
    expect(byName('Thủ đô các nước').stem).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML"><msqrt><mn>4</mn></msqrt>');
  });

  it('turns NFD text into NFC', () => {
    const response = byName('Số nguyên tố');
    expect(response.stem).toBe('<p>Chọn tất cả các số nguyên tố trong các số sau:</p>'.normalize('NFC'));
    expect(response.stem.normalize('NFC')).toBe(response.stem);
    expect(response.options.map((o) => [o.text, o.fraction])).toEqual([['2', 0.5], ['3', 0.5], ['4 (hợp số)', -1], ['1', 0]]);
    expect(response.options[2]!.feedback).toBe('4 = 2 × 2');
  });

  it('true/false, short answer (plain text escaped), numerical with tolerance, matching with a distractor', () => {
    expect(byName('Nghiệm thực').options).toEqual([
      { id: 'true', text: 'Đúng', fraction: 0, feedback: 'Sai: $x^2 + 1 > 0$ với mọi $x$.' },
      { id: 'false', text: 'Sai', fraction: 1, feedback: 'Chính xác.' },
    ]);
    const short = byName('Thủ đô');
    expect(short.stem).toBe('Thủ đô của Việt Nam là gì?<br />\n(viết có dấu, &lt; 10 ký tự)');
    expect(short.caseSensitive).toBe(false);
    expect(short.options.map((o) => [o.text, o.fraction])).toEqual([['Hà Nội', 1], ['Ha Noi', 1], ['Hanoi', 0.5]]);
    expect(byName('Căn bậc hai').options).toEqual([{ id: 'A', text: '1.41', fraction: 1, tolerance: 0.005, feedback: 'Đúng.' }]);
    expect(byName('Thủ đô các nước').options).toEqual([
      { id: 'A', text: '<p>Hà Nội</p>', match: 'Việt Nam', fraction: 1 },
      { id: 'B', text: '<p>Viêng Chăn</p>', match: 'Lào', fraction: 1 },
      { id: 'C', text: '', match: 'Thái Lan', fraction: 0 },
    ]);
  });

  it('gives a Part II item exported as a tagged cloze back its true_false_group type', () => {
    const group = byName('Khảo sát hàm bậc ba');
    expect(group).toMatchObject({ type: 'true_false_group', points: 1, cognitiveLevel: 'thong-hieu', stem: '<p>Cho hàm số \\(f(x) = x^3 - 3x\\).</p>' });
    expect(group.tags).toBeUndefined();
    expect(group.parts).toBeUndefined();
    expect(group.options.map((o) => [o.id, o.fraction])).toEqual([['a', 1], ['b', 1], ['c', 0], ['d', 1]]);
    expect(group.options[0]!.text).toBe('Hàm số đồng biến trên khoảng \\((1; +\\infty)\\).');
  });

  it('a Vietnamese cloze: weights, decimal comma in a numerical gap, vertical choices', () => {
    const cloze = byName('Thủ đô Hà Nội');
    expect(cloze.stem).toBe('<p>Thủ đô của Việt Nam là {#1} với diện tích khoảng {#2} km² và thuộc miền {#3}.</p>');
    expect(cloze.points).toBe(4);
    expect(cloze.parts).toEqual([
      { type: 'short_answer', weight: 2, caseSensitive: false, options: [{ id: 'A', text: 'Hà Nội', fraction: 1, feedback: 'Chính xác!' }, { id: 'B', text: 'Ha Noi', fraction: 0.5, feedback: 'Nên viết có dấu.' }] },
      { type: 'numerical', weight: 1, options: [{ id: 'A', text: '3359.8', tolerance: 10, fraction: 1, feedback: 'Đúng' }] },
      { type: 'multiple_choice', weight: 1, display: 'vertical', shuffle: false, options: [{ id: 'A', text: 'Bắc', fraction: 1 }, { id: 'B', text: 'Trung', fraction: 0 }, { id: 'C', text: 'Nam', fraction: 0 }] },
    ]);
  });
});

describe('Moodle XML import: input handling', () => {
  it('recognises Moodle XML from its content', () => {
    expect(looksLikeMoodleXml('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="truefalse">')).toBe(true);
    expect(looksLikeMoodleXml('<?xml version="1.0"?><assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1">')).toBe(false);
    expect(looksLikeMoodleXml('::Q1:: 1+1=2 {T}')).toBe(false);
  });

  it('refuses entity declarations (XXE, billion laughs) and XML that is not a Moodle quiz', () => {
    expectRaised(() => importText('<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz><question type="essay"><questiontext><text>&x;</text></questiontext></question></quiz>'), 'QUESTION_FILE_UNSAFE');
    expectRaised(() => importText('<?xml version="1.0"?><assessmentItem/>'), 'QUESTION_FILE_MALFORMED');
    expectRaised(() => importText('<quiz><question type="essay"></quiz>'), 'QUESTION_FILE_MALFORMED');
  });

  it('reads UTF-16 files and character references', () => {
    const xml = '<?xml version="1.0" encoding="UTF-16"?>\n<quiz><question type="essay"><name><text>Tự luận</text></name><questiontext format="html"><text>Vi&#7871;t &amp;#233; &lt;b&gt;</text></questiontext></question></quiz>';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    const { questions } = importBytes(bytes);
    expect(questions[0]).toMatchObject({ type: 'essay', name: 'Tự luận', stem: 'Viết &#233; <b>' });
  });

  it('an empty quiz has no questions; a category alone sets no question', () => {
    expect(importText('<quiz></quiz>')).toEqual({ questions: [], errors: [] });
    expect(importText('<quiz><question type="category"><category><text>$course$/top/Lớp 10</text></category></question></quiz>')).toEqual({ questions: [], errors: [] });
  });

  it('a single-answer question needs a 100 % answer; a multiple-response one needs right answers adding up to 100 %', () => {
    const choice = (single: boolean, fractions: number[]) => `<question type="multichoice"><name><text>Q</text></name><questiontext><text>Câu hỏi</text></questiontext><single>${single}</single>${fractions.map((f, i) => `<answer fraction="${f}"><text>PA ${i}</text></answer>`).join('')}</question>`;
    const { questions, errors } = importText(`<quiz>${choice(true, [50, 0])}${choice(false, [50, 25, 0])}${choice(false, [50, 50, -100])}${choice(true, [100])}</quiz>`);
    expect(errors.map((e) => [e.item, e.code])).toEqual([[1, 'MOODLE_NO_CORRECT_ANSWER'], [2, 'MOODLE_FRACTIONS_NOT_100'], [4, 'MOODLE_TOO_FEW_OPTIONS']]);
    expect(questions.map((q) => [q.item, q.type])).toEqual([[3, 'multiple_response']]);
  });
});

describe('Moodle cloze syntax', () => {
  it('keeps escaped and entity-encoded separators inside answers and feedback', () => {
    const { parts, problems } = parseCloze('{1:MULTICHOICE:=C\\# và C\\}~a &amp; b#phản hồi \\} có ngoặc~x&#126;y}');
    expect(problems).toEqual([]);
    expect(parts[0]!.options.map((o) => [o.text, o.fraction, o.feedback])).toEqual([['C# và C}', 1, undefined], ['a & b', 0, 'phản hồi } có ngoặc'], ['x~y', 0, undefined]]);
  });

  it('accepts the short type names (MCH, MRS, SAC, NM), an empty weight, a decimal comma and the * answer', () => {
    const { parts } = parseCloze('{:MCH:=a~b} {2:MRS:=a~=b~c} {:SAC:=Hà Nội} {:NM:=-1,5:0.1} {1:NM:=*}');
    expect(parts.map((p) => [p.type, p.weight, p.display, p.shuffle, p.caseSensitive])).toEqual([
      ['multiple_choice', 1, 'horizontal', false, undefined], ['multiple_response', 2, 'vertical', true, undefined],
      ['short_answer', 1, undefined, undefined, true], ['numerical', 1, undefined, undefined, undefined], ['numerical', 1, undefined, undefined, undefined],
    ]);
    expect(parts[1]!.options.map((o) => o.fraction)).toEqual([0.5, 0.5, -0.5]);
    expect(parts[3]!.options[0]).toMatchObject({ text: '-1.5', tolerance: 0.1 });
    expect(parts[4]!.options[0]!.text).toBe('*');
  });

  it('writes gaps back so that Moodle reads the same answers, whatever characters they hold', () => {
    const stem = '<p>Điền: {#1} và {#2}, {#3}.</p>';
    const parts = [
      { type: 'multiple_choice' as const, weight: 2, display: 'horizontal' as const, shuffle: true, options: [{ id: 'A', text: 'a ~ b } c # d & <i>e</i>', fraction: 1, feedback: 'Đúng ~ } #' }, { id: 'B', text: '&eacute;', fraction: 0 }] },
      { type: 'multiple_response' as const, weight: 1, display: 'vertical' as const, shuffle: false, options: [{ id: 'A', text: 'x', fraction: 0.3333333 }, { id: 'B', text: 'y', fraction: 0.3333333 }, { id: 'C', text: 'z', fraction: 0.3333333 }, { id: 'D', text: 't', fraction: 0 }] },
      { type: 'numerical' as const, weight: 1, options: [{ id: 'A', text: '2.5', tolerance: 0.01, fraction: 1 }, { id: 'B', text: '2', tolerance: 1, fraction: 0.5 }] },
    ];
    const text = serialiseCloze(stem, parts);
    expect(text).toContain('{2:MULTICHOICE_HS:=a &#126; b &#125; c &#35; d &amp; &lt;i&gt;e&lt;/i&gt;#Đúng &#126; &#125; &#35;~&amp;eacute;}');
    expect(text).toContain('{1:MULTIRESPONSE:%33.33333%x~%33.33333%y~%33.33333%z~%0%t}');
    expect(text).toContain('{1:NUMERICAL:=2.5:0.01~%50%2:1}');
    expect(parseCloze(text)).toEqual({ stem, parts, problems: [] });
  });
});

const VIETNAMESE_QUESTIONS: Question[] = [
  {
    type: 'multiple_choice', name: 'Ảnh trong phương án', stem: '<p>Hình nào là đồ thị của \\(y = x^2\\)?</p>', points: 0.25, shuffle: false,
    options: [
      { id: 'A', text: '<img src="@@ASSET@@/parabol.png" alt="Parabol">', fraction: 1, feedback: '<p>Đúng, xem <img src="@@ASSET@@/goi-y.png"></p>' },
      { id: 'B', text: 'Đường thẳng', fraction: 0 },
    ],
    generalFeedback: '<p>Đồ thị hàm bậc hai là parabol.</p>', cognitiveLevel: 'nhan-biet', topic: 'Toán 10/Hàm số', tags: ['đồ thị'],
    assets: [{ name: 'parabol.png', mime: 'image/png', bytes: PIXEL }, { name: 'goi-y.png', mime: 'image/png', bytes: Buffer.concat([PIXEL, Buffer.from([0])]) }],
  },
  {
    type: 'multiple_response', name: 'Chọn nhiều', stem: '<p>Những số nào chia hết cho 3?</p>', points: 1, shuffle: true,
    options: [{ id: 'A', text: '3', fraction: 0.3333333 }, { id: 'B', text: '6', fraction: 0.3333333 }, { id: 'C', text: '9', fraction: 0.3333333 }, { id: 'D', text: '10', fraction: -1, feedback: '10 = 3·3 + 1' }],
    topic: 'Toán 10/Hàm số',
  },
  { type: 'true_false', name: 'Đúng sai', stem: '<p>\\(\\sqrt{4} = 2\\)</p>', points: 0.25, options: [{ id: 'true', text: 'Đúng', fraction: 1, feedback: 'Chính xác.' }, { id: 'false', text: 'Sai', fraction: 0 }], topic: 'Toán 10/Số' },
  { type: 'short_answer', name: 'Trả lời ngắn', stem: '<p>Tên nguyên tố có kí hiệu Fe?</p>', points: 1, caseSensitive: true, options: [{ id: 'A', text: 'Sắt', fraction: 1 }, { id: 'B', text: 's*t', fraction: 0.5, feedback: 'Viết hoa chữ đầu.' }], cognitiveLevel: 'thong-hieu' },
  { type: 'numerical', name: 'Phần III', stem: '<p>Tính \\(\\log_2 8\\).</p>', points: 0.5, options: [{ id: 'A', text: '3', fraction: 1, tolerance: 0 }, { id: 'B', text: '*', fraction: 0, tolerance: 0, feedback: 'Sai.' }], cognitiveLevel: 'van-dung' },
  { type: 'matching', name: 'Ghép đôi', stem: '<p>Ghép chất với công thức.</p>', points: 1, shuffle: true, options: [{ id: 'A', text: '<p>Nước</p>', match: 'H₂O', fraction: 1 }, { id: 'B', text: '<p>Muối ăn</p>', match: 'NaCl', fraction: 1 }, { id: 'C', text: '', match: 'CO₂', fraction: 0 }] },
  { type: 'essay', name: 'Tự luận', stem: '<p>Nêu ý nghĩa hình học của đạo hàm.</p>', points: 2, options: [], cognitiveLevel: 'van-dung-cao' },
  {
    type: 'cloze', name: 'Điền khuyết', stem: '<p>Sông {#1} chảy qua Hà Nội; {#2} là số nguyên tố; \\(2^{10} = {#3}\\); chọn: {#4}.</p>', points: 5, options: [],
    parts: [
      { type: 'short_answer', weight: 2, caseSensitive: false, options: [{ id: 'A', text: 'Hồng', fraction: 1, feedback: 'Đúng ~ sông Hồng' }, { id: 'B', text: 'Cái', fraction: 0.5 }] },
      { type: 'multiple_response', weight: 1, display: 'horizontal', shuffle: true, options: [{ id: 'A', text: '2', fraction: 0.5 }, { id: 'B', text: '3', fraction: 0.5 }, { id: 'C', text: '4', fraction: -0.5 }] },
      { type: 'numerical', weight: 1, options: [{ id: 'A', text: '1024', fraction: 1, tolerance: 0 }] },
      { type: 'multiple_choice', weight: 1, display: 'dropdown', shuffle: false, options: [{ id: 'A', text: '{x} # ~', fraction: 1 }, { id: 'B', text: 'a & b', fraction: 0 }] },
    ],
    topic: 'Tổng hợp',
  },
  {
    type: 'true_false_group', name: 'Phần II', stem: '<p>Cho dãy số \\(u_n = 2n + 1\\).</p>', points: 1,
    options: [
      { id: 'a', text: '\\(u_1 = 3\\).', fraction: 1, feedback: 'Thay \\(n = 1\\).' },
      { id: 'b', text: 'Dãy số giảm.', fraction: 0 },
      { id: 'c', text: 'Dãy là cấp số cộng công sai 2.', fraction: 1 },
      { id: 'd', text: '\\(u_{10} = 20\\).', fraction: 0, feedback: '\\(u_{10} = 21\\).' },
    ],
    cognitiveLevel: 'thong-hieu', tags: ['dãy số'], topic: 'Tổng hợp',
  },
];

describe('Moodle XML export', () => {
  const exported = exportQuestions(VIETNAMESE_QUESTIONS);
  const xml = exported.body.toString('utf8');

  it('is an XML file Moodle recognises', () => {
    expect(exported.contentType).toBe('application/xml; charset=utf-8');
    expect(exported.extension).toBe('xml');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')).toBe(true);
    expect(xml.endsWith('</quiz>')).toBe(true);
  });

  it('writes a category pseudo-question under $course$/top before each change of topic', () => {
    const categories = [...xml.matchAll(/<question type="category">\n {4}<category>\n {6}<text>(.*?)<\/text>/g)].map((m) => m[1]);
    expect(categories).toEqual(['$course$/top/Toán 10/Hàm số', '$course$/top/Toán 10/Số', '$course$/top', '$course$/top/Tổng hợp']);
  });

  it('follows Moodle\'s element order and defaults for a multiple-choice question', () => {
    const multichoice = xml.slice(xml.indexOf('<question type="multichoice">'), xml.indexOf('</question>', xml.indexOf('<question type="multichoice">')));
    const elements = [...multichoice.matchAll(/^ {4}<(\w+)/gm)].map((m) => m[1]);
    expect(elements).toEqual(['name', 'questiontext', 'generalfeedback', 'defaultgrade', 'penalty', 'hidden', 'idnumber', 'single', 'shuffleanswers', 'answernumbering',
      'showstandardinstruction', 'correctfeedback', 'partiallycorrectfeedback', 'incorrectfeedback', 'answer', 'answer', 'tags']);
    expect(multichoice).toContain('<defaultgrade>0.2500000</defaultgrade>\n    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n    <idnumber></idnumber>\n    <single>true</single>\n    <shuffleanswers>false</shuffleanswers>');
    expect(multichoice).toContain('<questiontext format="html">\n      <text><![CDATA[<p>Hình nào là đồ thị của \\(y = x^2\\)?</p>]]></text>\n');
    expect(multichoice).toContain('<answer fraction="100" format="html">\n      <text><![CDATA[<img src="@@PLUGINFILE@@/parabol.png" alt="Parabol">]]></text>\n<file name="parabol.png" path="/" encoding="base64">');
    expect(multichoice).toContain('<tag><text>nhan-biet</text>\n</tag>');
    expect(multichoice).not.toContain('@@ASSET@@');
  });

  it('writes percentages as Moodle does (33.33333, -100) and true/false, numerical, matching, essay in Moodle\'s shapes', () => {
    expect(xml).toContain('<answer fraction="33.33333" format="html">\n      <text>3</text>');
    expect(xml).toContain('<answer fraction="-100" format="html">');
    expect(xml).toMatch(/<question type="truefalse">[\s\S]*?<penalty>1\.0000000<\/penalty>[\s\S]*?<answer fraction="100" format="moodle_auto_format">\n {6}<text>true<\/text>/);
    expect(xml).toContain('<feedback format="html">\n        <text>Sai.</text>\n      </feedback>\n      <tolerance>0</tolerance>\n    </answer>');
    expect(xml).toContain('<usecase>1</usecase>');
    expect(xml).toContain('<subquestion format="html">\n      <text></text>\n      <answer>\n        <text>CO₂</text>\n      </answer>\n    </subquestion>');
    expect(xml).toMatch(/<question type="essay">[\s\S]*?<penalty>0\.0000000<\/penalty>[\s\S]*?<responseformat>editor<\/responseformat>/);
  });

  it('writes a cloze question without <defaultgrade> when its weights give its points, as Moodle does', () => {
    const cloze = xml.slice(xml.indexOf('<name>\n      <text>Điền khuyết'), xml.indexOf('</question>', xml.indexOf('Điền khuyết')));
    expect(cloze).not.toContain('<defaultgrade>');
    expect(cloze).toContain('{2:SHORTANSWER:=Hồng#Đúng &#126; sông Hồng~%50%Cái}');
    expect(cloze).toContain('{1:MULTIRESPONSE_HS:%50%2~%50%3~%-50%4}');
    expect(cloze).toContain('{1:MULTICHOICE:={x&#125; &#35; &#126;~a &amp; b}');
  });

  it('writes a Part II item as a tagged cloze with Đúng/Sai gaps, and reports the scoring change', () => {
    expect(xml).toContain('<div class="thpt2025-statement">b) Dãy số giảm. {1:MULTICHOICE:Đúng~=Sai}</div>');
    expect(xml).toContain('<div class="thpt2025-statement">a) \\(u_1 = 3\\). {1:MULTICHOICE:=Đúng#Thay \\(n = 1\\).~Sai#Thay \\(n = 1\\).}</div>');
    expect(xml).toContain(`<tag><text>${TRUE_FALSE_GROUP_TAG}</text>`);
    expect(exported.report).toEqual([
      { item: 9, code: 'MOODLE_TRUE_FALSE_GROUP', message: expect.stringContaining('đúng 4/3/2/1 ý được 1 / 0,75 / 0,5 / 0,25 số điểm, không theo được thang điểm 2025 (1 / 0,5 / 0,25 / 0,1)') },
      { item: 9, code: 'MOODLE_CLOZE_POINTS', message: expect.stringContaining('trong Moodle câu này được 4 điểm thay cho 1') },
    ]);
  });

  it('reports what Moodle cannot hold instead of dropping it', () => {
    const { report } = exportQuestions([
      { type: 'multiple_choice', name: 'Điểm lẻ', stem: '<p>Câu <img src="@@ASSET@@/mat.png"></p>', points: 1, options: [{ id: 'A', text: 'Đúng', fraction: 1 }, { id: 'B', text: 'Gần đúng', fraction: 0.35 }] },
      { type: 'matching', name: 'Ghép', stem: '<p>Ghép</p>', points: 1, options: [{ id: 'A', text: 'a', match: '1', fraction: 1, feedback: 'phản hồi' }, { id: 'B', text: 'b', match: '2', fraction: 1 }] },
      { type: 'cloze', name: 'Cloze', stem: 'x = {#1}', points: 0.5, options: [], parts: [{ type: 'numerical', weight: 1.5, options: [{ id: 'A', text: '1', fraction: 1, tolerance: 0 }] }] },
      { type: 'true_false_group', name: 'P2', stem: 'S', points: 1, scoring: [0, 0, 0.5, 0.75, 1], options: [{ id: 'a', text: 'x', fraction: 1 }, { id: 'b', text: 'y', fraction: 0 }] },
    ]);
    expect(report.map((r) => [r.item, r.code])).toEqual([
      [1, 'MOODLE_ASSET_MISSING'], [1, 'MOODLE_GRADE_ROUNDED'], [2, 'MOODLE_FEEDBACK_DROPPED'], [3, 'MOODLE_CLOZE_WEIGHT'], [3, 'MOODLE_CLOZE_POINTS'], [4, 'MOODLE_TRUE_FALSE_GROUP'], [4, 'MOODLE_CLOZE_POINTS'],
    ]);
    expect(report[0]!.message).toBe('Câu 1: ảnh "mat.png" được tham chiếu nhưng không có trong câu hỏi.');
    expect(report[1]!.message).toBe('Câu 1: phương án B: điểm 35% không có trong danh sách điểm của Moodle, đã làm tròn thành 33.33333%.');
    expect(report[5]!.message).toContain('đúng 2/1 ý được 1 / 0,5 số điểm, không theo được thang điểm riêng của câu (0,5 / 0)');
  });
});

describe('Moodle XML export: byte for byte as Moodle writes it', () => {
  it('a category and a true/false question, as qformat_xml::writequestion lays them out', () => {
    const { body, report } = exportQuestions([{
      type: 'true_false', name: 'Trái Đất', stem: '<p>Trái Đất quay quanh Mặt Trời.</p>', points: 1, topic: 'Địa lí/Vũ trụ', tags: ['thiên văn'],
      options: [{ id: 'true', text: 'Đúng', fraction: 1, feedback: 'Chính xác.' }, { id: 'false', text: 'Sai', fraction: 0 }],
    }]);
    expect(report).toEqual([]);
    expect(body.toString('utf8')).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Địa lí/Vũ trụ</text>
    </category>
    <info format="moodle_auto_format">
      <text></text>
    </info>
    <idnumber></idnumber>
  </question>

<!-- question: 1  -->
  <question type="truefalse">
    <name>
      <text>Trái Đất</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Trái Đất quay quanh Mặt Trời.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>1.0000000</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <answer fraction="100" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html">
        <text>Chính xác.</text>
      </feedback>
    </answer>
    <answer fraction="0" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <tags>
      <tag><text>thiên văn</text>
</tag>
    </tags>
  </question>

</quiz>`);
  });

  it('a numerical question: answers with <tolerance>, then the unit fields of a question made in Moodle', () => {
    const xml = exportQuestions([{ type: 'numerical', name: 'Số', stem: 'x = ?', points: 0.5, options: [{ id: 'A', text: '2.5', fraction: 1, tolerance: 0.1 }] }]).body.toString('utf8');
    expect(xml).toContain(`    <defaultgrade>0.5000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <answer fraction="100" format="moodle_auto_format">
      <text>2.5</text>
      <feedback format="html">
        <text></text>
      </feedback>
      <tolerance>0.1</tolerance>
    </answer>
    <unitgradingtype>0</unitgradingtype>
    <unitpenalty>0.1000000</unitpenalty>
    <showunits>3</showunits>
    <unitsleft>0</unitsleft>
    <instructions format="html">
      <text></text>
    </instructions>
  </question>`);
  });
});

describe('Moodle XML round trip', () => {
  it('gives back the same structured questions for every type, Part II included', () => {
    const { reimported, questions } = roundTrip(VIETNAMESE_QUESTIONS);
    expect(reimported.errors).toEqual([]);
    expect(questions).toEqual(VIETNAMESE_QUESTIONS);
  });

  it('a question without a name is written with one made from its text, and comes back without one', () => {
    const nameless = VIETNAMESE_QUESTIONS.map(({ name: _name, ...question }) => question as Question);
    const { exported, reimported, questions } = roundTrip(nameless);
    expect(exported.body.toString('utf8')).toContain('<name>\n      <text>Hình nào là đồ thị của \\(y = x^2\\)?</text>\n    </name>');
    expect(exported.body.toString('utf8')).toContain('<name>\n      <text>Sông … chảy qua Hà Nội; … là số nguyên tố; \\(2^{10} = …\\);…</text>');
    expect(reimported.errors).toEqual([]);
    expect(questions).toEqual(nameless);
  });

  it.each([
    'nested_categories_with_questions.xml', 'old_format_file.xml', 'html_chars_in_idnumbers.xml', 'multianswer.xml',
    'sample_questions_with_old_image_tag.xml', 'multianswer-all-types.xml', 'vietnamese_bank.xml',
  ])('%s: import → export → import is stable', (name) => {
    const original = structured(importFixture(name).questions);
    const { reimported, questions } = roundTrip(original);
    expect(reimported.errors).toEqual([]);
    expect(questions).toEqual(original);
  });
});

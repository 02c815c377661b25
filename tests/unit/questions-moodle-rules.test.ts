import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportGift } from '../../src/questions/formats/gift/export.js';
import { importGift } from '../../src/questions/formats/gift/import.js';
import { exportMoodleXml } from '../../src/questions/formats/moodle-xml/export.js';
import { importMoodleXml } from '../../src/questions/formats/moodle-xml/import.js';
import type { ExportResult, ParseResult, Question, QuestionOption } from '../../src/questions/model.js';

/*
 * What Moodle 4.5's own importers compute from the files we write, and what ours make of the files
 * Moodle writes (issue 14). Moodle's rules are written out here from its source, not taken from
 * our code, so that a test fails when an exporter drifts from them; docs/questions/moodle-xml.md
 * and docs/questions/gift.md cite the source lines.
 */

const FIXTURES = path.resolve('tests/fixtures/questions');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const importXml = (bytes: Buffer) => importMoodleXml({ bytes, fileName: 'bank.xml' }) as ParseResult;
const importGiftText = (text: string | Buffer) => importGift({ bytes: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'), fileName: 'bank.gift' }) as ParseResult;
const toXml = (questions: Question[]) => exportMoodleXml(questions, { title: 'Ngân hàng' }) as ExportResult;
const toGift = (questions: Question[]) => exportGift(questions, { title: 'Ngân hàng' }) as ExportResult;
const codes = (report: ExportResult['report']) => report.map((issue) => [issue.item, issue.code]);

// question_bank::ensure_fraction_options_initialised (question/engine/bank.php): these, their
// negatives, 0, 1 and -1 are fraction_options_full().
const RAW_FRACTIONS = [0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05];
const FRACTION_OPTIONS_FULL = [0, 1, -1, ...RAW_FRACTIONS, ...RAW_FRACTIONS.map((f) => -f)];
// match_grade_options($gradeoptionsfull, $grade, 'error'): `abs($grade - $value) < 0.00001`, else false.
const moodleAccepts = (fraction: number) => FRACTION_OPTIONS_FULL.some((option) => Math.abs(fraction - option) < 0.00001);

// qtype_multianswer: ANSWER_START_REGEX '\{([0-9]*):(TYPE):', an empty weight is 1, and
// qtype_multianswer_extract_question adds each gap's weight to the question's defaultmark.
const gapWeights = (questionText: string) => [...questionText.matchAll(/\{([0-9]*):[A-Z_]+:/g)].map((m) => (m[1] === '' ? 1 : Number(m[1])));
const questionText = (xml: string) => /<questiontext format="html">\n\s*<text><!\[CDATA\[([\s\S]*?)\]\]><\/text>/.exec(xml)![1]!;
// qtype_multianswer_question::grade_response: the gaps' fractions weighted by their marks, over the sum of the marks.
const clozeFraction = (weights: number[], right: boolean[]) => weights.reduce((sum, w, i) => sum + (right[i] ? w : 0), 0) / weights.reduce((a, b) => a + b, 0);

/** The answer lines of the first GIFT answer block, as qformat_gift::readquestion sees them. */
function giftAnswers(gift: string): string[] {
  return /\{\n([\s\S]*?)\n\}/.exec(gift)![1]!.split('\n').map((line) => line.trim());
}
// qformat_gift::answerweightparser: the text between the two "%" divided by 100.
const giftWeight = (line: string) => Number(/^~%(-?[0-9.]+)%/.exec(line)?.[1] ?? (line.startsWith('=') ? 100 : 0)) / 100;
// qtype_multichoice_multi_question::grade_response: the chosen answers' fractions added, kept within 0…1.
const multiResponseFraction = (fractions: number[], chosen: boolean[]) => Math.min(Math.max(fractions.reduce((sum, f, i) => sum + (chosen[i] ? f : 0), 0), 0), 1);
// qtype_match_question::grade_response: right stems over all stems (pairs with an empty left side are distractors).
function matchingFraction(lines: string[], answers: (stem: string) => string): number {
  const pairs = lines.map((line) => line.slice(1).split(' -> ').map((side) => side.trim()) as [string, string]).filter(([stem]) => stem !== '');
  return pairs.filter(([stem, right]) => answers(stem) === right).length / pairs.length;
}

const statements = (truths: boolean[]): QuestionOption[] => truths.map((truth, i) => ({ id: 'abcd'[i]!, text: `Mệnh đề ${i + 1}.`, fraction: truth ? 1 : 0 }));
const partTwo = (truths: boolean[], points = 1): Question => ({ type: 'true_false_group', name: 'Phần II', stem: '<p>Cho hàm số \\(y = x^2\\).</p>', points, options: statements(truths) });

describe('1. Part II → Moodle XML: the gap weights Moodle adds up to the question\'s mark', () => {
  it('a 4-point item keeps its points: four gaps of weight 1, no <defaultgrade> needed', () => {
    const { body, report } = toXml([partTwo([true, false, true, true], 4)]);
    const xml = body.toString('utf8');
    expect(gapWeights(questionText(xml))).toEqual([1, 1, 1, 1]);
    expect(xml).not.toContain('<defaultgrade>');
    expect(codes(report)).toEqual([[1, 'MOODLE_TRUE_FALSE_GROUP']]);
    expect(importXml(body).questions[0]).toMatchObject({ type: 'true_false_group', points: 4 });
  });

  it('an 8-point item: weight 2 per statement, Moodle\'s mark 8', () => {
    const xml = toXml([partTwo([true, true, false, false], 8)]).body.toString('utf8');
    expect(gapWeights(questionText(xml))).toEqual([2, 2, 2, 2]);
  });

  it('a 1-point item cannot be 1 point in Moodle (whole weights only): reported with Moodle\'s 4, Hoclieu keeps 1', () => {
    const { body, report } = toXml([partTwo([true, false, true, true])]);
    const xml = body.toString('utf8');
    const weights = gapWeights(questionText(xml));
    expect(weights.reduce((a, b) => a + b, 0)).toBe(4);
    expect(codes(report)).toEqual([[1, 'MOODLE_TRUE_FALSE_GROUP'], [1, 'MOODLE_CLOZE_POINTS']]);
    expect(report[1]!.message).toContain('trong Moodle câu này được 4 điểm thay cho 1');
    // Moodle ignores it (qformat_xml::import_multianswer never reads it); our importer reads it.
    expect(xml).toContain('<defaultgrade>1.0000000</defaultgrade>');
    expect(importXml(body).questions[0]).toMatchObject({ type: 'true_false_group', points: 1 });
  });

  it('reports Moodle\'s linear shares for 4, 3, 2, 1 right statements against the 2025 scale', () => {
    const { body, report } = toXml([partTwo([true, false, true, true])]);
    const weights = gapWeights(questionText(body.toString('utf8')));
    const shares = [4, 3, 2, 1].map((right) => clozeFraction(weights, weights.map((_, i) => i < right)));
    expect(shares).toEqual([1, 0.75, 0.5, 0.25]);
    expect(report[0]!.message).toContain('đúng 4/3/2/1 ý được 1 / 0,75 / 0,5 / 0,25 số điểm, không theo được thang điểm 2025 (1 / 0,5 / 0,25 / 0,1)');
  });
});

describe('2. Part II with every statement false → GIFT, in a form Moodle grades right', () => {
  const allFalse = partTwo([false, false, false, false]);

  it('is written as matching ("=" and "->", no "~"): answering Sai four times earns full marks', () => {
    const { body, report } = toGift([allFalse]);
    const lines = giftAnswers(body.toString('utf8'));
    // qformat_gift::readquestion: "~" would make it multichoice; "=" with "->" is matching.
    expect(lines.some((line) => line.includes('~'))).toBe(false);
    expect(lines.every((line) => line.startsWith('=') && line.includes(' -> '))).toBe(true);
    expect(lines).toContain('= -> Đúng');
    expect(matchingFraction(lines, () => 'Sai')).toBe(1);
    expect(matchingFraction(lines, (stem) => (stem.startsWith('a)') ? 'Đúng' : 'Sai'))).toBe(0.75);
    expect(codes(report)).toEqual([[1, 'GIFT_TRUE_FALSE_GROUP'], [1, 'GIFT_TRUE_FALSE_GROUP_ALL_FALSE']]);
    expect(report.map((i) => i.message).join(' ')).not.toContain('từ chối');
    expect(report[1]!.message).toContain('Moodle vẫn nhập câu nhưng chấm mọi bài 0 điểm');
  });

  it('comes back into Hoclieu as the same Part II item', () => {
    const [question] = importGiftText(toGift([allFalse]).body).questions;
    expect(question).toMatchObject({ type: 'true_false_group', stem: allFalse.stem, options: allFalse.options });
    expect(question!.tags).toBeUndefined();
  });

  it('a mixed item stays multiple-response: its weights are on Moodle\'s list and ticking the true statements earns full marks', () => {
    const lines = giftAnswers(toGift([partTwo([true, false, true, true])]).body.toString('utf8'));
    const fractions = lines.map(giftWeight);
    expect(fractions.every(moodleAccepts)).toBe(true);
    expect(multiResponseFraction(fractions, [true, false, true, true])).toBeCloseTo(1, 6);
    expect(multiResponseFraction(fractions, [false, false, false, false])).toBe(0);
  });
});

describe('3. GIFT grades on Moodle\'s list of fractions', () => {
  const thirds: Question = {
    type: 'multiple_response', stem: 'Chọn các số nguyên tố.', points: 1,
    options: [{ id: '1', text: '2', fraction: 0.33 }, { id: '2', text: '3', fraction: 0.33 }, { id: '3', text: '5', fraction: 0.34 }, { id: '4', text: '4', fraction: -1 }],
  };

  it('33/33/34 % become 33.33333 % each: every grade accepted, right answers adding up to 100 %', () => {
    const { body, report } = toGift([thirds]);
    const lines = giftAnswers(body.toString('utf8'));
    expect(lines.map((line) => /^~%(-?[0-9.]+)%/.exec(line)![1])).toEqual(['33.33333', '33.33333', '33.33333', '-100']);
    const fractions = lines.map(giftWeight);
    expect(fractions.every(moodleAccepts)).toBe(true);
    // qtype_multichoice::save_question_options: round($totalfraction, 2) must be 1.
    expect(Math.round(fractions.filter((f) => f > 0).reduce((a, b) => a + b, 0) * 100) / 100).toBe(1);
    expect(codes(report)).toEqual([[1, 'GIFT_GRADE_ROUNDED'], [1, 'GIFT_GRADE_ROUNDED'], [1, 'GIFT_GRADE_ROUNDED']]);
    expect(report[2]!.message).toBe('Phương án 3: điểm 34% không có trong danh sách điểm Moodle cho phép (Moodle sẽ từ chối cả tệp), đã làm tròn thành 33.33333%.');
    expect(importGiftText(body).errors).toEqual([]);
  });

  it('partial credit of single-answer, short-answer and numerical questions too', () => {
    const { body, report } = toGift([
      { type: 'multiple_choice', stem: 'Một đáp án', points: 1, options: [{ id: '1', text: 'a', fraction: 1 }, { id: '2', text: 'b', fraction: 0.35 }] },
      { type: 'short_answer', stem: 'Thủ đô', points: 1, options: [{ id: '1', text: 'Hà Nội', fraction: 1 }, { id: '2', text: 'Ha Noi', fraction: 0.42 }] },
      { type: 'numerical', stem: 'Số pi', points: 1, options: [{ id: '1', text: '3.14', fraction: 1, tolerance: 0.01 }, { id: '2', text: '3', fraction: 0.15, tolerance: 0 }] },
    ]);
    const percents = [...body.toString('utf8').matchAll(/%(-?[0-9.]+)%/g)].map((m) => m[1]!);
    expect(percents).toEqual(['33.33333', '40', '14.28571']);
    expect(percents.map((p) => Number(p) / 100).every(moodleAccepts)).toBe(true);
    expect(codes(report)).toEqual([[1, 'GIFT_GRADE_ROUNDED'], [2, 'GIFT_GRADE_ROUNDED'], [3, 'GIFT_GRADE_ROUNDED']]);
  });
});

describe('4. ID numbers, both ways', () => {
  it('reads Moodle\'s <idnumber> (entities decoded) as the item id', () => {
    const { questions } = importXml(fixture('moodle-xml/moodle_categories_idnumbers.xml'));
    expect(questions.map((q) => q.source.itemId)).toEqual(['T6-001', 'T6&7-C1 <a>', 'T6-001']);
  });

  it('writes <idnumber> escaped as htmlspecialchars does; a repeat within one topic is left out and reported', () => {
    const question = (idNumber: string, topic?: string): Question => ({ type: 'essay', stem: `Câu ${idNumber}`, points: 1, options: [], idNumber, ...(topic ? { topic } : {}) });
    const { body, report } = toXml([question('T6&7-C1 <a>', 'Đại số'), question('A-1', 'Đại số'), question('A-1', 'Đại số'), question('A-1', 'Hình học')]);
    const idNumbers = [...body.toString('utf8').matchAll(/<question type="essay">[\s\S]*?<idnumber>(.*?)<\/idnumber>/g)].map((m) => m[1]);
    expect(idNumbers).toEqual(['T6&amp;7-C1 &lt;a&gt;', 'A-1', '', 'A-1']);
    expect(codes(report)).toEqual([[3, 'MOODLE_IDNUMBER_DUPLICATE']]);
    expect(report[0]!.message).toContain('"A-1" đã dùng cho câu 2 cùng chủ đề');
    expect(importXml(body).questions.map((q) => q.source.itemId)).toEqual(['T6&7-C1 <a>', 'A-1', undefined, 'A-1']);
  });

  it('GIFT: `[id:…]` first in the comment as qformat_gift writes it, "]" escaped; a repeat in the same category left out', () => {
    const question = (idNumber: string, topic?: string): Question => ({ type: 'essay', stem: `Câu ${idNumber}`, points: 1, options: [], idNumber, cognitiveLevel: 'nhan-biet', ...(topic ? { topic } : {}) });
    // The third has no topic of its own: GIFT puts it in the category of the line before, beside the first.
    const { body, report } = toGift([question('HH-03]b', 'Hình học'), question('X', 'Đại số'), question('X')]);
    const text = body.toString('utf8');
    expect(text).toContain('// [id:HH-03\\]b] [tag:nhan-biet]\n[html]Câu HH-03]b{}');
    expect(text.match(/\[id:X\]/g)).toHaveLength(1);
    expect(codes(report)).toEqual([[3, 'GIFT_TOPIC_INHERITED'], [3, 'GIFT_IDNUMBER_DUPLICATE']]);
    expect(importGiftText(body).questions.map((q) => q.source.itemId)).toEqual(['HH-03]b', 'X', undefined]);
  });

  it('GIFT: a line break in an id or tag cannot end the comment and spill into the question', () => {
    const { body } = toGift([{ type: 'essay', stem: 'Câu', points: 1, options: [], idNumber: 'A\n::B::{', tags: ['x\ny'] }]);
    expect(body.toString('utf8')).toContain('// [id:A ::B::{] [tag:x y]\n[html]Câu{}');
    expect(importGiftText(body).questions).toMatchObject([{ type: 'essay', stem: 'Câu', tags: ['x y'], source: { itemId: 'A ::B::{' } }]);
  });

  it('reads the ids of Moodle\'s own GIFT export', () => {
    expect(importGiftText(fixture('gift/moodle/pluginfile_images.gift.txt')).questions.map((q) => q.source.itemId)).toEqual(['HH-02', 'HH-03]b']);
  });
});

describe('5. Category names holding "/"', () => {
  // qformat_default::split_category_path: preg_split('~(?<!/)/(?!/)~'), then '//' → '/' and trim.
  const moodleNames = (categoryPath: string) => categoryPath.split(/(?<!\/)\/(?!\/)/).map((name) => name.replaceAll('//', '/').trim());

  it('reads "Toán 6//7" as one name, and writes it back escaped', () => {
    const { questions } = importXml(fixture('moodle-xml/moodle_categories_idnumbers.xml'));
    expect(questions.map((q) => q.topic)).toEqual([undefined, 'Toán 6//7/Chương 1', 'Hình học/Góc //2 tia']);
    const xml = toXml(questions).body.toString('utf8');
    const paths = [...xml.matchAll(/<category>\n\s*<text>(.*?)<\/text>/g)].map((m) => m[1]!);
    expect(paths).toEqual(['$course$/top/Toán 6//7/Chương 1', '$course$/top/Hình học/Góc //2 tia']);
    expect(moodleNames(paths[0]!)).toEqual(['$course$', 'top', 'Toán 6/7', 'Chương 1']);
  });

  it('GIFT $CATEGORY the same way, names that begin or end with "/" padded with a space as Moodle does', () => {
    const { body } = toGift([{ type: 'essay', stem: 'Câu', points: 1, options: [], topic: ' //x/y// /Toán 6//7' }]);
    const line = body.toString('utf8').split('\n').find((l) => l.startsWith('$CATEGORY:'))!;
    expect(line).toBe('$CATEGORY: $course$/top/ //x/y// /Toán 6//7');
    expect(moodleNames(line.slice('$CATEGORY:'.length).trim())).toEqual(['$course$', 'top', '/x', 'y/', 'Toán 6/7']);
    expect(importGiftText(body).questions[0]!.topic).toBe(' //x/y// /Toán 6//7');
  });
});

describe('6. Moodle\'s GIFT export of questions with pictures', () => {
  it('imports the question and warns that the @@PLUGINFILE@@ pictures have no bytes in the file', () => {
    const result = importGiftText(fixture('gift/moodle/pluginfile_images.gift.txt'));
    expect(result.errors).toEqual([]);
    expect(result.questions.map((q) => q.topic)).toEqual(['Toán 6//7', 'Toán 6//7']);
    expect(result.questions[0]!.assets).toBeUndefined();
    expect(result.warnings).toEqual([{ item: 1, line: 7, itemId: 'HH-02', code: 'GIFT_PLUGINFILE_MISSING', message: expect.stringContaining('ảnh "tam giác.png", "goi-y.png" (@@PLUGINFILE@@) không có trong tệp') }]);
  });
});

describe('Moodle\'s "Default for …" category', () => {
  it('is dropped from topics in English and in Moodle\'s Vietnamese ("Mặc định cho …"), only as the first level', () => {
    const { questions } = importXml(fixture('moodle-xml/moodle_categories_idnumbers.xml'));
    expect(questions.map((q) => q.topic)).toEqual([undefined, 'Toán 6//7/Chương 1', 'Hình học/Góc //2 tia']);
    const gift = importGiftText('$CATEGORY: $course$/top/Toán/Default for Toán 6\n\nCâu{}\n\n$CATEGORY: $course$/top/Default formula\n\nCâu{}\n');
    expect(gift.questions.map((q) => q.topic)).toEqual(['Toán/Default for Toán 6', 'Default formula']);
  });
});

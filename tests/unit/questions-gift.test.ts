import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/core/text.js';
import { exportGift } from '../../src/questions/formats/gift/export.js';
import { importGift, looksLikeGift, parseGift } from '../../src/questions/formats/gift/import.js';
import { detectFormat } from '../../src/questions/formats/index.js';
import { TRUE_FALSE_GROUP_TAG } from '../../src/questions/formats/conventions.js';
import type { ExportResult, ParseResult, Question, QuestionOption } from '../../src/questions/model.js';

const FIXTURES = path.resolve('tests/fixtures/questions/gift');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const importFixture = (name: string) => importGift({ bytes: fixture(name), fileName: path.basename(name) }) as ParseResult;
const exportQuestions = (questions: Question[]) => exportGift(questions, { title: 'Ngân hàng thử' }) as ExportResult;
const reimport = (exported: ExportResult) => importGift({ bytes: exported.body, fileName: 'bank.gift' }) as ParseResult;
const types = (result: ParseResult) => result.questions.map((q) => q.type);

/** What a question is, without where it came from: what a round trip must keep. */
const structure = ({ source: _source, item: _item, ...question }: Question & { source?: unknown; item?: number }) => question;

describe('GIFT import: Moodle\'s own fixtures', () => {
  it('reads questions.gift.txt: nine questions of every GIFT type, stray `";` tolerated', () => {
    const result = importFixture('moodle/questions.gift.txt');
    expect(result.errors).toEqual([]);
    expect(types(result)).toEqual(['essay', 'matching', 'multiple_choice', 'multiple_response', 'numerical', 'short_answer', 'true_false', 'true_false', 'true_false']);
    const [essay, matching, choice, response, numerical, short, tf, t, tTrue] = result.questions;
    expect(essay).toMatchObject({ name: 'Q8', stem: 'How are you?', options: [], points: 1, source: { format: 'gift', line: 2 } });

    expect(matching!.stem).toBe('Match the <b>activity</b> to the description.');
    expect(matching!.options.map((o) => [o.text, o.match, o.fraction])).toEqual([
      ['An activity supporting asynchronous discussions.', 'Forum', 1],
      ['A teacher asks a question and specifies a choice of multiple responses.', 'Choice', 1],
      ['A bank of record entries which participants can add to.', 'Database', 1],
      ['A collection of web pages that anyone can add to or edit.', 'Wiki', 1],
      ['', 'Chat', 0],
    ]);

    expect(choice).toMatchObject({ name: 'Q2', stem: 'What\'s between orange and green in the spectrum?', source: { line: 14 } });
    expect(choice!.options.map((o) => [o.text, o.fraction, o.feedback])).toEqual([
      ['yellow', 1, 'right; good!'], ['red', 0, 'wrong, it\'s yellow'], ['blue', 0, 'wrong, it\'s yellow'],
    ]);
    expect(response!.options.map((o) => [o.text, o.fraction, o.feedback])).toEqual([
      ['yellow', 0.5, 'right; good!'], ['red', -1, 'wrong'], ['off-beige', 0.5, 'right; good!'], ['blue', -1, 'wrong'],
    ]);

    // {#3:2~#Completely wrong}";  — value 3 ± 2, and feedback for any other number.
    expect(numerical!.options).toEqual([
      { id: '1', text: '3', tolerance: 2, fraction: 1 },
      { id: '2', text: '*', fraction: 0, feedback: 'Completely wrong' },
    ]);
    expect(short!.options.map((o) => [o.text, o.fraction, o.feedback])).toEqual([
      ['Frog', 1, 'Good!'], ['Cat', 0.5, 'What is it with Moodlers and cats?'], ['*', 0, 'Completely wrong'],
    ]);

    // {FALSE#wrong-answer feedback#right-answer feedback ####general}
    expect(tf).toMatchObject({
      stem: '42 is the Absolute Answer to everything.',
      generalFeedback: 'This is, of course, a Hitchiker\'s Guide to the Galaxy reference.',
      options: [
        { id: 'true', fraction: 0, feedback: '42 is the Ultimate Answer.' },
        { id: 'false', fraction: 1, feedback: 'You gave the right answer.' },
      ],
    });
    for (const question of [t!, tTrue!]) {
      expect(question).toMatchObject({ name: '2-08 TSL', stem: 'TSL is blablabla.' });
      expect(question.options.map((o) => [o.id, o.fraction])).toEqual([['true', 1], ['false', 0]]);
    }
  });

  it('reads questions_in_category.gift.txt: Moodle\'s "Default for …" category is no topic, \\= and \\: escapes inside HTML', () => {
    const result = importFixture('moodle/questions_in_category.gift.txt');
    expect(result.errors).toEqual([]);
    expect(types(result)).toEqual(['matching', 'multiple_choice', 'short_answer', 'true_false']);
    expect(result.questions.map((q) => q.topic)).toEqual([undefined, undefined, undefined, undefined]);
    expect(result.questions[1]!.stem).toBe('<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this greeting:</a><br /><br />What language is being spoken?');
    expect(result.questions[1]!.options.map((o) => [o.text, o.fraction])).toEqual([['English', 0], ['French', 1], ['German', 0], ['Spanish', 0]]);
    // "=%100%Moodler#": an empty feedback is no feedback.
    expect(result.questions[2]!.options).toEqual([{ id: '1', text: 'Moodler', fraction: 1 }]);
    expect(result.questions[3]!.stem).toContain('<span style="font-style: italic;">');
  });
});

// gift-pegjs's expected parses, in that project's schema, turned into ours: the same questions,
// names, texts (plain text escaped into HTML as we do), fractions, feedback and general feedback.
// Descriptions and categories are not questions. Missing-word questions are our one-gap cloze.
type PegText = { format: string; text: string } | null;
type PegNumber = { type: 'simple'; number: number } | { type: 'range'; number: number; range: number } | { type: 'high-low'; numberHigh: number; numberLow: number };
interface PegChoice { isCorrect: boolean; weight: number | null; text: PegText | PegNumber; feedback: PegText }
interface PegQuestion {
  type: string; title: string | null; stem: { format: string; text: string }; hasEmbeddedAnswers: boolean; globalFeedback: PegText;
  choices?: PegChoice[] | PegNumber; matchPairs?: Array<{ subquestion: { format: string; text: string }; subanswer: string }>;
  isTrue?: boolean; trueFeedback?: PegText; falseFeedback?: PegText; tags?: string[] | null; id?: string | null;
}

const asHtml = (text: PegText) => {
  if (!text) return undefined;
  const trimmed = text.text.trim();
  const html = text.format === 'html' ? trimmed : trimmed.split('\n').map((line) => escapeHtml(line.trim())).join('<br>');
  return html || undefined;
};
const withFeedback = (option: QuestionOption, feedback: PegText) => {
  const html = asHtml(feedback);
  return html ? { ...option, feedback: html } : option;
};
const numberOption = (value: PegNumber, id: string, fraction: number): QuestionOption => {
  if (value.type === 'high-low') {
    return { id, text: String(Number(((value.numberLow + value.numberHigh) / 2).toPrecision(12))), tolerance: Number(((value.numberHigh - value.numberLow) / 2).toPrecision(12)), fraction };
  }
  return { id, text: String(value.number), tolerance: value.type === 'range' ? value.range : 0, fraction };
};
const choiceFraction = (choice: PegChoice, otherwise: number) => (choice.weight !== null ? Number((choice.weight / 100).toPrecision(12)) : choice.isCorrect ? 1 : otherwise);

// gift-pegjs joins the lines of a plain text with spaces (and pads the blank of a missing-word
// question with them); we keep Moodle's rendering, a <br> per line break. Compared loosely.
const loose = <T>(value: T): T => JSON.parse(JSON.stringify(value), (_, v: unknown) => (typeof v === 'string'
  ? v.replace(/<br>/g, ' ').replace(/\s*\{#1\}\s*/g, '{#1}').replace(/\s+/g, ' ')
  : v)) as T;

interface Expected { type: string; name?: string; stem: string; options: QuestionOption[]; generalFeedback?: string; parts?: unknown[]; itemId?: string; tags?: string[] }

function fromPegjs(q: PegQuestion): Expected | null {
  if (q.type === 'Category' || q.type === 'Description') return null;
  let type: string;
  let options: QuestionOption[] = [];
  const choices = Array.isArray(q.choices) ? q.choices : [];
  switch (q.type) {
    case 'MC': {
      const single = choices.some((c) => c.isCorrect);
      type = single ? 'multiple_choice' : 'multiple_response';
      options = choices.map((c, i) => withFeedback({ id: String(i + 1), text: asHtml(c.text as PegText) ?? '', fraction: choiceFraction(c, 0) }, c.feedback));
      break;
    }
    case 'Short':
      type = 'short_answer';
      options = choices.map((c, i) => withFeedback({ id: String(i + 1), text: (c.text as { text: string }).text.trim(), fraction: choiceFraction(c, 1) }, c.feedback));
      break;
    case 'Numerical':
      type = 'numerical';
      options = Array.isArray(q.choices)
        ? choices.map((c, i) => ('type' in (c.text as object)
          ? withFeedback(numberOption(c.text as PegNumber, String(i + 1), choiceFraction(c, 1)), c.feedback)
          : withFeedback({ id: String(i + 1), text: '*', fraction: 0 }, c.feedback)))
        : [numberOption(q.choices as PegNumber, '1', 1)];
      break;
    case 'Matching':
      type = 'matching';
      options = q.matchPairs!.map((p, i) => {
        const left = asHtml(p.subquestion) ?? '';
        return { id: String(i + 1), text: left, match: p.subanswer, fraction: left ? 1 : 0 };
      });
      break;
    case 'TF': {
      type = 'true_false';
      // Positional: the first feedback is for the wrong verdict, the second for the right one (Moodle).
      const wrong = asHtml(q.trueFeedback ?? null);
      const right = asHtml(q.falseFeedback ?? null);
      const verdict = (isTrueOption: boolean) => (isTrueOption === q.isTrue ? right : wrong);
      options = [
        { id: 'true', text: 'Đúng', fraction: q.isTrue ? 1 : 0, ...(verdict(true) ? { feedback: verdict(true) } : {}) },
        { id: 'false', text: 'Sai', fraction: q.isTrue ? 0 : 1, ...(verdict(false) ? { feedback: verdict(false) } : {}) },
      ];
      break;
    }
    case 'Essay':
      type = 'essay';
      break;
    default:
      throw new Error(`unknown gift-pegjs type ${q.type}`);
  }
  const stem = asHtml(q.stem) ?? '';
  const common = {
    ...(q.title ? { name: q.title } : {}), ...(asHtml(q.globalFeedback) ? { generalFeedback: asHtml(q.globalFeedback) } : {}),
    ...(q.id ? { itemId: q.id } : {}), ...(q.tags?.length ? { tags: q.tags } : {}),
  };
  if (q.hasEmbeddedAnswers) {
    return { ...common, type: 'cloze', stem: stem.replace(/\s*_____\s*/, (gap) => gap.replace('_____', '{#1}')), options: [], parts: [{ type, weight: 1, options }] };
  }
  return { ...common, type, stem, options };
}

const PEGJS_FILES = fs.readdirSync(path.join(FIXTURES, 'gift-pegjs')).filter((f) => f.endsWith('.gift')).sort();

describe('GIFT import: the 51 samples of gift-pegjs, against their expected parses', () => {
  it('has all 51 samples', () => expect(PEGJS_FILES).toHaveLength(51));

  it.each(PEGJS_FILES)('%s', (file) => {
    const result = importFixture(`gift-pegjs/${file}`);
    const expected = (JSON.parse(fixture(`gift-pegjs/${file.replace(/\.gift$/, '.json')}`).toString('utf8')) as PegQuestion[])
      .map(fromPegjs).filter((q): q is Expected => q !== null);
    expect(result.errors).toEqual([]);
    expect(result.questions.map((q) => q.type)).toEqual(expected.map((q) => q.type));
    expect(result.questions.map((q) => [q.name, q.source.itemId, q.tags])).toEqual(expected.map((q) => [q.name, q.itemId, q.tags]));
    const ours = loose(result.questions.map(({ type, stem, options, parts, generalFeedback }) => ({ type, stem, options, parts, generalFeedback })));
    const theirs = loose(expected.map(({ type, stem, options, parts, generalFeedback }) => ({ type, stem, options, parts, generalFeedback })));
    expect(ours).toEqual(theirs);
  });
});

describe('GIFT import: Vietnamese banks', () => {
  it('reads categories, levels, points, LaTeX and MathML, a Part II item and a missing-word question', () => {
    const result = importFixture('vietnamese/toan-vat-ly.gift');
    expect(result.errors).toEqual([]);
    // The description paragraph ("Phần I. …") is not a question and takes no item number.
    expect(types(result)).toEqual(['multiple_choice', 'true_false_group', 'numerical', 'numerical', 'true_false', 'multiple_response', 'cloze', 'matching', 'essay', 'multiple_choice']);
    expect(result.questions.map((q) => q.item)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result.questions.map((q) => q.source.line)).toEqual([10, 20, 28, 31, 37, 39, 49, 51, 58, 65]);
    expect(result.questions.map((q) => q.topic)).toEqual([
      ...Array(6).fill('Toán 12/Chương 1: Ứng dụng đạo hàm'), ...Array(3).fill('Địa lí/Việt Nam'), 'Vật lý 12/Dao động cơ',
    ]);
    const [c1, c2, c3, c4, c5, primes, capital, matching, essay, pendulum] = result.questions;

    expect(c1).toMatchObject({
      name: 'Câu 1', points: 0.25, cognitiveLevel: 'nhan-biet', tags: ['đạo hàm'], source: { format: 'gift', itemId: 'T12-C1-01' },
      // Braces and "=" inside \( \) are the formula's, not GIFT's.
      stem: 'Đạo hàm của hàm số \\(y = x^{2}\\) là',
      generalFeedback: 'Áp dụng công thức \\((x^n)\' = n x^{n-1}\\).',
    });
    expect(c1!.options.map((o) => [o.text, o.fraction, o.feedback])).toEqual([
      ['\\(y\' = 2x\\)', 1, 'Đúng: \\((x^n)\' = n x^{n-1}\\).'],
      ['\\(y\' = x\\)', 0, 'Sai hệ số.'],
      ['\\(y\' = 2\\)', 0, undefined],
      ['\\(y\' = \\frac{x^{3}}{3}\\)', 0, 'Đó là một nguyên hàm.'],
    ]);

    // The Part II tag gives the item back its type; it is not kept as a tag.
    expect(c2).toMatchObject({ type: 'true_false_group', cognitiveLevel: 'thong-hieu', stem: 'Cho hàm số $f(x) = x^3 - 3x$. Xét tính đúng sai của các mệnh đề sau:' });
    expect(c2!.tags).toBeUndefined();
    expect(c2!.options.map((o) => [o.id, o.text, o.fraction])).toEqual([
      ['a', '$f\'(x) = 3x^2 - 3$', 1], ['b', 'Hàm số đồng biến trên khoảng $(-1; 1)$', 0], ['c', '$f(1) = -2$', 1], ['d', 'Giá trị cực đại của hàm số bằng $-2$', 0],
    ]);

    expect(c3).toMatchObject({ points: 0.5, cognitiveLevel: 'van-dung', stem: 'Giá trị lớn nhất của hàm số $y = -x^2 + 4x$ trên $\\mathbb{R}$ bằng bao nhiêu?', options: [{ text: '4', tolerance: 0, fraction: 1 }] });
    // Decimal commas, as Vietnamese teachers write them; plain text escaped even inside LaTeX.
    expect(c4!.stem).toContain('$x &gt; 0$');
    expect(c4!.options).toEqual([
      { id: '1', text: '2.5', tolerance: 0.005, fraction: 1, feedback: 'Chính xác.' },
      { id: '2', text: '2.5', tolerance: 0.1, fraction: 0.5, feedback: 'Gần đúng.' },
      { id: '3', text: '*', fraction: 0, feedback: 'Xem lại cách khai căn.' },
    ]);
    expect(c5).toMatchObject({
      generalFeedback: '$\\pi \\approx 3{,}14159$ không viết được dưới dạng phân số.',
      options: [{ id: 'true', fraction: 0, feedback: 'Sai rồi: $\\pi$ là số vô tỉ.' }, { id: 'false', fraction: 1, feedback: 'Chính xác.' }],
    });
    expect(primes!.options.map((o) => [o.text, o.fraction, o.feedback])).toEqual([['2', 0.5, 'Đúng.'], ['3', 0.5, undefined], ['4', -1, '4 = 2 · 2.'], ['9', -1, undefined]]);

    expect(capital).toMatchObject({ type: 'cloze', stem: 'Thủ đô của Việt Nam là {#1}.', options: [], cognitiveLevel: 'nhan-biet' });
    expect(capital!.parts).toEqual([{ type: 'short_answer', weight: 1, options: [
      { id: '1', text: 'Hà Nội', fraction: 1 }, { id: '2', text: 'Ha Noi', fraction: 0.5, feedback: 'Nhớ viết có dấu.' },
    ] }]);
    expect(matching!.options.map((o) => [o.text, o.match, o.fraction])).toEqual([
      ['Lào Cai', 'Trung du và miền núi phía Bắc', 1], ['Cà Mau', 'Đồng bằng sông Cửu Long', 1], ['Đắk Lắk', 'Tây Nguyên', 1], ['', 'Đông Nam Bộ', 0],
    ]);
    expect(essay).toMatchObject({ stem: '<p>Trình bày <b>đặc điểm</b> khí hậu nhiệt đới ẩm gió mùa của Việt Nam.</p>', generalFeedback: '<p>Gợi ý: nhiệt độ, lượng mưa, hai mùa gió.</p>', options: [] });
    expect(pendulum!.stem).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>T</mi><mo>=</mo><mn>2</mn><mi>π</mi><msqrt><mfrac><mi>l</mi><mi>g</mi></mfrac></msqrt></math>');
    expect(pendulum!.options.map((o) => o.fraction)).toEqual([1, 0, 0, 0]);
  });

  it('turns NFD text (macOS) into NFC, categories and tags included', () => {
    const bytes = fixture('vietnamese/nfd.gift');
    expect(bytes.toString('utf8')).not.toBe(bytes.toString('utf8').normalize('NFC'));
    const { questions, errors } = importFixture('vietnamese/nfd.gift');
    expect(errors).toEqual([]);
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatchObject({
      name: 'Tác giả', stem: 'Tác giả bài thơ &quot;Việt Bắc&quot; là', topic: 'Ngữ văn 12/Thơ hiện đại', tags: ['nhận biết'],
      options: [{ text: 'Tố Hữu', fraction: 1 }, { text: 'Xuân Diệu', fraction: 0 }, { text: 'Huy Cận', fraction: 0 }, { text: 'Chế Lan Viên', fraction: 0 }],
    });
    expect(questions[0]!.topic).toBe('Ngữ văn 12/Thơ hiện đại'.normalize('NFC'));
  });

  it('decodes UTF-16 with a BOM and legacy Windows-1258', () => {
    const text = '$CATEGORY: Lịch sử\n\nNăm 1945 nước ta giành độc lập.{T}\n';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect((importGift({ bytes: utf16, fileName: 'a.gift' }) as ParseResult).questions[0]).toMatchObject({ topic: 'Lịch sử', stem: 'Năm 1945 nước ta giành độc lập.', type: 'true_false' });
    // "Tiếng Việt" in Windows-1258: base letters with combining tone marks (0xEC = ◌́, 0xF2 = ◌̣).
    const cp1258 = Buffer.from([0x54, 0x69, 0xea, 0xec, 0x6e, 0x67, 0x20, 0x56, 0x69, 0xea, 0xf2, 0x74, 0x7b, 0x7d]);
    expect((importGift({ bytes: cp1258, fileName: 'b.gift' }) as ParseResult).questions[0]).toMatchObject({ type: 'essay', stem: 'Tiếng Việt' });
  });

  it('reports each broken question with its line and code, and keeps the good ones', () => {
    const { questions, errors } = importFixture('vietnamese/loi-cu-phap.gift');
    expect(questions.map((q) => [q.item, q.stem, q.source.line])).toEqual([[1, 'Câu tốt đầu tiên', 2], [14, 'Câu tốt cuối cùng', 33]]);
    expect(questions[1]!.source.itemId).toBe('cuoi');
    expect(errors.map((e) => [e.item, e.line, e.code])).toEqual([
      [2, 4, 'GIFT_BRACES'],
      [3, 6, 'GIFT_MULTIPLE_BLOCKS'],
      [4, 9, 'GIFT_WEIGHTS_SUM'],
      [5, 14, 'GIFT_NOT_A_NUMBER'],
      [6, 16, 'GIFT_NO_CORRECT_ANSWER'],
      [7, 18, 'GIFT_BAD_WEIGHT'],
      [8, 20, 'GIFT_MATCHING_SYNTAX'],
      [9, 22, 'GIFT_SYNTAX'],
      [10, 24, 'GIFT_EMPTY_STEM'],
      [11, 26, 'GIFT_BRACES'],
      [12, 28, 'GIFT_BRACES'],
      [13, 30, 'GIFT_TOO_FEW_ANSWERS'],
    ]);
    for (const error of errors) expect(error.message).toMatch(new RegExp(`^Dòng ${error.line}: `));
    expect(errors[0]!.message).toContain('không đóng bằng "}"');
    expect(errors[2]!.message).toContain('70%');
    expect(errors[3]!.message).toContain('"mười" không phải một số');
    expect(errors[6]!.message).toContain('"Huế"');
    expect(errors[9]!.message).toContain('dấu "}" mà không có "{"');
    expect(errors[10]!.message).toContain('lồng');
  });
});

describe('GIFT import: text formats, escapes and comments', () => {
  it('escapes [plain], [moodle] and [markdown] text into HTML with <br> line breaks, and passes [html] through', () => {
    const { questions } = parseGift([
      '[plain]a < b & "c"\ndòng hai{}',
      '[moodle]x\\ny{}',
      '[markdown]**đậm** <i>{}',
      '[html]<p>a\\nb</p>{}',
      'Không đánh dấu: <b>{}',
    ].join('\n\n'));
    expect(questions.map((q) => q.stem)).toEqual([
      'a &lt; b &amp; &quot;c&quot;<br>dòng hai', 'x<br>y', '**đậm** &lt;i&gt;', '<p>a\nb</p>', 'Không đánh dấu: &lt;b&gt;',
    ]);
  });

  it('reads every escape, keeps an unknown [marker] as text, and ignores // comments inside a question', () => {
    const { questions, errors } = parseGift([
      '::Ký hiệu \\: đặc biệt::[1; 2] chứa \\~ \\= \\# \\{ \\} \\: \\\\ và\\nxuống dòng{',
      '// chú thích giữa các phương án',
      '  =\\{a\\}#phản hồi \\# 1',
      '  ~b\\~c',
      '}',
    ].join('\n'));
    expect(errors).toEqual([]);
    expect(questions[0]).toMatchObject({ name: 'Ký hiệu : đặc biệt', stem: '[1; 2] chứa ~ = # { } : \\ và<br>xuống dòng' });
    expect(questions[0]!.options.map((o) => [o.text, o.feedback])).toEqual([['{a}', 'phản hồi # 1'], ['b~c', undefined]]);
  });

  it('turns a missing-word question into a one-gap cloze of the type its answers have', () => {
    const { questions } = parseGift('Nước sôi ở {#100:0} độ C.\n\nMặt trời mọc ở hướng {~Tây =Đông ~Bắc} mỗi sáng.\n\n::Hai đáp án:: {~%50%a ~%50%b ~c} là hai chữ cái.');
    expect(questions.map((q) => [q.type, q.stem, q.parts![0]!.type])).toEqual([
      ['cloze', 'Nước sôi ở {#1} độ C.', 'numerical'],
      ['cloze', 'Mặt trời mọc ở hướng {#1} mỗi sáng.', 'multiple_choice'],
      ['cloze', '{#1} là hai chữ cái.', 'multiple_response'],
    ]);
    // A true/false or matching block cannot be a gap: the blank stays visible in the stem.
    expect(parseGift('Hà Nội {T} là thủ đô.').questions[0]).toMatchObject({ type: 'true_false', stem: 'Hà Nội _____ là thủ đô.' });
  });

  it('reports a numerical block without an answer and a "::" title without its end', () => {
    const { questions, errors } = parseGift('Câu tốt {T}\n\n\nSố nào?\n{#}\n\n::Tên\\::chưa đóng {T}');
    expect(questions).toHaveLength(1);
    expect(errors.map((e) => [e.item, e.line, e.code])).toEqual([[2, 5, 'GIFT_NO_ANSWER'], [3, 7, 'GIFT_SYNTAX']]);
  });

    it('reads a points comment with a decimal comma, and the level from a tag', () => {
    const { questions } = parseGift('// [points:0,25] [tag:van-dung-cao] [tag:hình học]\nCâu?{=a ~b}');
    expect(questions[0]).toMatchObject({ points: 0.25, cognitiveLevel: 'van-dung-cao', tags: ['hình học'] });
  });
});

describe('GIFT detection', () => {
  it('recognises GIFT files, also through detectFormat, and not Aiken or XML', async () => {
    for (const name of ['moodle/questions.gift.txt', 'moodle/questions_in_category.gift.txt', 'vietnamese/toan-vat-ly.gift', 'vietnamese/nfd.gift', 'vietnamese/loi-cu-phap.gift']) {
      expect(looksLikeGift(fixture(name).toString('utf8'))).toBe(true);
      expect(await detectFormat(fixture(name))).toBe('gift');
    }
    const detected = PEGJS_FILES.filter((file) => looksLikeGift(fixture(`gift-pegjs/${file}`).toString('utf8')));
    // Only markdown.gift, four descriptions without a single answer block, is not recognisably GIFT.
    expect(PEGJS_FILES.filter((f) => !detected.includes(f))).toEqual(['markdown.gift']);
    expect(looksLikeGift('Thủ đô?\nA. Hà Nội\nB. Huế\nANSWER: A\n')).toBe(false);
    expect(looksLikeGift('<?xml version="1.0"?><quiz><question type="essay"/></quiz>')).toBe(false);
    expect(looksLikeGift('// {=chỉ trong chú thích}\nVăn bản thường.')).toBe(false);
  });
});

// A 1×1 PNG: the bytes a round trip must give back.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** One question of every type GIFT can express, written as our importer gives them back. */
const EVERY_TYPE: Question[] = [
  {
    type: 'multiple_choice', name: 'Câu 1: Hình tam giác', points: 0.25, cognitiveLevel: 'nhan-biet', topic: 'Toán 10/Hình học', tags: ['tam giác', 'đề {thi} #1'],
    stem: '<p>Tam giác trong hình <img src="@@ASSET@@/tam-giác.png" alt="hình"> có tổng ba góc bằng \\(180^{\\circ}\\) = ~ gì?</p>',
    generalFeedback: '<p>Định lí tổng ba góc: $A + B + C = 180^\\circ$.</p>',
    options: [
      { id: '1', text: '\\(180^{\\circ}\\)', fraction: 1, feedback: 'Đúng.' },
      { id: '2', text: '90°', fraction: 0, feedback: 'Xem lại hình <img src="@@ASSET@@/goc.png">' },
      { id: '3', text: '%360°', fraction: 0.5 },
      { id: '4', text: 'Không xác định: {a} = b # c ~ d \\ e', fraction: 0 },
    ],
    assets: [{ name: 'tam-giác.png', mime: 'image/png', bytes: PNG }, { name: 'goc.png', mime: 'image/png', bytes: Buffer.from(PNG).fill(7, 40, 41) }],
  },
  {
    type: 'true_false_group', name: 'Câu 2', points: 1, cognitiveLevel: 'thong-hieu', topic: 'Toán 10/Hình học',
    stem: 'Cho hàm số $f(x) = x^2$. Xét tính đúng sai:',
    options: [
      { id: 'a', text: '$f(0) = 0$', fraction: 1 }, { id: 'b', text: '$f$ nghịch biến trên $\\mathbb{R}$', fraction: 0 },
      { id: 'c', text: '$f(-1) = f(1)$', fraction: 1 }, { id: 'd', text: '$f(2) = 2$', fraction: 0, feedback: 'Vì $f(2) = 4$.' },
    ],
  },
  {
    type: 'multiple_response', points: 1, topic: 'Toán 10/Hình học', stem: 'Chọn các số chẵn.',
    options: [
      { id: '1', text: '2', fraction: 0.5 }, { id: '2', text: '4', fraction: 0.5, feedback: 'Đúng' },
      { id: '3', text: '3', fraction: -1 }, { id: '4', text: '5', fraction: -0.3333333 },
    ],
  },
  {
    type: 'true_false', points: 1, topic: 'Sinh học', stem: 'ADN có cấu trúc xoắn kép.', generalFeedback: 'Watson và Crick, 1953.',
    options: [{ id: 'true', text: 'Đúng', fraction: 1, feedback: 'Chính xác.' }, { id: 'false', text: 'Sai', fraction: 0, feedback: 'Xem lại bài 1.' }],
  },
  {
    type: 'true_false', points: 1, topic: 'Sinh học', stem: 'Virus là tế bào.',
    options: [{ id: 'true', text: 'Đúng', fraction: 0 }, { id: 'false', text: 'Sai', fraction: 1, feedback: 'Virus chưa có cấu tạo tế bào.' }],
  },
  {
    type: 'short_answer', points: 0.5, cognitiveLevel: 'van-dung', topic: 'Sinh học', stem: 'Bào quan tổng hợp protein là gì?',
    options: [
      { id: '1', text: 'ribôxôm', fraction: 1, feedback: 'Đúng.' }, { id: '2', text: 'ribosome', fraction: 1 },
      { id: '3', text: 'ribo*', fraction: 0.5, feedback: 'Gần đúng' }, { id: '4', text: 'a:b=c', fraction: 0 },
    ],
  },
  {
    type: 'numerical', points: 0.5, cognitiveLevel: 'van-dung-cao', topic: 'Vật lý', stem: 'Gia tốc trọng trường $g$ (m/s²)?',
    generalFeedback: 'Lấy $g \\approx 9{,}8$.',
    options: [
      { id: '1', text: '9.8', tolerance: 0.05, fraction: 1, feedback: 'Đúng.' }, { id: '2', text: '10', tolerance: 0, fraction: 0.5 },
      { id: '3', text: '-9.8', tolerance: 0.1, fraction: 0 }, { id: '4', text: '*', fraction: 0, feedback: 'Sai.' },
    ],
  },
  {
    type: 'matching', points: 2, topic: 'Vật lý', stem: 'Ghép đại lượng với đơn vị.', generalFeedback: 'Hệ SI.',
    options: [
      { id: '1', text: '<b>Lực</b> F', match: 'Niutơn (N)', fraction: 1 }, { id: '2', text: 'Công', match: 'Jun = J', fraction: 1 },
      { id: '3', text: 'Công suất', match: 'Oát: W', fraction: 1 }, { id: '4', text: '', match: 'Ampe', fraction: 0 },
    ],
  },
  { type: 'essay', points: 1, topic: 'Ngữ văn', stem: '<p>Phân tích bài thơ "Tây Tiến".</p>', generalFeedback: '<p>Dàn ý: mở bài, thân bài, kết bài.</p>', options: [] },
  { type: 'essay', points: 1, topic: 'Ngữ văn', stem: 'Cảm nhận của em?', options: [] },
  {
    type: 'cloze', points: 1, topic: 'Địa lí', stem: 'Sông dài nhất Việt Nam chảy qua là sông {#1} (tính cả phần ở nước ngoài).', options: [],
    parts: [{ type: 'multiple_choice', weight: 1, options: [{ id: '1', text: 'Mê Kông', fraction: 1, feedback: 'Đúng' }, { id: '2', text: 'Hồng', fraction: 0 }] }],
  },
  {
    type: 'cloze', points: 1, topic: 'Địa lí', stem: '{#1} là thủ đô.', options: [],
    parts: [{ type: 'short_answer', weight: 1, options: [{ id: '1', text: 'Hà Nội', fraction: 1 }] }],
  },
  {
    type: 'cloze', points: 1, topic: 'Địa lí', stem: 'Việt Nam có {#1} tỉnh, thành phố (2025).', options: [],
    parts: [{ type: 'numerical', weight: 1, options: [{ id: '1', text: '34', tolerance: 0, fraction: 1 }] }],
  },
];

describe('GIFT export', () => {
  it('writes a UTF-8 .gift file with categories, names, tags and points comments', () => {
    const exported = exportQuestions(EVERY_TYPE);
    expect(exported).toMatchObject({ contentType: 'text/plain; charset=utf-8', extension: 'gift' });
    const text = exported.body.toString('utf8');
    expect(text.startsWith('// Ngân hàng thử\n\n$CATEGORY: $course$/top/Toán 10/Hình học\n\n')).toBe(true);
    expect(text.match(/^\$CATEGORY: .*$/gm)).toEqual(['Toán 10/Hình học', 'Sinh học', 'Vật lý', 'Ngữ văn', 'Địa lí'].map((t) => `$CATEGORY: $course$/top/${t}`));
    expect(text).toContain('// [tag:nhan-biet] [tag:tam giác] [tag:đề {thi} #1]\n// [points:0.25]\n::Câu 1\\: Hình tam giác::[html]<p>Tam giác');
    // A text starting with "%" keeps its weight written out, so it is not read as one.
    expect(text).toContain('\t~%50%%360°\n');
    expect(text).toContain('\t~Không xác định\\: \\{a\\} \\= b \\# c \\~ d \\\\ e\n');
    expect(text).toContain('{TRUE#Xem lại bài 1.#Chính xác.####Watson và Crick, 1953.}');
    expect(text).toContain('{FALSE##Virus chưa có cấu tạo tế bào.}');
    expect(text).toContain('{#\n\t=9.8:0.05#Đúng.\n\t=%50%10:0\n\t=%0%-9.8:0.1\n\t~#Sai.\n\t####Lấy $g \\\\approx 9\\{,\\}8$.\n}');
    expect(text).toContain('\t=<b>Lực</b> F -> Niutơn (N)\n');
    expect(text).toContain('\t= -> Ampe\n');
    expect(text).toContain('::Câu 2::[html]Cho hàm số $f(x) \\= x^2$. Xét tính đúng sai\\:{\n\t~%50%$f(0) \\= 0$\n\t~%-50%$f$ nghịch biến');
    expect(text).toContain('[html]Sông dài nhất Việt Nam chảy qua là sông {\n\t=Mê Kông#Đúng\n\t~Hồng\n} (tính cả phần ở nước ngoài).');
  });

  it('reports what GIFT cannot carry, question by question', () => {
    const { report } = exportQuestions(EVERY_TYPE);
    const codes = (item: number) => report.filter((i) => i.item === item).map((i) => i.code);
    expect(codes(1)).toEqual(['GIFT_IMAGE_INLINE', 'GIFT_IMAGE_INLINE', 'GIFT_POINTS']);
    expect(codes(2)).toEqual(['GIFT_TRUE_FALSE_GROUP']);
    expect(codes(6)).toEqual(['GIFT_POINTS']);
    expect(codes(8)).toEqual(['GIFT_POINTS']);
    expect(codes(12)).toEqual([]);
    expect(codes(13)).toEqual([]);
    expect(report.find((i) => i.code === 'GIFT_TRUE_FALSE_GROUP')!.message).toContain(TRUE_FALSE_GROUP_TAG);
    expect(report.find((i) => i.code === 'GIFT_IMAGE_INLINE')!.message).toContain('"tam-giác.png"');
    for (const issue of report) expect(issue.message).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵđêếềệểễôồốộổỗơờớợởỡưừứựửữ]/i);
  });

  it('reports the settings and shapes it cannot write, and skips a cloze with several gaps', () => {
    const questions: Question[] = [
      // Not written at all, so its image is not reported as inlined either.
      { type: 'cloze', points: 1, stem: 'Hai chỗ trống {#1} và {#2} <img src="@@ASSET@@/a.png">.', options: [], assets: [{ name: 'a.png', bytes: PNG }], parts: [
        { type: 'short_answer', weight: 1, options: [{ id: '1', text: 'a', fraction: 1 }] },
        { type: 'short_answer', weight: 1, options: [{ id: '1', text: 'b', fraction: 1 }] },
      ] },
      { type: 'cloze', points: 1, stem: 'Chỗ trống ở cuối {#1}', options: [], parts: [
        { type: 'multiple_choice', weight: 2, display: 'horizontal', shuffle: true, options: [{ id: '1', text: 'a', fraction: 1 }, { id: '2', text: 'b', fraction: 0 }] },
      ] },
      { type: 'multiple_choice', points: 1, shuffle: false, topic: 'Chủ đề A', stem: 'Không xáo trộn', options: [{ id: '1', text: 'a', fraction: 1 }, { id: '2', text: 'b', fraction: 0 }] },
      { type: 'short_answer', points: 1, caseSensitive: true, stem: 'Phân biệt hoa thường', options: [{ id: '1', text: 'A->B', fraction: 1 }] },
      { type: 'matching', points: 1, stem: 'Ghép', options: [{ id: '1', text: 'a', match: 'b', fraction: 1, feedback: 'x' }, { id: '2', text: 'c', match: 'd', fraction: 1 }] },
      { type: 'true_false_group', points: 1, scoring: [0, 0, 0.25, 0.5, 1], stem: 'Bốn ý sai', options: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: id, fraction: 0 })) },
      { type: 'essay', points: 1, stem: 'Ảnh thừa', options: [], assets: [{ name: 'khong-dung.png', bytes: PNG }] },
    ];
    const { body, report } = exportQuestions(questions);
    expect(report.map((i) => [i.item, i.code])).toEqual([
      [1, 'GIFT_CLOZE_UNSUPPORTED'],
      [2, 'GIFT_CLOZE_AT_END'], [2, 'GIFT_CLOZE_SETTINGS'],
      [3, 'GIFT_SHUFFLE'],
      [4, 'GIFT_SHORT_ANSWER_ARROW'], [4, 'GIFT_TOPIC_INHERITED'], [4, 'GIFT_CASE_SENSITIVE'],
      [5, 'GIFT_MATCHING_FEEDBACK'], [5, 'GIFT_TOPIC_INHERITED'],
      [6, 'GIFT_TRUE_FALSE_GROUP'], [6, 'GIFT_TRUE_FALSE_GROUP_ALL_FALSE'], [6, 'GIFT_TOPIC_INHERITED'],
      [7, 'GIFT_TOPIC_INHERITED'], [7, 'GIFT_IMAGE_UNREFERENCED'],
    ]);
    expect(report.find((i) => i.code === 'GIFT_CLOZE_SETTINGS')!.message).toContain('trọng số 2');
    // All false: written as matching, graded linearly, the item's own scale named as what is lost.
    expect(report.find((i) => i.code === 'GIFT_TRUE_FALSE_GROUP')!.message).toContain('câu ghép đôi');
    expect(report.find((i) => i.code === 'GIFT_TRUE_FALSE_GROUP')!.message).toContain('không theo được thang điểm riêng của câu (1 / 0,5 / 0,25 / 0)');
    const text = body.toString('utf8');
    expect(text).not.toContain('Hai chỗ trống');
    expect(text).not.toContain('khong-dung.png');
  });
});

describe('GIFT round trip: import → export → import', () => {
  it('gives back every type GIFT can express, with feedback, points, levels, tags, topics and image bytes', () => {
    const exported = exportQuestions(EVERY_TYPE);
    const back = reimport(exported);
    expect(back.errors).toEqual([]);
    expect(back.questions.map(structure)).toEqual(EVERY_TYPE);
    expect(back.questions[0]!.assets!.map((a) => [a.name, a.mime, a.bytes.equals(EVERY_TYPE[0]!.assets!.find((b) => b.name === a.name)!.bytes)])).toEqual([
      ['tam-giác.png', 'image/png', true], ['goc.png', 'image/png', true],
    ]);
  });

  it('takes data: images of a hand-written file as assets, with safe names', () => {
    const b64 = PNG.toString('base64').replace(/=/g, '\\=');
    const { questions } = parseGift([
      `[html]<p>Hình <img src\\="data\\:image/png;base64,${b64}"> và <img src\\='data\\:image/jpeg;name\\=..%2F..%2Fetc%2Fanh.jpg;base64,${b64}'></p>{`,
      `=<img src\\="data\\:image/png;base64,${b64}">`,
      '~không',
      '}',
    ].join('\n'));
    expect(questions[0]!.stem).toBe('<p>Hình <img src="@@ASSET@@/hinh-1.png"> và <img src=\'@@ASSET@@/anh.jpg\'></p>');
    expect(questions[0]!.options[0]!.text).toBe('<img src="@@ASSET@@/hinh-1.png">');
    expect(questions[0]!.assets!.map((a) => [a.name, a.mime, a.bytes.equals(PNG)])).toEqual([['hinh-1.png', 'image/png', true], ['anh.jpg', 'image/jpeg', true]]);
  });

  it('writes "->" inside a matching question\'s left side as "-&gt;", the same HTML', () => {
    const matching: Question = { type: 'matching', points: 1, stem: 'Ghép', options: [
      { id: '1', text: 'a -> b', match: 'c', fraction: 1 }, { id: '2', text: 'd', match: 'e -> f', fraction: 1 },
    ] };
    const back = reimport(exportQuestions([matching]));
    expect(back.questions[0]!.options.map((o) => [o.text, o.match])).toEqual([['a -&gt; b', 'c'], ['d', 'e -> f']]);
  });

  for (const name of ['vietnamese/toan-vat-ly.gift', 'vietnamese/nfd.gift', 'moodle/questions.gift.txt', 'moodle/questions_in_category.gift.txt']) {
    it(`keeps ${name} the same through an export`, () => {
      const first = importFixture(name);
      const back = reimport(exportQuestions(first.questions));
      expect(back.errors).toEqual([]);
      expect(back.questions.map(structure)).toEqual(first.questions.map(structure));
    });
  }

  it('keeps the gift-pegjs samples the same through an export', () => {
    for (const file of PEGJS_FILES) {
      const first = importFixture(`gift-pegjs/${file}`);
      const back = reimport(exportQuestions(first.questions));
      expect([file, back.errors]).toEqual([file, []]);
      expect([file, back.questions.map(structure)]).toEqual([file, first.questions.map(structure)]);
    }
  });
});

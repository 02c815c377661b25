import {
  AlignmentType, Document, Packer, Paragraph, Table, TableBorders, TableCell, TableRow, TabStopType, TextRun, WidthType,
} from 'docx';
import { isDefaultScoring, type ExamPaper, type ExportIssue, type Question, type QuestionType } from '../../model.js';
import { htmlToLines, stripTags, type Inline, type RenderContext } from './html-to-docx.js';
import { defaultPoints, formatDecimal, isMathSubjectLine, romanNumeral } from './patterns.js';

// The printable exam of a generated test, laid out like the 2025 graduation exam: the two-column
// header, the candidate line, "PHẦN I/II/III" with their instructions, questions numbered from 1
// in each part, "HẾT", then the answer key on a new page. It is written so that importDocx reads
// it back (same parts, numbering and keys through the answer tables).

const A4 = { width: 11906, height: 16838 };
const MARGIN = 1134;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
const KEY_COLUMNS = 10;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The exam as a .docx. */
/** "TOÁN" or "Môn: Toán" alike → "TOÁN": the paper prints the "Môn:" label itself. */
const subjectName = (subject: string | undefined) => (subject ?? '').replace(/^\s*môn\s*:\s*/i, '');

/** The exam as a .docx, with what the printed paper could not show. */
export async function exportExamDocxWithReport(paper: ExamPaper): Promise<{ body: Buffer; report: ExportIssue[] }> {
  const report: ExportIssue[] = [];
  const isMath = isMathSubjectLine(`Môn: ${subjectName(paper.header.subject)}`);
  let position = 0;
  const body: Array<Paragraph | Table> = [];
  const keys: Array<Paragraph | Table> = [];
  paper.sections.forEach((section, index) => {
    const title = /^phần\b/iu.test(section.title.trim()) ? section.title.trim() : `PHẦN ${romanNumeral(index + 1)}. ${section.title.trim()}`;
    body.push(new Paragraph({
      spacing: { before: 160, after: 80 },
      children: [new TextRun({ text: title, bold: true }), new TextRun({ text: ` ${section.instructions ?? defaultInstructions(section.questions)}` })],
    }));
    const numbered = section.questions.map((question, at) => ({ question, number: at + 1, item: ++position }));
    for (const { question, number, item } of numbered) {
      const context: RenderContext = { assets: question.assets ?? [], report: (code, message) => report.push({ item, code, message: `Câu ${number} (${title.split('.')[0]}): ${message}` }) };
      reportLosses(question, context);
      body.push(...questionParagraphs(question, number, isMath, context));
    }
    keys.push(...keyBlocks(title, numbered.map(({ question, number }) => ({ question, number }))));
  });
  body.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 240 }, children: [new TextRun({ text: '------ HẾT ------', bold: true })] }));

  const document = new Document({
    styles: { default: { document: { run: { font: 'Times New Roman', size: 24 } } } },
    sections: [{
      properties: { page: { size: A4, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } },
      children: [
        ...headerBlocks(paper),
        ...body,
        new Paragraph({ pageBreakBefore: true, alignment: AlignmentType.CENTER, children: [new TextRun({ text: 'ĐÁP ÁN', bold: true, size: 28 })] }),
        new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: `Mã đề: ${paper.variantCode}`, bold: true })] }),
        ...keys,
      ],
    }],
  });
  return { body: await Packer.toBuffer(document), report };
}

function headerBlocks(paper: ExamPaper): Array<Paragraph | Table> {
  const { authority, school, exam, durationMinutes } = paper.header;
  const subject = subjectName(paper.header.subject);
  const centred = (text: string, options: { bold?: boolean; italics?: boolean } = {}) =>
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, ...options })] });
  const left = [
    ...(authority ? [centred(authority.toUpperCase())] : []),
    ...(school ? [centred(school.toUpperCase(), { bold: true })] : []),
  ];
  const right = [
    centred((exam ?? paper.title).toUpperCase(), { bold: true }),
    ...(subject ? [centred(`Môn: ${subject.toUpperCase()}`, { bold: true })] : []),
    ...(durationMinutes ? [centred(`Thời gian làm bài: ${durationMinutes} phút, không kể thời gian phát đề`, { italics: true })] : []),
  ];
  const cell = (children: Paragraph[], share: number) =>
    new TableCell({ width: { size: Math.round(CONTENT_WIDTH * share), type: WidthType.DXA }, children: children.length ? children : [new Paragraph('')] });
  return [
    new Table({ width: { size: CONTENT_WIDTH, type: WidthType.DXA }, borders: TableBorders.NONE, rows: [new TableRow({ children: [cell(left, 0.4), cell(right, 0.6)] })] }),
    ...(exam && paper.title !== exam ? [centred(paper.title, { bold: true })] : []),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 120 }, children: [new TextRun({ text: `Mã đề: ${paper.variantCode}`, bold: true })] }),
    new Paragraph({ spacing: { after: 120 }, children: [new TextRun('Họ, tên thí sinh: ……………………………………………… Số báo danh: ……………………')] }),
  ];
}

function defaultInstructions(questions: Question[]): string {
  const range = questions.length === 1 ? 'Thí sinh trả lời câu 1.' : `Thí sinh trả lời từ câu 1 đến câu ${questions.length}.`;
  if (questions.length && questions.every((q) => q.type === 'multiple_choice')) return `${range} Mỗi câu hỏi thí sinh chỉ chọn một phương án.`;
  if (questions.length && questions.every((q) => q.type === 'true_false_group')) return `${range} Trong mỗi ý a), b), c), d) ở mỗi câu, thí sinh chọn đúng hoặc sai.`;
  return range;
}

/** The type importDocx will give the printed question, for its default points. */
function printedType(question: Question): QuestionType {
  if (question.type === 'true_false') return 'multiple_choice';
  if (question.type === 'matching' || question.type === 'cloze') return 'short_answer';
  return question.type;
}

function questionParagraphs(question: Question, number: number, isMath: boolean, context: RenderContext): Paragraph[] {
  const points = question.points !== defaultPoints(printedType(question), isMath) ? ` (${formatDecimal(question.points)} điểm)` : '';
  const stem = question.type === 'cloze' ? question.stem.replace(/\{#(\d+)\}/g, '($1) ……') : question.stem;
  const [first = [], ...rest] = htmlToLines(stem, context);
  const paragraphs = [
    new Paragraph({ spacing: { before: 120 }, children: [new TextRun({ text: `Câu ${number}${points}. `, bold: true }), ...first] }),
    ...rest.map((children) => new Paragraph({ children })),
  ];
  return [...paragraphs, ...answerParagraphs(question, context)];
}

function answerParagraphs(question: Question, context: RenderContext): Paragraph[] {
  switch (question.type) {
    case 'multiple_choice': case 'multiple_response':
      return optionParagraphs(question.options.map((option, index) => ({ label: `${LETTERS[index]}.`, html: option.text })), context);
    case 'true_false':
      return optionParagraphs([{ label: 'A.', html: 'Đúng' }, { label: 'B.', html: 'Sai' }], context);
    case 'true_false_group':
      return question.options.map((option, index) => labelled(`${String.fromCharCode(97 + index)})`, htmlToLines(option.text, context)));
    case 'matching': {
      const right = [...new Set(question.options.map((option) => option.match ?? ''))].sort((a, b) => a.localeCompare(b, 'vi'));
      return [
        ...question.options.filter((option) => option.text).map((option, index) => labelled(`${index + 1}.`, htmlToLines(option.text, context))),
        ...right.map((text, index) => new Paragraph({ children: [new TextRun(`(${String.fromCharCode(97 + index)}) ${text}`)] })),
      ];
    }
    default:
      return [];
  }
}

function labelled(label: string, lines: Inline[][]): Paragraph {
  const [first = [], ...rest] = lines;
  return new Paragraph({ indent: { left: 284 }, children: [new TextRun({ text: `${label} `, bold: true }), ...first, ...rest.flatMap((line) => [new TextRun({ break: 1 }), ...line])] });
}

/** Short options four to a line, medium ones two, long ones (or with images, equations, several lines) one. */
function optionParagraphs(options: Array<{ label: string; html: string }>, context: RenderContext): Paragraph[] {
  const rendered = options.map((option) => ({ label: option.label, lines: htmlToLines(option.html, context), length: stripTags(option.html).length, simple: !/<(img|math|table|br|p)\b/i.test(option.html) }));
  const longest = Math.max(...rendered.map((option) => option.length));
  const perLine = rendered.every((option) => option.simple) ? (longest <= 22 ? 4 : longest <= 45 ? 2 : 1) : 1;
  if (perLine === 1) return rendered.map((option) => labelled(option.label, option.lines));
  const stop = CONTENT_WIDTH / perLine;
  const paragraphs: Paragraph[] = [];
  for (let at = 0; at < rendered.length; at += perLine) {
    const row = rendered.slice(at, at + perLine);
    paragraphs.push(new Paragraph({
      indent: { left: 284 },
      tabStops: Array.from({ length: perLine - 1 }, (_, index) => ({ type: TabStopType.LEFT, position: Math.round(stop * (index + 1)) })),
      children: row.flatMap((option, index) => [new TextRun({ text: `${index ? '\t' : ''}${option.label} `, bold: true }), ...(option.lines[0] ?? [])]),
    }));
  }
  return paragraphs;
}

function reportLosses(question: Question, context: RenderContext): void {
  const { report } = context;
  if (question.generalFeedback || question.options.some((option) => option.feedback)) report('DOCX_FEEDBACK_NOT_PRINTED', 'lời giải và phản hồi không in trong đề.');
  if (question.cognitiveLevel || question.topic || question.tags?.length) report('DOCX_METADATA_NOT_PRINTED', 'mức độ nhận thức, chủ đề và thẻ không in trong đề.');
  if (question.type === 'true_false') report('DOCX_TRUE_FALSE_AS_CHOICE', 'câu đúng/sai được in thành hai phương án A. Đúng, B. Sai.');
  if (question.type === 'matching') report('DOCX_MATCHING_AS_LISTS', 'câu ghép đôi được in thành hai danh sách; đáp án ghi dạng "1-b".');
  if (question.type === 'cloze') report('DOCX_CLOZE_AS_BLANKS', 'câu điền khuyết được in với các chỗ trống (1), (2)…; đáp án ghi theo thứ tự chỗ trống.');
  if (question.type === 'true_false_group' && !isDefaultScoring(question.scoring)) {
    report('DOCX_SCORING_NOT_PRINTED', `cách tính điểm riêng (${question.scoring!.join('; ')}) không in được; đề in theo quy tắc của Phần II.`);
  }
  const correct = question.options.filter((option) => option.fraction > 0);
  if ((question.type === 'multiple_choice' || question.type === 'multiple_response') && question.options.some((o) => o.fraction !== 0 && Math.abs(o.fraction - 1 / correct.length) > 1e-9)) {
    report('DOCX_PARTIAL_CREDIT', 'điểm từng phần hoặc điểm âm của các phương án không in được; bảng đáp án chỉ ghi phương án đúng.');
  }
  if ((question.type === 'numerical' || question.type === 'short_answer') && correct.length > 1) report('DOCX_ALTERNATIVE_ANSWERS', 'chỉ in đáp án đầu tiên trong các đáp án được chấp nhận.');
  if (question.type === 'numerical' && question.options.some((o) => (o.tolerance ?? 0) > 0)) report('DOCX_TOLERANCE_NOT_PRINTED', 'sai số cho phép không in trong bảng đáp án.');
}

/** The key of one question as printed in the tables; undefined for an essay. */
function keyText(question: Question): string | undefined {
  const best = [...question.options].sort((a, b) => b.fraction - a.fraction)[0];
  switch (question.type) {
    case 'multiple_choice': return LETTERS[question.options.indexOf(best!)];
    case 'multiple_response': return question.options.flatMap((option, index) => (option.fraction > 0 ? [LETTERS[index]!] : [])).join(', ');
    case 'true_false': return best?.id === 'true' ? 'A' : 'B';
    case 'numerical': return best ? formatDecimal(Number(best.text)) : undefined;
    case 'short_answer': return best?.text;
    case 'matching': {
      const right = [...new Set(question.options.map((option) => option.match ?? ''))].sort((a, b) => a.localeCompare(b, 'vi'));
      return question.options.filter((option) => option.text).map((option, index) => `${index + 1}-${String.fromCharCode(97 + right.indexOf(option.match ?? ''))}`).join(', ');
    }
    case 'cloze': return (question.parts ?? []).map((part, index) => `(${index + 1}) ${[...part.options].sort((a, b) => b.fraction - a.fraction)[0]?.text ?? ''}`).join('; ');
    default: return undefined;
  }
}

/** The part's heading in the key, then its tables: answers ten to a row, Part II as Đ/S per statement. */
function keyBlocks(title: string, questions: Array<{ question: Question; number: number }>): Array<Paragraph | Table> {
  const groups = questions.filter(({ question }) => question.type === 'true_false_group');
  const others = questions.flatMap(({ question, number }) => {
    const text = question.type === 'true_false_group' ? undefined : keyText(question);
    return text === undefined ? [] : [{ number, text }];
  });
  if (!groups.length && !others.length) return [];
  const blocks: Array<Paragraph | Table> = [new Paragraph({ spacing: { before: 200, after: 80 }, children: [new TextRun({ text: title.split('.')[0]!, bold: true })] })];
  const cell = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, bold })] })] });
  if (others.length) {
    const rows: TableRow[] = [];
    for (let at = 0; at < others.length; at += KEY_COLUMNS) {
      const chunk = others.slice(at, at + KEY_COLUMNS);
      rows.push(new TableRow({ children: [cell('Câu', true), ...chunk.map(({ number }) => cell(String(number), true))] }));
      rows.push(new TableRow({ children: [cell('Đáp án', true), ...chunk.map(({ text }) => cell(text))] }));
    }
    blocks.push(new Table({ width: { size: CONTENT_WIDTH, type: WidthType.DXA }, rows }));
  }
  if (groups.length) {
    const width = Math.max(...groups.map(({ question }) => question.options.length));
    const header = new TableRow({ children: [cell('Câu', true), ...Array.from({ length: width }, (_, index) => cell(`${String.fromCharCode(97 + index)})`, true))] });
    const rows = groups.map(({ question, number }) => new TableRow({
      children: [cell(String(number), true), ...Array.from({ length: width }, (_, index) => cell(question.options[index] ? (question.options[index].fraction > 0 ? 'Đ' : 'S') : ''))],
    }));
    blocks.push(new Table({ width: { size: CONTENT_WIDTH, type: WidthType.DXA }, rows: [header, ...rows] }));
  }
  return blocks;
}

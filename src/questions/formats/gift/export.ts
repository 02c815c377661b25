import type { ClozePart, ExportIssue, Exporter, Question, QuestionOption, QuestionType } from '../../model.js';
import { tagsWithLevel, TRUE_FALSE_GROUP_TAG } from '../conventions.js';
import { categoryPathOfTopic, uniqueIdNumbers } from '../moodle-categories.js';
import { formatPercent, matchMoodleGrade, nearestMoodleGrade } from '../moodle-xml/grades.js';
import { inlineAssets, refersTo } from './assets.js';
import { escapeGift, escapeMarker, MATH } from './text.js';
import { flattenTrueFalseGroup } from './true-false-group.js';

type Report = (code: string, message: string) => void;

/**
 * Questions as a Moodle GIFT file, written the way Moodle's own exporter writes them (every text
 * `[html]`, control characters escaped, `$CATEGORY:` when the topic changes, `[id:…] [tag:…]`
 * comments), with every grade on Moodle's list so that Moodle takes the file.
 * What GIFT cannot carry is reported per question: images (inlined as data: URIs that only some
 * systems show), points (kept in a `[points:…]` comment that only Hoclieu reads), the Part II
 * scoring, cloze with several gaps, display settings.
 */
export const exportGift: Exporter = (questions, meta) => {
  const report: ExportIssue[] = [];
  const blocks = [`// ${meta.title.replace(/\s+/g, ' ').trim()}`];
  const idNumbers = uniqueIdNumbers();
  let topic: string | undefined;
  questions.forEach((question, index) => {
    const issue: Report = (code, message) => report.push({ item: index + 1, code, message });
    const body = writeQuestion(withInlineImages(question), issue);
    if (body === null) return;
    if (question.topic && question.topic !== topic) {
      blocks.push(`$CATEGORY: ${categoryPathOfTopic(question.topic)}`);
      topic = question.topic;
    } else if (!question.topic && topic) {
      issue('GIFT_TOPIC_INHERITED', `GIFT không có cách bỏ chủ đề: câu hỏi không có chủ đề sẽ được nhập vào chủ đề trước đó ("${topic}").`);
    }
    // The question lands in the category of the last $CATEGORY line, which is what Moodle checks ID numbers in.
    const { idNumber, usedBy } = idNumbers.claim({ idNumber: question.idNumber, topic }, index + 1);
    if (usedBy !== undefined) {
      issue('GIFT_IDNUMBER_DUPLICATE', `Mã câu "${question.idNumber!.trim()}" đã dùng cho câu ${usedBy} cùng chủ đề: Moodle không cho hai câu trùng mã trong một danh mục (khi nhập, nó bỏ mã của câu sau) nên câu này được xuất không có [id:…].`);
    }
    reportCommon(question, issue);
    blocks.push([...markerComments(question, idNumber), body].join('\n'));
  });
  return { body: Buffer.from(`${blocks.join('\n\n')}\n`, 'utf8'), contentType: 'text/plain; charset=utf-8', extension: 'gift', report };
};

/** `// [id:…] [tag:…] …` with "]" escaped, as qformat_gift::extract_idnumber_and_tags_from_comment reads it; then our points. */
function markerComments(question: Question, idNumber: string | undefined): string[] {
  const tags = [...tagsWithLevel(question), ...(question.type === 'true_false_group' ? [TRUE_FALSE_GROUP_TAG] : [])];
  // A line break inside a marker would end the comment and spill the rest into the question; Moodle's
  // reader takes no control character in a marker anyway.
  const marker = (kind: string, value: string) => `[${kind}:${escapeMarker(value.replace(/\p{Cc}/gu, ' '))}]`;
  const markers = [...(idNumber ? [marker('id', idNumber)] : []), ...tags.map((t) => marker('tag', t))];
  return [
    ...(markers.length ? [`// ${markers.join(' ')}`] : []),
    ...(question.points !== 1 ? [`// [points:${question.points}]`] : []),
  ];
}

function reportCommon(question: Question, issue: Report) {
  reportImages(question, issue);
  if (question.points !== 1) {
    issue('GIFT_POINTS', `GIFT không có điểm câu hỏi: điểm ${question.points} được ghi trong chú thích [points:…] mà chỉ Hoclieu đọc; Moodle sẽ dùng điểm mặc định 1.`);
  }
  const shuffles = ['multiple_choice', 'multiple_response', 'matching', 'true_false_group'].includes(question.type);
  if (shuffles && question.shuffle === false) issue('GIFT_SHUFFLE', 'GIFT không lưu được "không xáo trộn phương án": Moodle sẽ dùng cài đặt mặc định (xáo trộn).');
  if (question.type === 'short_answer' && question.caseSensitive) issue('GIFT_CASE_SENSITIVE', 'GIFT không lưu được "phân biệt chữ hoa/thường": Moodle sẽ không phân biệt.');
}

/** Every HTML field of the question, for finding and inlining its images. */
function mapHtml(question: Question, map: (html: string) => string): Question {
  const option = (o: QuestionOption): QuestionOption => ({ ...o, text: map(o.text), ...(o.feedback ? { feedback: map(o.feedback) } : {}) });
  return {
    ...question,
    stem: map(question.stem),
    options: question.options.map(option),
    ...(question.parts ? { parts: question.parts.map((p) => ({ ...p, options: p.options.map(option) })) } : {}),
    ...(question.generalFeedback ? { generalFeedback: map(question.generalFeedback) } : {}),
  };
}

function htmlFields(question: Question): string[] {
  const options = [...question.options, ...(question.parts ?? []).flatMap((p) => p.options)];
  return [question.stem, question.generalFeedback ?? '', ...options.flatMap((o) => [o.text, o.feedback ?? ''])];
}

/**
 * GIFT has no files: each image goes into the HTML as a data: URI. Hoclieu reads it back as the
 * same asset; Moodle keeps it inside the text rather than as a file, and other tools may not show it.
 */
const withInlineImages = (question: Question): Question =>
  (question.assets?.length ? mapHtml(question, (html) => inlineAssets(html, question.assets!)) : question);

function reportImages(question: Question, issue: Report) {
  const fields = htmlFields(question);
  for (const asset of question.assets ?? []) {
    if (fields.some((html) => refersTo(html, asset))) {
      issue('GIFT_IMAGE_INLINE', `GIFT không có tệp đính kèm: ảnh "${asset.name}" được nhúng thẳng vào HTML (data: URI). Hoclieu đọc lại được; Moodle giữ ảnh trong nội dung câu hỏi chứ không thành tệp, một số hệ thống khác có thể không hiển thị.`);
    } else {
      issue('GIFT_IMAGE_UNREFERENCED', `Ảnh "${asset.name}" không được nội dung câu hỏi nào dùng đến nên không được xuất (GIFT chỉ mang được ảnh nằm trong HTML).`);
    }
  }
}

/** The question's lines, or null when GIFT cannot express it at all (reported). */
function writeQuestion(question: Question, issue: Report): string | null {
  const head = `${question.name ? `::${escapeGift(question.name)}::` : ''}[html]`;
  if (question.type === 'cloze') return writeCloze(question, head, issue);
  return `${head}${html(question.stem)}${writeAnswers(question, question.type, issue)}`;
}

function writeAnswers(question: Question, type: Exclude<QuestionType, 'cloze'>, issue: Report): string {
  const general = question.generalFeedback ? [`\t####${html(question.generalFeedback)}`] : [];
  const block = (lines: string[]) => `{\n${[...lines, ...general].join('\n')}\n}`;
  switch (type) {
    case 'essay':
      return `{${question.generalFeedback ? `####${html(question.generalFeedback)}` : ''}}`;
    case 'true_false':
      return writeTrueFalse(question);
    case 'multiple_choice':
      return block(allowedGrades(question.options, issue).map((o) => choiceLine(o, true)));
    case 'multiple_response':
      return block(multipleResponseGrades(question.options, issue).map((o) => choiceLine(o, false)));
    case 'true_false_group': {
      const flat = flattenTrueFalseGroup(question, issue);
      return block(flat.type === 'matching' ? matchingLines(flat.options, issue) : flat.options.map((o) => choiceLine(o, false)));
    }
    case 'short_answer':
      return block(shortAnswerLines(allowedGrades(question.options, issue), issue));
    case 'numerical':
      return `{#\n${[...numericalLines(allowedGrades(question.options, issue)), ...general].join('\n')}\n}`;
    case 'matching':
      return block(matchingLines(question.options, issue));
  }
}

/** HTML for a GIFT text field: escaped, and line breaks inside formulas (LaTeX whitespace) as spaces. */
const html = (text: string) => escapeGift(text.replace(MATH, (formula) => formula.replace(/\r?\n/g, ' ')));
const feedback = (option: QuestionOption) => (option.feedback ? `#${html(option.feedback)}` : '');
const percent = (fraction: number) => `%${Number((fraction * 100).toFixed(5))}%`;
// A text that begins with "%" would be read back as a weight, so its weight is always written
// out: "~%0%%5" is the answer "%5" worth nothing.
const weightFor = (option: QuestionOption, usual: number) => (option.fraction === usual && !option.text.startsWith('%') ? '' : percent(option.fraction));

/** `=` marks the right answer of a single-answer question (no weight is read after it); others are `~%w%`. */
function choiceLine(option: QuestionOption, single: boolean): string {
  const mark = single && option.fraction === 1 ? '=' : `~${weightFor(option, 0)}`;
  return `\t${mark}${html(option.text)}${feedback(option)}`;
}

/** `{TRUE#feedback for the wrong verdict#feedback for the right one}`, as Moodle writes it. */
function writeTrueFalse(question: Question): string {
  const trueOption = question.options.find((o) => o.id === 'true');
  const falseOption = question.options.find((o) => o.id === 'false');
  const isTrue = (trueOption?.fraction ?? 0) === 1;
  const right = (isTrue ? trueOption : falseOption)?.feedback;
  const wrong = (isTrue ? falseOption : trueOption)?.feedback;
  const feedbacks = wrong ? `#${html(wrong)}${right ? `#${html(right)}` : ''}` : right ? `##${html(right)}` : '';
  const general = question.generalFeedback ? `####${html(question.generalFeedback)}` : '';
  return `{${isTrue ? 'TRUE' : 'FALSE'}${feedbacks}${general}}`;
}

/**
 * Moodle refuses the whole file when one grade is not on its list (qformat_default::importprocess
 * matches each against question_bank::fraction_options_full within 0.00001, then stops on error):
 * a grade off the list goes to the nearest one on it, reported.
 */
function allowedGrades(options: QuestionOption[], issue: Report): QuestionOption[] {
  return options.map((option) => {
    if (matchMoodleGrade(option.fraction) !== undefined) return option;
    const nearest = nearestMoodleGrade(option.fraction);
    issue('GIFT_GRADE_ROUNDED', `Phương án ${option.id}: điểm ${formatPercent(option.fraction)}% không có trong danh sách điểm Moodle cho phép (Moodle sẽ từ chối cả tệp), đã làm tròn thành ${formatPercent(nearest)}%.`);
    return { ...option, fraction: nearest };
  });
}

/** Rounded grades of a multiple-response question, whose right answers must still add up to 100 %. */
function multipleResponseGrades(options: QuestionOption[], issue: Report): QuestionOption[] {
  const rounded = allowedGrades(options, issue);
  const positive = rounded.reduce((sum, o) => sum + Math.max(o.fraction, 0), 0);
  if (Math.round(positive * 100) !== 100) {
    issue('GIFT_FRACTIONS_NOT_100', `Tổng điểm các phương án đúng là ${formatPercent(positive)}%, không phải 100%: Moodle vẫn nhập câu này nhưng chấm sai (nó chỉ cảnh báo khi sửa câu), Hoclieu từ chối khi nhập lại.`);
  }
  return rounded;
}

function shortAnswerLines(options: QuestionOption[], issue: Report): string[] {
  if (options.some((o) => o.text.includes('->'))) {
    issue('GIFT_SHORT_ANSWER_ARROW', 'Đáp án chứa "->": GIFT không thoát được ký hiệu này, Moodle có thể đọc nhầm thành câu ghép đôi.');
  }
  return options.map((o) => `\t=${weightFor(o, 1)}${escapeGift(o.text)}${feedback(o)}`);
}

/** `=%w%value:tolerance#feedback`; the catch-all "*" answer is `~#feedback`. */
function numericalLines(options: QuestionOption[]): string[] {
  return options.map((o) => (o.text === '*'
    ? `\t~${o.feedback ? `#${html(o.feedback)}` : '#'}`
    : `\t=${o.fraction === 1 ? '' : percent(o.fraction)}${o.text}:${o.tolerance ?? 0}${feedback(o)}`));
}

function matchingLines(options: QuestionOption[], issue: Report): string[] {
  if (options.some((o) => o.feedback)) issue('GIFT_MATCHING_FEEDBACK', 'GIFT không có phản hồi cho từng cặp ghép: phản hồi của các cặp bị bỏ.');
  // The first "->" separates the sides, so one inside the HTML left side is written as "-&gt;".
  return options.map((o) => `\t=${html(o.text).replace(/->/g, '-&gt;')} -> ${escapeGift(o.match ?? '')}`);
}

/** A one-gap cloze is GIFT's "missing word" form: the answer block stands where the gap is. */
function writeCloze(question: Question, head: string, issue: Report): string | null {
  const [before, after, ...more] = question.stem.split('{#1}');
  const part = question.parts?.[0];
  if (question.parts?.length !== 1 || !part || after === undefined || more.length) {
    issue('GIFT_CLOZE_UNSUPPORTED', `GIFT chỉ diễn đạt được câu điền khuyết có đúng một chỗ trống; câu có ${question.parts?.length ?? 0} chỗ trống không được xuất (hãy dùng Moodle XML hoặc QTI).`);
    return null;
  }
  const trailing = after.trim();
  // The importer ignores a stray `";` after the block, as Moodle does: that is no text either.
  if (!trailing || /^["';]+$/.test(trailing)) {
    issue('GIFT_CLOZE_AT_END', 'Chỗ trống nằm cuối đề: GIFT sẽ đọc lại thành câu hỏi thường (không còn là câu điền khuyết).');
  }
  reportClozeSettings(part, issue);
  const answers = writeAnswers({ ...question, options: part.options }, part.type, issue);
  return `${head}${html(before!)}${answers}${html(after)}`;
}

function reportClozeSettings(part: ClozePart, issue: Report) {
  const lost = [
    part.weight !== 1 ? `trọng số ${part.weight}` : '',
    part.display && part.display !== 'dropdown' ? `cách hiển thị "${part.display}"` : '',
    part.shuffle !== undefined ? 'cài đặt xáo trộn' : '',
    part.caseSensitive ? 'phân biệt chữ hoa/thường' : '',
  ].filter(Boolean);
  if (lost.length) issue('GIFT_CLOZE_SETTINGS', `GIFT không lưu được ${lost.join(', ')} của chỗ trống.`);
}

import { type ClozePart, type ExportIssue, type Exporter, type Question, type QuestionAsset, type QuestionOption } from '../../model.js';
import { formatVietnameseNumber, linearScoringNote, tagsWithLevel, TRUE_FALSE_GROUP_TAG } from '../conventions.js';
import { categoryPathOfTopic, uniqueIdNumbers } from '../moodle-categories.js';
import { serialiseCloze } from './cloze.js';
import { referencedAssets, toPluginfileReferences, writeFiles } from './files.js';
import { nameFromStem } from './names.js';
import { formatDecimal7, formatPercent, matchMoodleGrade, nearestMoodleGrade } from './grades.js';
import { trueFalseGroupAsCloze } from './true-false-group.js';

/*
 * Moodle XML as Moodle's own qformat_xml::writequestion writes it — element names, order,
 * indentation, CDATA rule and the defaults of a question created in Moodle — so the file
 * imports into Moodle. Anything Moodle cannot hold is reported per question, never dropped silently.
 */

type Report = (code: string, message: string) => void;

// Control characters are not allowed anywhere in XML 1.0; a pasted one would make Moodle refuse the file.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

// Moodle's xml_escape: CDATA when htmlspecialchars would change the text, "]]>" split across two sections.
function xmlText(raw: string): string {
  const text = raw.replace(XML_ILLEGAL, '');
  return /[&<>"']/.test(text) ? `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>` : text;
}

/** Moodle's writetext: `<text>…</text>` on one line at the given indent (two spaces a level). */
const writeText = (raw: string, indent = 0) => `${'  '.repeat(indent)}<text>${xmlText(raw)}</text>\n`;

/** The images of one question, written into each field that refers to them. */
function questionFiles(assets: QuestionAsset[], report: Report) {
  const written = new Set<QuestionAsset>();
  const reportedMissing = new Set<string>();
  return {
    /** A field's HTML for Moodle and the <file> elements it needs. */
    field(html: string): { text: string; files: string } {
      const { used, missing } = referencedAssets(html, assets);
      for (const name of missing.filter((n) => !reportedMissing.has(n))) {
        reportedMissing.add(name);
        report('MOODLE_ASSET_MISSING', `ảnh "${name}" được tham chiếu nhưng không có trong câu hỏi`);
      }
      used.forEach((a) => written.add(a));
      return { text: toPluginfileReferences(html, used), files: writeFiles(used) };
    },
    /** Assets no field refers to, kept with the question text rather than lost. */
    unreferenced: () => assets.filter((a) => !written.has(a)),
  };
}

type Files = ReturnType<typeof questionFiles>;

function htmlField(element: string, html: string, files: Files): string {
  const { text, files: fileXml } = files.field(html);
  return `    <${element} format="html">\n${writeText(text, 3)}${fileXml}    </${element}>\n`;
}

/** Moodle's write_answer. */
function answerXml(fraction: string, format: string, text: string, feedback: string | undefined, files: Files, extra = ''): string {
  const answer = format === 'html' ? files.field(text) : { text, files: '' };
  const feedbackField = files.field(feedback ?? '');
  return `    <answer fraction="${fraction}" format="${format}">\n${writeText(answer.text, 3)}${answer.files}`
    + `      <feedback format="html">\n${writeText(feedbackField.text, 4)}${feedbackField.files}      </feedback>\n${extra}    </answer>\n`;
}

// Moodle's write_combined_feedback for a question without combined feedback.
const COMBINED_FEEDBACK = ['correctfeedback', 'partiallycorrectfeedback', 'incorrectfeedback']
  .map((field) => `    <${field} format="html">\n      <text></text>\n    </${field}>\n`).join('');

function gradeOf(option: QuestionOption, report: Report): string {
  const grade = matchMoodleGrade(option.fraction);
  if (grade !== undefined) return formatPercent(grade);
  const nearest = nearestMoodleGrade(option.fraction);
  report('MOODLE_GRADE_ROUNDED', `phương án ${option.id}: điểm ${formatPercent(option.fraction)}% không có trong danh sách điểm của Moodle, đã làm tròn thành ${formatPercent(nearest)}%`);
  return formatPercent(nearest);
}

function choicesXml(question: Question, files: Files, report: Report): string {
  const single = question.type === 'multiple_choice';
  const grades = question.options.map((o) => gradeOf(o, report));
  const fractions = grades.map((g) => Number(g) / 100);
  if (single && !fractions.includes(1)) report('MOODLE_NO_CORRECT_ANSWER', 'không có phương án đúng 100%, Moodle sẽ không nhập câu này');
  const positive = fractions.reduce((sum, f) => sum + Math.max(f, 0), 0);
  if (!single && Math.round(positive * 100) !== 100) report('MOODLE_FRACTIONS_NOT_100', `tổng điểm các phương án đúng là ${formatPercent(positive)}%, Moodle cần đúng 100%`);
  return `    <single>${single}</single>\n    <shuffleanswers>${question.shuffle ?? true}</shuffleanswers>\n`
    // ABCD is how Vietnamese tests letter their options; Moodle offers it as a numbering style.
    + '    <answernumbering>ABCD</answernumbering>\n    <showstandardinstruction>0</showstandardinstruction>\n'
    + COMBINED_FEEDBACK
    + question.options.map((o, i) => answerXml(grades[i]!, 'html', o.text, o.feedback, files)).join('');
}

function trueFalseXml(question: Question, files: Files): string {
  const trueOption = question.options.find((o) => o.id === 'true') ?? question.options[0];
  const falseOption = question.options.find((o) => o.id === 'false') ?? question.options[1];
  const trueIsRight = trueOption?.fraction === 1;
  return answerXml(trueIsRight ? '100' : '0', 'moodle_auto_format', 'true', trueOption?.feedback, files)
    + answerXml(trueIsRight ? '0' : '100', 'moodle_auto_format', 'false', falseOption?.feedback, files);
}

function shortAnswerXml(question: Question, files: Files, report: Report): string {
  return `    <usecase>${question.caseSensitive ? 1 : 0}</usecase>\n`
    + question.options.map((o) => answerXml(gradeOf(o, report), 'moodle_auto_format', o.text, o.feedback, files)).join('');
}

function numericalXml(question: Question, files: Files, report: Report): string {
  return question.options.map((o) => answerXml(gradeOf(o, report), 'moodle_auto_format', o.text, o.feedback, files, `      <tolerance>${o.tolerance ?? 0}</tolerance>\n`)).join('')
    + '    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0.1000000</unitpenalty>\n    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>\n'
    + '    <instructions format="html">\n      <text></text>\n    </instructions>\n';
}

function matchingXml(question: Question, files: Files, report: Report): string {
  if (question.options.some((o) => o.feedback)) report('MOODLE_FEEDBACK_DROPPED', 'Moodle không có phản hồi riêng cho từng cặp ghép đôi; phản hồi của các cặp không được xuất');
  const subquestions = question.options.map((o) => {
    const { text, files: fileXml } = files.field(o.text);
    return `    <subquestion format="html">\n${writeText(text, 3)}${fileXml}      <answer>\n${writeText(o.match ?? '', 4)}      </answer>\n    </subquestion>\n`;
  });
  return `    <shuffleanswers>${question.shuffle ?? true}</shuffleanswers>\n${COMBINED_FEEDBACK}${subquestions.join('')}`;
}

const ESSAY_XML = '    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n    <responsefieldlines>10</responsefieldlines>\n'
  + '    <attachments>0</attachments>\n    <attachmentsrequired>0</attachmentsrequired>\n'
  + '    <graderinfo format="html">\n      <text></text>\n    </graderinfo>\n    <responsetemplate format="html">\n      <text></text>\n    </responsetemplate>\n';

/** What follows <idnumber>, per type; a cloze question has everything in its text. */
const BODY_WRITERS: Record<Question['type'], (question: Question, files: Files, report: Report) => string> = {
  multiple_choice: choicesXml, multiple_response: choicesXml, true_false: trueFalseXml, short_answer: shortAnswerXml,
  numerical: numericalXml, matching: matchingXml, essay: () => ESSAY_XML, cloze: () => '', true_false_group: () => '',
};

const MOODLE_TYPES: Record<Question['type'], string> = {
  multiple_choice: 'multichoice', multiple_response: 'multichoice', true_false: 'truefalse', short_answer: 'shortanswer',
  numerical: 'numerical', matching: 'matching', essay: 'essay', cloze: 'cloze', true_false_group: 'cloze',
};

// The penalty a question created in Moodle gets (per-try penalty in interactive quizzes).
const PENALTIES: Partial<Record<Question['type'], string>> = { true_false: '1.0000000', essay: '0.0000000' };

/** Gap weights must be whole numbers in Moodle's syntax. */
function wholeWeights(parts: ClozePart[], report: Report): ClozePart[] {
  return parts.map((part, index) => {
    if (Number.isInteger(part.weight) && part.weight >= 0) return part;
    const weight = Math.max(1, Math.round(part.weight));
    report('MOODLE_CLOZE_WEIGHT', `ô trống số ${index + 1}: trọng số ${part.weight} được làm tròn thành ${weight} (Moodle chỉ nhận số nguyên)`);
    return { ...part, weight };
  });
}

// qtype_multianswer_extract_question starts a cloze question's mark at 0 and adds each gap's
// weight; qformat_xml::import_multianswer never reads <defaultgrade>.
const clozePointsMessage = (weightSum: number, points: number) =>
  `Moodle lấy tổng trọng số các ô trống (${formatVietnameseNumber(weightSum)}) làm điểm câu Cloze và bỏ qua <defaultgrade>, trọng số chỉ được là số nguyên: `
  + `trong Moodle câu này được ${formatVietnameseNumber(weightSum)} điểm thay cho ${formatVietnameseNumber(points)} (hãy đặt lại điểm tối đa của câu khi đưa vào đề kiểm tra); Hoclieu đọc lại tệp này vẫn được ${formatVietnameseNumber(points)} điểm`;

/** A cloze question's text in Moodle's syntax, with its points as Moodle will count them. */
function clozeText(question: Question, report: Report): { text: string; weightSum: number } {
  const { stem, parts } = question.type === 'true_false_group' ? trueFalseGroupAsCloze(question) : { stem: question.stem, parts: wholeWeights(question.parts ?? [], report) };
  if (question.type === 'true_false_group') {
    report('MOODLE_TRUE_FALSE_GROUP', `Moodle không có dạng câu Đúng/Sai nhiều ý (Phần II); đã xuất thành câu Cloze với ${parts.length} ô chọn Đúng/Sai cùng trọng số, gắn thẻ ${TRUE_FALSE_GROUP_TAG}. ${linearScoringNote(question)}`);
  }
  const weightSum = parts.reduce((sum, p) => sum + p.weight, 0);
  if (weightSum !== question.points) report('MOODLE_CLOZE_POINTS', clozePointsMessage(weightSum, question.points));
  return { text: serialiseCloze(stem, parts), weightSum };
}

function tagsXml(question: Question): string {
  const tags = tagsWithLevel(question);
  if (question.type === 'true_false_group') tags.push(TRUE_FALSE_GROUP_TAG);
  if (!tags.length) return '';
  return `    <tags>\n${tags.map((tag) => `      <tag>${writeText(tag)}</tag>\n`).join('')}    </tags>\n`;
}

function questionXml(question: Question, item: number, idNumber: string, report: Report): string {
  const files = questionFiles(question.assets ?? [], report);
  const isCloze = question.type === 'cloze' || question.type === 'true_false_group';
  const cloze = isCloze ? clozeText(question, report) : undefined;
  const questionText = files.field(cloze?.text ?? question.stem);
  const generalFeedback = htmlField('generalfeedback', question.generalFeedback ?? '', files);
  const body = BODY_WRITERS[question.type](question, files, report);
  // Written last: only now is it known which assets no field refers to.
  const unreferencedFiles = writeFiles(files.unreferenced());
  // Moodle writes no <defaultgrade> for cloze (it sums the gap weights); we add one only when our
  // points differ, for our importer — Moodle ignores it.
  const points = !cloze || cloze.weightSum !== question.points ? `    <defaultgrade>${formatDecimal7(question.points)}</defaultgrade>\n` : '';
  return `<!-- question: ${item}  -->\n  <question type="${MOODLE_TYPES[question.type]}">\n`
    + `    <name>\n${writeText(question.name ?? nameFromStem(question.stem) ?? `Câu ${item}`, 3)}    </name>\n`
    + `    <questiontext format="html">\n${writeText(questionText.text, 3)}${questionText.files}${unreferencedFiles}    </questiontext>\n`
    + generalFeedback
    + points
    + `    <penalty>${PENALTIES[question.type] ?? '0.3333333'}</penalty>\n    <hidden>0</hidden>\n    <idnumber>${escapeIdNumber(idNumber)}</idnumber>\n`
    + body
    + tagsXml(question)
    + '  </question>\n';
}

// qformat_xml::writequestion: htmlspecialchars($question->idnumber, ENT_COMPAT).
const escapeIdNumber = (idNumber: string) => idNumber.replace(XML_ILLEGAL, '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Moodle's category pseudo-question; `$course$/top` alone puts the questions back at the top. */
function categoryXml(topic: string | undefined): string {
  const path = categoryPathOfTopic(topic);
  return `<!-- question: 0  -->\n  <question type="category">\n    <category>\n      ${writeText(path)}    </category>\n`
    + `    <info format="moodle_auto_format">\n      ${writeText('')}    </info>\n    <idnumber></idnumber>\n  </question>\n`;
}

export const exportMoodleXml: Exporter = (questions) => {
  const report: ExportIssue[] = [];
  const idNumbers = uniqueIdNumbers();
  let content = '';
  let topic: string | undefined;
  questions.forEach((question, index) => {
    const item = index + 1;
    const issue: Report = (code, message) => report.push({ item, code, message: `Câu ${item}: ${message}.` });
    const questionTopic = question.topic || undefined;
    if (questionTopic !== topic) {
      content += `${categoryXml(questionTopic)}\n`;
      topic = questionTopic;
    }
    const { idNumber, usedBy } = idNumbers.claim(question, item);
    if (usedBy !== undefined) {
      issue('MOODLE_IDNUMBER_DUPLICATE', `mã câu (ID number) "${question.idNumber!.trim()}" đã dùng cho câu ${usedBy} cùng chủ đề; Moodle không cho hai câu trùng mã trong một danh mục (khi nhập, nó bỏ mã của câu sau) nên câu này được xuất không có mã`);
    }
    content += `${questionXml(question, item, idNumber ?? '', issue)}\n`;
  });
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n${content}</quiz>`;
  return { body: Buffer.from(body, 'utf8'), contentType: 'application/xml; charset=utf-8', extension: 'xml', report };
};

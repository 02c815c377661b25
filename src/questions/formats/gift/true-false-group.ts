import type { Question, QuestionOption } from '../../model.js';
import { linearScoringNote, TRUE_FALSE_GROUP_TAG } from '../conventions.js';

type Report = (code: string, message: string) => void;

// GIFT has no Part II item (four statements judged true/false, stepped scoring). Our exporter
// writes one in a form Moodle grades, tagged TRUE_FALSE_GROUP_TAG so our importer gives it back
// its type; other systems just see a tag.

const TRUE_TEXT = 'Đúng';
const FALSE_TEXT = 'Sai';
const LETTERED = /^([a-z])\) /;

const statementLetter = (option: QuestionOption, index: number) => (/^[a-z]$/.test(option.id) ? option.id : String.fromCharCode(97 + index));

export type FlatTrueFalseGroup = { type: 'multiple_response' | 'matching'; options: QuestionOption[] };

/**
 * A multiple-response question whose right choices are the true statements (each 100/k %, the
 * false ones −100/(n−k) %). With no true statement that form has no right choice: Moodle imports
 * it silently (qtype_multichoice::save_question_options only sets `noticeyesno`, which
 * qformat_default::importprocess does not look at) and grades every attempt 0, the right one
 * (ticking nothing) included. Such an item becomes a matching question instead: "a) …" → "Sai"
 * for each statement, "Đúng" as a distractor, which Moodle grades one equal share per statement.
 */
export function flattenTrueFalseGroup(question: Question, issue: Report): FlatTrueFalseGroup {
  const statements = question.options.length;
  const trueCount = question.options.filter((o) => o.fraction > 0).length;
  const restored = `Hoclieu khôi phục lại loại câu và thang điểm mặc định khi nhập${question.scoring ? ' (thang điểm riêng bị mất)' : ''}.`;
  if (trueCount === 0) {
    issue('GIFT_TRUE_FALSE_GROUP', `GIFT không có câu Đúng/Sai nhiều ý (Phần II): đã xuất thành câu ghép đôi (mỗi ý chọn Đúng hoặc Sai), gắn thẻ ${TRUE_FALSE_GROUP_TAG}. ${linearScoringNote(question)}. ${restored}`);
    issue('GIFT_TRUE_FALSE_GROUP_ALL_FALSE', `Cả ${statements} ý đều sai: ở dạng chọn nhiều đáp án, Moodle vẫn nhập câu nhưng chấm mọi bài 0 điểm (kể cả bài không chọn ý nào, tức là đúng), nên câu được xuất ở dạng ghép đôi.`);
    const pairs = question.options.map((o, index): QuestionOption => ({ ...o, text: `${statementLetter(o, index)}) ${o.text}`, match: FALSE_TEXT }));
    return { type: 'matching', options: [...pairs, { id: 'distractor', text: '', match: TRUE_TEXT, fraction: 0 }] };
  }
  issue('GIFT_TRUE_FALSE_GROUP', 'GIFT không có câu Đúng/Sai nhiều ý (Phần II): đã xuất thành câu chọn nhiều đáp án (chọn các ý đúng), '
    + `mỗi ý đúng ${formatShare(1 / trueCount)}${trueCount < statements ? `, mỗi ý sai −${formatShare(1 / (statements - trueCount))}` : ''}, gắn thẻ ${TRUE_FALSE_GROUP_TAG}. `
    + `Moodle cộng trọng số các ý được chọn (không dưới 0) thay cho thang ${question.scoring ? question.scoring.join('/') : '0,1/0,25/0,5/1'} điểm. ${restored}`);
  return { type: 'multiple_response', options: question.options.map((o) => ({ ...o, fraction: o.fraction > 0 ? 1 / trueCount : -1 / (statements - trueCount) })) };
}

const formatShare = (fraction: number) => `${Number((fraction * 100).toFixed(5))}%`.replace('.', ',');

/** The statements of a matching question written by flattenTrueFalseGroup, or undefined if it is not one. */
export function matchingAsTrueFalseGroup(pairs: QuestionOption[]): QuestionOption[] | undefined {
  const statements = pairs.filter((pair) => pair.text !== '');
  const verdict = (pair: QuestionOption) => pair.match?.normalize('NFC');
  if (statements.length < 2 || !pairs.every((p) => verdict(p) === TRUE_TEXT || verdict(p) === FALSE_TEXT)) return undefined;
  return statements.map((pair, index) => {
    const letter = LETTERED.exec(pair.text);
    return { id: letter ? letter[1]! : String.fromCharCode(97 + index), text: letter ? pair.text.slice(letter[0].length) : pair.text, fraction: verdict(pair) === TRUE_TEXT ? 1 : 0 };
  });
}

import { htmlToText } from './html.js';
import type { ClozePart, Question, QuestionOption } from './model.js';

export interface QuestionProblem {
  code: string;
  message: string;
}

const problem = (code: string, message: string): QuestionProblem => ({ code, message });
const hasFullMarks = (options: QuestionOption[]) => options.some((o) => o.fraction >= 0.9999);
const hasCredit = (options: QuestionOption[]) => options.some((o) => o.fraction > 0);

function checkChoices(options: QuestionOption[], multiple: boolean): QuestionProblem | null {
  if (options.length < 2) return problem('QUESTION_TOO_FEW_OPTIONS', 'Câu hỏi lựa chọn cần ít nhất hai phương án.');
  if (multiple ? !hasCredit(options) : !hasFullMarks(options)) return problem('QUESTION_NO_CORRECT_ANSWER', 'Câu hỏi chưa có đáp án đúng.');
  return null;
}

function checkPart(part: ClozePart, index: number): QuestionProblem | null {
  const where = `Ô trống {#${index + 1}}`;
  if (part.type === 'numerical') {
    return part.options.some((o) => o.fraction > 0 && Number.isFinite(Number(o.text))) ? null : problem('QUESTION_NO_CORRECT_ANSWER', `${where} chưa có đáp số đúng.`);
  }
  if (part.type === 'short_answer') return hasCredit(part.options) ? null : problem('QUESTION_NO_CORRECT_ANSWER', `${where} chưa có đáp án đúng.`);
  const choices = checkChoices(part.options, part.type === 'multiple_response');
  return choices && problem(choices.code, `${where}: ${choices.message}`);
}

/**
 * What every stored question must satisfy, whatever format it came from: a stem, sensible points,
 * and a right answer wherever the type needs one. Pure; importers check their own syntax before.
 */
export function validateQuestion(question: Question): QuestionProblem | null {
  if (!htmlToText(question.stem) && !/<(img|math|audio)\b/i.test(question.stem)) return problem('QUESTION_EMPTY_STEM', 'Câu hỏi không có nội dung.');
  if (!Number.isFinite(question.points) || question.points <= 0 || question.points > 1000) {
    return problem('QUESTION_INVALID_POINTS', `Điểm của câu hỏi phải là số dương (đang là "${question.points}").`);
  }
  const { options } = question;
  switch (question.type) {
    case 'multiple_choice': return checkChoices(options, false);
    case 'multiple_response': return checkChoices(options, true);
    case 'true_false':
      return options.length === 2 && hasFullMarks(options) ? null : problem('QUESTION_NO_CORRECT_ANSWER', 'Câu đúng/sai cần đúng hai phương án và một đáp án đúng.');
    case 'true_false_group':
      if (options.length < 2) return problem('QUESTION_TOO_FEW_OPTIONS', 'Câu hỏi đúng/sai nhiều ý cần ít nhất hai mệnh đề.');
      if (options.some((o) => o.fraction !== 0 && o.fraction !== 1)) return problem('QUESTION_NO_CORRECT_ANSWER', 'Mỗi mệnh đề phải được đánh dấu Đúng hoặc Sai.');
      if (question.scoring && question.scoring.length !== options.length + 1) {
        return problem('QUESTION_INVALID_SCORING', `Thang điểm cần ${options.length + 1} mức (từ 0 đến ${options.length} mệnh đề đúng).`);
      }
      return null;
    case 'short_answer':
      return hasCredit(options) ? null : problem('QUESTION_NO_CORRECT_ANSWER', 'Câu trả lời ngắn chưa có đáp án được chấp nhận.');
    case 'numerical':
      return options.some((o) => o.fraction > 0 && Number.isFinite(Number(o.text)))
        ? null : problem('QUESTION_NO_CORRECT_ANSWER', 'Câu hỏi số chưa có đáp số đúng.');
    case 'matching': {
      const pairs = options.filter((o) => htmlToText(o.text) || /<img\b/i.test(o.text));
      if (pairs.length < 2) return problem('QUESTION_TOO_FEW_OPTIONS', 'Câu ghép đôi cần ít nhất hai cặp.');
      return pairs.every((o) => o.match?.trim()) ? null : problem('QUESTION_NO_CORRECT_ANSWER', 'Mỗi vế trái của câu ghép đôi cần một vế phải.');
    }
    case 'essay': return null;
    case 'cloze': {
      const parts = question.parts ?? [];
      const markers = question.stem.match(/\{#\d+\}/g) ?? [];
      if (parts.length === 0) return problem('QUESTION_CLOZE_EMPTY', 'Câu điền khuyết không có ô trống nào.');
      if (markers.length !== parts.length) return problem('QUESTION_CLOZE_MISMATCH', `Nội dung có ${markers.length} ô trống nhưng có ${parts.length} đáp án ô trống.`);
      for (const [index, part] of parts.entries()) {
        const found = checkPart(part, index);
        if (found) return found;
      }
      return null;
    }
  }
}

import { escapeHtml } from '../../core/text.js';
import { decodeText } from '../../core/decode-text.js';
import type { Importer, ParseResult } from '../model.js';

const OPTION = /^([A-Z])[).]\s?(.*)$/;
const ANSWER = /^ANSWER:\s*(.*)$/;

/**
 * Moodle's Aiken format: a one-line question, options "A) …" or "A. …" (the space is optional),
 * then "ANSWER: B". Plain text, so the stem is escaped into HTML. Pure.
 */
export function parseAiken(text: string): ParseResult {
  const result: ParseResult = { questions: [], errors: [] };
  const lines = text.split(/\r?\n/);
  let item = 0;
  let current: { stem: string; line: number; options: Array<{ letter: string; text: string }> } | null = null;
  // After an option with no question, the rest of that broken item (up to its ANSWER) is skipped.
  let skipping = false;
  const fail = (line: number, code: string, message: string) => result.errors.push({ item, line, code, message });

  lines.forEach((raw, index) => {
    const line = raw.trim();
    const lineNo = index + 1;
    if (!line) {
      if (current) {
        item++;
        fail(current.line, 'AIKEN_NO_ANSWER', `Câu hỏi ở dòng ${current.line} thiếu dòng "ANSWER:".`);
        current = null;
      }
      return;
    }
    const answer = ANSWER.exec(line);
    const option = OPTION.exec(line);
    if (skipping) {
      if (answer) skipping = false;
      if (answer || option) return;
      skipping = false;
    }
    if (answer) {
      if (!current) {
        item++;
        return fail(lineNo, 'AIKEN_ANSWER_WITHOUT_QUESTION', `Dòng ${lineNo}: "ANSWER:" không thuộc câu hỏi nào.`);
      }
      item++;
      const key = answer[1]!.trim();
      const question = current;
      current = null;
      if (question.options.length < 2) return fail(question.line, 'AIKEN_TOO_FEW_OPTIONS', `Câu hỏi ở dòng ${question.line} cần ít nhất hai phương án.`);
      if (!question.options.some((o) => o.letter === key)) return fail(lineNo, 'AIKEN_UNKNOWN_ANSWER', `Dòng ${lineNo}: đáp án "${key}" không phải một phương án của câu hỏi.`);
      result.questions.push({
        item, type: 'multiple_choice', stem: escapeHtml(question.stem), points: 1,
        options: question.options.map((o) => ({ id: o.letter, text: escapeHtml(o.text), fraction: o.letter === key ? 1 : 0 })),
        source: { format: 'aiken', line: question.line },
      });
      return;
    }
    if (option && current) {
      current.options.push({ letter: option[1]!, text: option[2]!.trim() });
      return;
    }
    if (option && !current) {
      item++;
      skipping = true;
      return fail(lineNo, 'AIKEN_OPTION_WITHOUT_QUESTION', `Dòng ${lineNo}: phương án không thuộc câu hỏi nào.`);
    }
    if (!current) {
      current = { stem: line, line: lineNo, options: [] };
      return;
    }
    if (current.options.length === 0) current.stem += `\n${line}`;
    else {
      item++;
      fail(lineNo, 'AIKEN_SYNTAX', `Dòng ${lineNo}: mong đợi một phương án "A) …" hoặc dòng "ANSWER:".`);
      current = null;
    }
  });
  if (current) {
    item++;
    fail((current as { line: number }).line, 'AIKEN_NO_ANSWER', `Câu hỏi ở dòng ${(current as { line: number }).line} thiếu dòng "ANSWER:".`);
  }
  return result;
}

export const importAiken: Importer = ({ bytes }) => parseAiken(decodeText(bytes).text);

/** An Aiken file has at least one "ANSWER: X" line. */
export const looksLikeAiken = (text: string) => /^ANSWER:\s*\S/m.test(text);

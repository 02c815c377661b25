import type { QuestionType } from '../questions/model.js';

/**
 * The layout of the upper-secondary graduation exam from 2025 (Thông tư 04/2024/TT-BGDĐT, đề minh
 * hoạ 2025): three parts, each numbered from "Câu 1", with fixed points per question.
 */
export interface ExamPart {
  key: 'I' | 'II' | 'III';
  types: readonly QuestionType[];
  title: string;
  instructions: (count: number) => string;
  points: (subject: string | null) => number;
}

export const THPT_2025_PARTS: readonly ExamPart[] = [
  {
    key: 'I', types: ['multiple_choice'], title: 'PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn.',
    instructions: (n) => `Thí sinh trả lời từ câu 1 đến câu ${n}. Mỗi câu hỏi thí sinh chỉ chọn một phương án.`,
    points: () => 0.25,
  },
  {
    key: 'II', types: ['true_false_group'], title: 'PHẦN II. Câu trắc nghiệm đúng sai.',
    instructions: (n) => `Thí sinh trả lời từ câu 1 đến câu ${n}. Trong mỗi ý a), b), c), d) ở mỗi câu, thí sinh chọn đúng hoặc sai.`,
    points: () => 1,
  },
  {
    key: 'III', types: ['numerical', 'short_answer'], title: 'PHẦN III. Câu trắc nghiệm trả lời ngắn.',
    instructions: (n) => `Thí sinh trả lời từ câu 1 đến câu ${n}.`,
    // Mathematics has fewer, harder short-answer questions: 0.5 each; other subjects 0.25.
    points: (subject) => (subject === 'toan' ? 0.5 : 0.25),
  },
];

export const partOfType = (type: QuestionType) => THPT_2025_PARTS.find((part) => part.types.includes(type));

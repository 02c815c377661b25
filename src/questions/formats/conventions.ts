import { stripDiacritics } from '../../core/text.js';
import { COGNITIVE_LEVELS, type CognitiveLevel, type QuestionType } from '../model.js';

// Formats without a field for the cognitive level carry it as a tag with the level's code
// ("nhan-biet"), so a bank exported to Moodle or GIFT comes back with its levels.

const LEVEL_WORDS: Record<string, CognitiveLevel> = {
  'nhan-biet': 'nhan-biet', 'nhan biet': 'nhan-biet', nb: 'nhan-biet', biet: 'nhan-biet',
  'thong-hieu': 'thong-hieu', 'thong hieu': 'thong-hieu', th: 'thong-hieu', hieu: 'thong-hieu',
  'van-dung': 'van-dung', 'van dung': 'van-dung', vd: 'van-dung',
  'van-dung-cao': 'van-dung-cao', 'van dung cao': 'van-dung-cao', vdc: 'van-dung-cao',
};

/** "Nhận biết", "nhan-biet", "NB", "Vận dụng cao", "VDC"… → the level code; undefined if not a level. */
export function parseCognitiveLevel(text: string | undefined): CognitiveLevel | undefined {
  if (!text) return undefined;
  const key = stripDiacritics(text.normalize('NFC')).toLowerCase().replace(/[_\s]+/g, ' ').trim();
  return LEVEL_WORDS[key] ?? LEVEL_WORDS[key.replace(/ /g, '-')];
}

export const COGNITIVE_LEVEL_NAMES: Record<CognitiveLevel, string> = {
  'nhan-biet': 'Nhận biết', 'thong-hieu': 'Thông hiểu', 'van-dung': 'Vận dụng', 'van-dung-cao': 'Vận dụng cao',
};

/** How a question type is named to Vietnamese teachers (messages, printed papers). */
export const QUESTION_TYPE_NAMES: Record<QuestionType, string> = {
  multiple_choice: 'trắc nghiệm một đáp án', multiple_response: 'trắc nghiệm nhiều đáp án', true_false: 'đúng/sai',
  true_false_group: 'đúng/sai bốn ý (Phần II)', short_answer: 'trả lời ngắn', numerical: 'trả lời số', matching: 'ghép đôi',
  essay: 'tự luận', cloze: 'điền khuyết',
};

/** Tags as read from a file → the cognitive level (from a level tag) and the remaining tags. */
export function splitLevelTag(tags: string[]): { cognitiveLevel?: CognitiveLevel; tags: string[] } {
  const level = tags.map((t) => (COGNITIVE_LEVELS as readonly string[]).includes(t) ? t as CognitiveLevel : undefined).find(Boolean);
  return { cognitiveLevel: level, tags: tags.filter((t) => t !== level) };
}

/** The tags to write for a question in a format without a level field. */
export function tagsWithLevel(question: { cognitiveLevel?: CognitiveLevel; tags?: string[] }): string[] {
  return [...(question.cognitiveLevel ? [question.cognitiveLevel] : []), ...(question.tags ?? [])];
}

// Exporters mark a Part II item they had to flatten with this tag, so that our own importers can
// give it back its true_false_group type and scoring (other systems just see a tag).
export const TRUE_FALSE_GROUP_TAG = 'thpt2025-part2';

import { stripDiacritics } from '../../core/text.js';
import { COGNITIVE_LEVELS, type CognitiveLevel, isDefaultScoring, type Question, type QuestionType, THPT_2025_TRUE_FALSE_SCORING } from '../model.js';

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

const LEVEL_CODES = new Map<string, CognitiveLevel>(COGNITIVE_LEVELS.map((code) => [code, code]));
const LEVEL_CODES_AND_NAMES = new Map<string, CognitiveLevel>([
  ...LEVEL_CODES,
  ...(Object.entries(COGNITIVE_LEVEL_NAMES) as Array<[CognitiveLevel, string]>).map(([code, name]) => [name.toLowerCase(), code] as const),
]);

/**
 * Tags as read from a file → the cognitive level (from a level tag) and the remaining tags. A
 * level tag is the level's code; with `names`, also its full Vietnamese name, as QTI keywords
 * write it (in GIFT and Moodle a teacher's "nhận biết" tag stays a tag). Abbreviations ("TH")
 * are too ambiguous among a teacher's own tags either way.
 */
export function splitLevelTag(tags: string[], options: { names?: boolean } = {}): { cognitiveLevel?: CognitiveLevel; tags: string[] } {
  const levels = options.names ? LEVEL_CODES_AND_NAMES : LEVEL_CODES;
  const key = (tag: string) => tag.normalize('NFC').toLowerCase();
  const levelTag = tags.find((tag) => levels.has(key(tag)));
  return { cognitiveLevel: levelTag === undefined ? undefined : levels.get(key(levelTag)), tags: tags.filter((tag) => tag !== levelTag) };
}

/** The tags to write for a question in a format without a level field. */
export function tagsWithLevel(question: { cognitiveLevel?: CognitiveLevel; tags?: string[] }): string[] {
  return [...(question.cognitiveLevel ? [question.cognitiveLevel] : []), ...(question.tags ?? [])];
}

// Exporters mark a Part II item they had to flatten with this tag, so that our own importers can
// give it back its true_false_group type and scoring (other systems just see a tag).
export const TRUE_FALSE_GROUP_TAG = 'thpt2025-part2';

/** A number as Vietnamese write it in a message: decimal comma, at most four decimals (0,25). */
export const formatVietnameseNumber = (value: number): string => String(Number(value.toFixed(4))).replace('.', ',');

/**
 * What Moodle makes of a Part II item's scoring, for the export reports. Moodle grades the forms
 * our exporters give it (cloze gaps of equal weight, matching pairs) linearly: each statement
 * judged right earns the same share, so k of n right earns k/n of the points, whatever the item's
 * stepped scale (1 / 0,5 / 0,25 / 0,1 in the 2025 exam).
 */
export function linearScoringNote(question: Pick<Question, 'options' | 'scoring'>): string {
  const statements = question.options.length;
  const scoring = question.scoring ?? THPT_2025_TRUE_FALSE_SCORING;
  const counts = Array.from({ length: statements }, (_, i) => statements - i);
  const shares = (share: (right: number) => number) => counts.map((right) => formatVietnameseNumber(share(right))).join(' / ');
  const scale = isDefaultScoring(question.scoring) ? 'thang điểm 2025' : 'thang điểm riêng của câu';
  return `Moodle chấm đều từng ý: đúng ${counts.join('/')} ý được ${shares((right) => right / statements)} số điểm, `
    + `không theo được ${scale} (${shares((right) => scoring[right] ?? 0)})`;
}

import type { Language } from '../core/errors.js';

/**
 * What is wrong with one field of a refused request. Kept as a rule and its parameters, not
 * words: the answer says it in the caller's language when it is sent (`localizeFieldProblems`).
 * The rules are the schema keywords TypeBox reports, plus our own input guards'.
 */
export interface FieldProblem {
  field: string;
  rule: FieldRule;
  params?: Record<string, unknown>;
  allowedValues?: unknown[];
}

type Params = Record<string, unknown>;
type Say = (p: Params) => string;

const TYPE_NAMES: Record<string, [string, string]> = {
  string: ['chuỗi ký tự', 'a string'], integer: ['số nguyên', 'an integer'], number: ['số', 'a number'],
  boolean: ['true hoặc false', 'true or false'], object: ['đối tượng JSON', 'a JSON object'], array: ['danh sách', 'a list'], null: ['null', 'null'],
};
const FORMAT_NAMES: Record<string, [string, string]> = {
  uuid: ['UUID', 'UUID'], 'date-time': ['ngày giờ ISO 8601 có múi giờ', 'ISO 8601 date and time with an offset'],
  date: ['ngày YYYY-MM-DD', 'YYYY-MM-DD date'], email: ['địa chỉ email', 'email address'], uri: ['URL', 'URL'], url: ['URL', 'URL'],
};
const named = (names: Record<string, [string, string]>, key: unknown, language: Language) => names[String(key)]?.[language === 'vi' ? 0 : 1] ?? String(key);
/** One type, or the types of a union's branches (`string`, `null` → "chuỗi ký tự hoặc null"). */
const typeNames = (type: unknown, language: Language) => [type].flat().map((t) => named(TYPE_NAMES, t, language)).join(language === 'vi' ? ' hoặc ' : ' or ');

/** The one table of field messages: rule → [Vietnamese, English]. */
const MESSAGES = {
  required: [() => 'là trường bắt buộc', () => 'is required'],
  unknownField: [() => 'không phải là trường được chấp nhận', () => 'is not a known field'],
  allowedValues: [() => 'phải là một trong các giá trị cho phép', () => 'must be one of the allowed values'],
  type: [(p) => `phải là ${typeNames(p.type, 'vi')}`, (p) => `must be ${typeNames(p.type, 'en')}`],
  anyOf: [() => 'không khớp kiểu nào được chấp nhận', () => 'does not match any accepted form'],
  minLength: [(p) => `cần ít nhất ${p.limit} ký tự`, (p) => `must have at least ${p.limit} characters`],
  maxLength: [(p) => `chỉ được tối đa ${p.limit} ký tự`, (p) => `must have at most ${p.limit} characters`],
  pattern: [(p) => `không đúng dạng cho phép (mẫu ${p.pattern})`, (p) => `must match the pattern ${p.pattern}`],
  format: [(p) => `phải đúng định dạng ${named(FORMAT_NAMES, p.format, 'vi')}`, (p) => `must be a valid ${named(FORMAT_NAMES, p.format, 'en')}`],
  minimum: [(p) => `phải lớn hơn hoặc bằng ${p.limit}`, (p) => `must be at least ${p.limit}`],
  maximum: [(p) => `phải nhỏ hơn hoặc bằng ${p.limit}`, (p) => `must be at most ${p.limit}`],
  exclusiveMinimum: [(p) => `phải lớn hơn ${p.limit}`, (p) => `must be greater than ${p.limit}`],
  exclusiveMaximum: [(p) => `phải nhỏ hơn ${p.limit}`, (p) => `must be less than ${p.limit}`],
  multipleOf: [(p) => `phải là bội số của ${p.multipleOf}`, (p) => `must be a multiple of ${p.multipleOf}`],
  minItems: [(p) => `cần ít nhất ${p.limit} phần tử`, (p) => `must have at least ${p.limit} items`],
  maxItems: [(p) => `chỉ được tối đa ${p.limit} phần tử`, (p) => `must have at most ${p.limit} items`],
  uniqueItems: [() => 'không được có phần tử trùng nhau', () => 'must not contain duplicate items'],
  minProperties: [(p) => `cần ít nhất ${p.limit} trường`, (p) => `must have at least ${p.limit} fields`],
  maxProperties: [(p) => `chỉ được tối đa ${p.limit} trường`, (p) => `must have at most ${p.limit} fields`],
  controlCharacters: [() => 'không được chứa ký tự điều khiển', () => 'must not contain control characters'],
  controlCharactersInName: [() => 'có ký tự điều khiển trong tên trường', () => 'must not contain control characters in its name'],
  invalid: [() => 'không hợp lệ', () => 'is not valid'],
} satisfies Record<string, [Say, Say]>;

export type FieldRule = keyof typeof MESSAGES;

/** A validator keyword as a rule; keywords without words of their own are just "not valid". */
export function ruleOf(keyword: string): FieldRule {
  return keyword in MESSAGES ? keyword as FieldRule : keyword === 'enum' || keyword === 'const' ? 'allowedValues' : 'invalid';
}

/** The details of a refused request as the caller reads them: `{field, message, allowedValues?}` in their language. */
export function localizeFieldProblems(details: unknown, language: Language): unknown {
  if (!Array.isArray(details)) return details;
  return details.map((detail: unknown) => {
    if (!detail || typeof detail !== 'object' || !('rule' in detail)) return detail;
    const { field, rule, params, allowedValues } = detail as FieldProblem;
    const say = (MESSAGES[rule] ?? MESSAGES.invalid)[language === 'vi' ? 0 : 1];
    return allowedValues ? { field, message: say(params ?? {}), allowedValues } : { field, message: say(params ?? {}) };
  });
}

import { AppError } from '../core/errors.js';
import commonPasswords from './common-passwords.json' with { type: 'json' };

export const MIN_PASSWORD_LENGTH = 10;

const COMMON = new Set([...commonPasswords.passwords, ...commonPasswords.vietnamese].map((p) => p.toLowerCase()));

/** Runs people type without thinking: digits, the alphabet, keyboard rows; forwards or backwards. */
const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm'];

export type PasswordProblem = 'too_short' | 'contains_username' | 'common' | 'pattern';

const EXPLANATIONS: Record<PasswordProblem, string> = {
  too_short: `ít nhất ${MIN_PASSWORD_LENGTH} ký tự`,
  contains_username: 'không được chứa tên đăng nhập',
  common: 'là một trong những mật khẩu phổ biến nhất',
  pattern: 'là chuỗi dễ đoán (ký tự hoặc cụm ký tự lặp lại, dãy liên tiếp)',
};

/** For operators: the same rules, in the language of the logs. */
export const PASSWORD_PROBLEMS_EN: Record<PasswordProblem, string> = {
  too_short: `shorter than ${MIN_PASSWORD_LENGTH} characters`,
  contains_username: 'contains the username',
  common: 'one of the most common passwords',
  pattern: 'an easy pattern (a repeated character or block, a run such as 1234567890 or qwertyuiop)',
};

/** A block of at most three characters repeated ("aaaaaaaaaa", "1212121212", "abcabcabca"). */
function isRepetition(text: string): boolean {
  for (let period = 1; period <= 3; period++) {
    const block = text.slice(0, period);
    if (block.repeat(Math.ceil(text.length / period)).slice(0, text.length) === text) return true;
  }
  return false;
}

/** A run along a sequence, wrapping round ("7890123456"), in either direction. */
function isRun(text: string): boolean {
  return SEQUENCES.some((sequence) => {
    const cycle = sequence.repeat(Math.ceil(text.length / sequence.length) + 1);
    return cycle.includes(text) || cycle.includes([...text].reverse().join(''));
  });
}

/** What is wrong with a password for this username, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  const lower = password.toLowerCase();
  if (password.length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (lower.includes(username.toLowerCase())) return 'contains_username';
  if (COMMON.has(lower)) return 'common';
  if (isRepetition(lower) || isRun(lower)) return 'pattern';
  return null;
}

/** Throws WEAK_PASSWORD naming the field and the rule it breaks. */
export function requireStrongPassword(password: string, username: string, field = 'password'): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new AppError('WEAK_PASSWORD', {}, [{ field, reason: problem, message: EXPLANATIONS[problem] }]);
}

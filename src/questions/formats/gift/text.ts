/**
 * Text handling shared by the GIFT importer and exporter: GIFT's backslash escapes, its text
 * formats ([html], [moodle], [plain], [markdown]) and the Hoclieu comment markers.
 */
import { escapeHtml } from '../../../core/text.js';

// Escaped control characters are swapped for private-use characters before any splitting, so the
// parser can find the real control characters with plain string searches; `reveal` swaps them back
// when a piece of text is taken out. Moodle does the same with "&&058;"-style placeholders.
const HIDDEN_BASE = 0xe000;
const HIDDEN = /[\ue000-\ue07f]/g;
export const hide = (char: string): string => String.fromCharCode(HIDDEN_BASE + char.charCodeAt(0));
export const reveal = (text: string): string => text.replace(HIDDEN, (c) => String.fromCharCode(c.charCodeAt(0) - HIDDEN_BASE));

/** Where a missing-word question had its answer block, until the stem is built. */
export const BLANK = '\ue100';

/**
 * Moodle's escapes: `\\` a backslash, `\n` a newline, `\: \# \= \{ \} \~` the literal character.
 * One left-to-right pass, so `\\:` is a backslash followed by a real colon, as in Moodle.
 */
export function hideEscapes(text: string): string {
  return text.replace(/\\([\\:#={}~n])/g, (_, c: string) => (c === '\\' ? '\\' : hide(c === 'n' ? '\n' : c)));
}

// LaTeX inside \( \), \[ \], $$ $$ or $…$ (pandoc's rule: no space just inside the dollars) is
// full of braces and often of "=" and "\neq"; teachers rarely escape them, and Moodle would then
// misread the formula as an answer block. Inside formulas these are therefore taken literally.
export const MATH = /\\\([\s\S]*?\\\)|\\\[[\s\S]*?\\\]|\$\$[\s\S]+?\$\$|\$(?![\s$])[^$\n]*?(?<!\s)\$(?!\d)/g;
const HIDDEN_NEWLINE = hide('\n');

export function protectMath(text: string): string {
  return text.replace(MATH, (formula) => formula
    .replace(/[{}=~#:]/g, hide)
    // An unescaped "\neq" reached us as an escaped newline followed by "eq": give the command back.
    .replace(new RegExp(`${HIDDEN_NEWLINE}(?=[A-Za-z])`, 'g'), '\\n'));
}

export type TextFormat = 'html' | 'moodle' | 'plain' | 'markdown';
const TEXT_FORMATS: readonly string[] = ['html', 'moodle', 'plain', 'markdown'];

/** A leading `[html]`-style marker and the rest; unknown markers ("[1; 2]") are text, as in Moodle. */
export function splitFormat(text: string, fallback: TextFormat): { format: TextFormat; text: string } {
  const marker = /^\[([a-z]+)\]/.exec(text);
  if (marker && TEXT_FORMATS.includes(marker[1]!)) return { format: marker[1] as TextFormat, text: text.slice(marker[0].length) };
  return { format: fallback, text };
}

/**
 * A GIFT text (escapes still hidden) as HTML. HTML passes through; the other formats are plain
 * text to us: escaped, lines trimmed, newlines kept as <br>. Markdown is not rendered.
 */
export function toHtml(text: string, format: TextFormat): string {
  const plain = reveal(text).trim();
  if (format === 'html') return plain;
  return plain.split('\n').map((line) => escapeHtml(line.trim())).join('<br>');
}

/** Moodle's writer escapes: the control characters, the backslash, and newlines as `\n`. */
export function escapeGift(text: string): string {
  return text.replace(/[\\#=~{}:]/g, (c) => `\\${c}`).replace(/\r/g, '').replace(/\n/g, '\\n');
}

/** Hoclieu's own markers in a question's comment lines (Moodle reads `id` and `tag`, ignores `points`). */
export const COMMENT_MARKER = /\[(id|tag|points):((?:\\.|[^\]\\])+)\]/g;
// Moodle unescapes only `\]` inside a marker.
export const escapeMarker = (value: string): string => value.replace(/]/g, '\\]');
export const unescapeMarker = (value: string): string => value.replace(/\\]/g, ']').trim();

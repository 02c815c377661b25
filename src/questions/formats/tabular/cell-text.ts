import { escapeHtml } from '../../../core/text.js';
import { htmlToText } from '../../html.js';
import { ASSET_PREFIX } from '../../model.js';

/**
 * A cell as we compare and store it: NFC (Excel on macOS saves NFD), line breaks as "\n", no
 * spaces dangling before a break, no surrounding blanks.
 */
export function cleanCell(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').trim();
}

/** Cell text is plain text: escaped into HTML, its line breaks kept as <br>. */
export function cellToHtml(text: string): string {
  return escapeHtml(text).replace(/\n/g, '<br>');
}

// Paragraph and line structure survives as line breaks; any other element is formatting a cell
// cannot hold, and the export says so.
const STRUCTURE_TAGS = new Set(['p', 'div', 'br', 'span']);
const IMG_TAG = /<img\b[^>]*>/gi;
const TAG_NAME = /<([a-zA-Z][\w:-]*)/g;

export interface CellText {
  text: string;
  /** How many images were replaced by a "[hình: …]" note. */
  images: number;
  /** Formatting elements lost (b, sup, table, math…), each once. */
  lostTags: string[];
}

/** HTML → the plain text of a cell, saying what it could not keep. */
export function htmlToCell(html: string): CellText {
  let images = 0;
  const withNotes = html.replace(IMG_TAG, (tag) => {
    images++;
    const attribute = (name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];
    return `[hình: ${attribute('alt') || attribute('src')?.replace(ASSET_PREFIX, '') || '?'}]`;
  });
  const lostTags = [...new Set([...withNotes.matchAll(TAG_NAME)].map((m) => m[1]!.toLowerCase()))].filter((tag) => !STRUCTURE_TAGS.has(tag));
  return { text: htmlToText(withNotes), images, lostTags };
}

const DECIMAL = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

/** "2,5", "0.25", "-3", "1 000" → a number; undefined when the text is not one. */
export function parseDecimal(text: string): number | undefined {
  const compact = text.replace(/[\s\u00a0]/g, '');
  return DECIMAL.test(compact) ? Number(compact.replace(',', '.')) : undefined;
}

// Excel runs a CSV cell that starts with one of these as a formula (CSV injection, and "#NAME?"
// for a stem like "- Nêu…"); a leading apostrophe makes it text, and our import takes it off again.
const FORMULA_START = /^[=+\-@]/;

/** A text cell made safe for Excel; numbers such as "-3" stay numbers. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) && parseDecimal(text) === undefined ? `'${text}` : text;
}

/** The cell text as written before guardFormula. */
export function unguardFormula(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

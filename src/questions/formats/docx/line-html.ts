import { escapeHtml } from '../../../core/text.js';
import type { QuestionAsset } from '../../model.js';
import type { Line, RunMarks, Segment } from './read-document.js';

// Pieces of a line (a stem after "Câu 1.", an option after "B.") as HTML, and the formatting of
// a given character (the option letter whose underline marks the key).

/** Which formatting becomes HTML. Options keep only italics and scripts: their bold, underline
 * and colour are how teachers mark keys, not content. */
export type Emphasis = 'rich' | 'plain';

const WRAPPERS: Array<[keyof RunMarks, string, Emphasis[]]> = [
  ['bold', 'strong', ['rich']],
  ['italic', 'em', ['rich', 'plain']],
  ['underline', 'u', ['rich']],
  ['superscript', 'sup', ['rich', 'plain']],
  ['subscript', 'sub', ['rich', 'plain']],
];

interface Piece { segment: Segment; text: string }

/** The segments covering plain-text offsets [start, end), text segments cut to fit. */
function piecesBetween(line: Line, start: number, end: number): Piece[] {
  const pieces: Piece[] = [];
  let offset = 0;
  for (const segment of line.segments) {
    const length = segment.kind === 'text' ? segment.text.length : 1;
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + length);
    if (from < to) pieces.push({ segment, text: segment.kind === 'text' ? segment.text.slice(from - offset, to - offset) : '' });
    offset += length;
  }
  return pieces;
}

/** HTML of the line's characters [start, end), trimmed of surrounding spaces. */
export function lineHtml(line: Line, start: number, end: number, emphasis: Emphasis): string {
  const pieces = piecesBetween(line, start, end);
  trimPieces(pieces);
  return pieces.map(({ segment, text }) => {
    if (segment.kind === 'object') return segment.html;
    if (!text) return '';
    return WRAPPERS.reduce((html, [mark, tag, kept]) => (segment.marks[mark] && kept.includes(emphasis) ? `<${tag}>${html}</${tag}>` : html), escapeHtml(text));
  }).join('').replace(/<\/(strong|em|u|sup|sub)><\1>/g, '');
}

function trimPieces(pieces: Piece[]): void {
  const hasContent = (piece: Piece) => piece.segment.kind === 'object' || piece.text.trim() !== '';
  const first = pieces.findIndex(hasContent);
  const last = pieces.findLastIndex(hasContent);
  pieces.forEach((piece, index) => {
    if (first === -1 || index < first || index > last) piece.text = '';
    if (index === first) piece.text = piece.text.trimStart();
    if (index === last) piece.text = piece.text.trimEnd();
  });
}

/** The images inside [start, end) of the line. */
export function lineAssets(line: Line, start: number, end: number): QuestionAsset[] {
  return piecesBetween(line, start, end).flatMap(({ segment }) => (segment.kind === 'object' && segment.asset ? [segment.asset] : []));
}

/** Formatting of the characters [start, end) merged: a mark counts if any of them has it. */
export function marksBetween(line: Line, start: number, end: number): RunMarks {
  const marks: RunMarks = { bold: false, italic: false, underline: false, red: false, highlight: false, superscript: false, subscript: false };
  for (const { segment, text } of piecesBetween(line, start, end)) {
    if (segment.kind !== 'text' || !text.trim()) continue;
    for (const key of Object.keys(marks) as Array<keyof RunMarks>) marks[key] ||= segment.marks[key];
  }
  return marks;
}

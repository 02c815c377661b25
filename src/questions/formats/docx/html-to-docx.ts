import { decodeEntities } from '../../html.js';
import { ImageRun, Tab, TextRun, type ParagraphChild } from 'docx';
import { ASSET_PREFIX, type QuestionAsset } from '../../model.js';
import { mathmlToDocx } from './mathml-to-docx.js';

// Question HTML (already sanitised) → lines of Word runs for the printed exam: paragraphs and
// <br> start new lines, table cells are separated by tabs, <strong>/<em>/<u>/<sup>/<sub> become
// run formatting, images are embedded and MathML becomes a Word equation.

export type Inline = ParagraphChild;

export interface RenderContext {
  assets: QuestionAsset[];
  /** Called for what cannot be printed as it is. */
  report: (code: string, message: string) => void;
}

interface Style { bold: number; italic: number; underline: number; superscript: number; subscript: number }

const TOKEN = /<math\b[^>]*>[^]*?<\/math>|<!--[^]*?-->|<(\/?)([a-zA-Z][\w:-]*)([^>]*)>|([^<]+)/gi;
const BLOCK_TAGS = new Set(['p', 'div', 'li', 'tr', 'table', 'ul', 'ol', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre']);
const STYLE_TAGS: Record<string, keyof Style> = { strong: 'bold', b: 'bold', em: 'italic', i: 'italic', u: 'underline', sup: 'superscript', sub: 'subscript' };
/** Widest printed image, in pixels (about 12 cm). */
const MAX_IMAGE_WIDTH = 450;

export function htmlToLines(html: string, context: RenderContext): Inline[][] {
  const lines: Inline[][] = [[]];
  const style: Style = { bold: 0, italic: 0, underline: 0, superscript: 0, subscript: 0 };
  const newLine = () => { if (lines[lines.length - 1]!.length) lines.push([]); };
  const push = (inline: Inline) => lines[lines.length - 1]!.push(inline);
  for (const match of html.matchAll(TOKEN)) {
    const [whole, closing, rawTag, attributes, text] = match;
    if (text !== undefined) { pushText(decodeEntities(text.replace(/[\r\n]+/g, ' ')), style, push); continue; }
    if (whole.toLowerCase().startsWith('<math')) { push(mathmlToDocx(whole) ?? textRun(stripTags(whole), style)); continue; }
    if (!rawTag) continue;
    const tag = rawTag.toLowerCase();
    if (tag === 'br' || BLOCK_TAGS.has(tag)) newLine();
    else if (tag === 'td' || tag === 'th') { if (closing) pushText('\t', style, push); }
    else if (STYLE_TAGS[tag]) style[STYLE_TAGS[tag]] += closing ? -1 : 1;
    else if (tag === 'img' && !closing) push(image(attributes ?? '', context) ?? textRun('[hình]', style));
  }
  return lines.filter((line, index) => line.length || index === 0);
}

/** The text of HTML, for measuring option lengths. */
export function stripTags(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ''));
}

function pushText(text: string, style: Style, push: (inline: Inline) => void): void {
  if (text) push(textRun(text, style));
}

function textRun(text: string, style: Style): TextRun {
  const children = text.split('\t').flatMap((piece, index) => (index ? [new Tab(), piece] : [piece])).filter((child) => child !== '');
  return new TextRun({
    children, bold: style.bold > 0, italics: style.italic > 0, underline: style.underline > 0 ? {} : undefined,
    superScript: style.superscript > 0, subScript: style.subscript > 0,
  });
}

function image(attributes: string, context: RenderContext): ImageRun | undefined {
  const source = decodeEntities(/\bsrc\s*=\s*"([^"]*)"/i.exec(attributes)?.[1] ?? '');
  const name = source.startsWith(ASSET_PREFIX) ? source.slice(ASSET_PREFIX.length) : undefined;
  const asset = name === undefined ? undefined : context.assets.find((a) => a.name === name);
  if (!asset) {
    context.report('DOCX_IMAGE_MISSING', `Không có tệp ảnh "${source}" đi kèm câu hỏi nên không in được ảnh.`);
    return undefined;
  }
  const info = imageInfo(asset.bytes);
  if (!info) {
    context.report('DOCX_IMAGE_UNSUPPORTED', `Ảnh "${asset.name}" (${asset.mime ?? 'không rõ kiểu'}) không phải PNG, JPEG, GIF hay BMP nên không in được.`);
    return undefined;
  }
  const scale = Math.min(1, MAX_IMAGE_WIDTH / info.width);
  return new ImageRun({ type: info.type, data: asset.bytes, transformation: { width: Math.round(info.width * scale), height: Math.round(info.height * scale) } });
}

/** Type and pixel size from the file's own header: PNG, JPEG, GIF, BMP. */
export function imageInfo(bytes: Buffer): { type: 'png' | 'jpg' | 'gif' | 'bmp'; width: number; height: number } | undefined {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) return { type: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes.length >= 10 && bytes.toString('latin1', 0, 4) === 'GIF8') return { type: 'gif', width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  if (bytes.length >= 26 && bytes.toString('latin1', 0, 2) === 'BM') return { type: 'bmp', width: bytes.readInt32LE(18), height: Math.abs(bytes.readInt32LE(22)) };
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let at = 2; at + 9 < bytes.length;) {
      if (bytes[at] !== 0xff) return undefined;
      const marker = bytes[at + 1]!;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: 'jpg', width: bytes.readUInt16BE(at + 7), height: bytes.readUInt16BE(at + 5) };
      }
      at += 2 + bytes.readUInt16BE(at + 2);
    }
  }
  return undefined;
}


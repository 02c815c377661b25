import sanitizeHtml from 'sanitize-html';
import { ASSET_PREFIX, type QuestionAsset } from './model.js';

// MathML presentation and semantics elements: formulas are kept exactly as the author wrote them.
const MATHML_TAGS = [
  'math', 'maction', 'menclose', 'merror', 'mfenced', 'mfrac', 'mi', 'mmultiscripts', 'mn', 'mo', 'mover', 'mpadded', 'mphantom', 'mprescripts',
  'mroot', 'mrow', 'ms', 'mspace', 'msqrt', 'mstyle', 'msub', 'msubsup', 'msup', 'mtable', 'mtd', 'mtext', 'mtr', 'munder', 'munderover', 'none',
  'semantics', 'annotation', 'annotation-xml',
];
const MATHML_ATTRIBUTES = [
  'xmlns', 'display', 'mathvariant', 'mathsize', 'mathcolor', 'stretchy', 'fence', 'separator', 'accent', 'accentunder', 'linethickness',
  'columnalign', 'rowalign', 'open', 'close', 'separators', 'notation', 'encoding', 'width', 'height', 'depth', 'lspace', 'rspace', 'scriptlevel',
];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags, 'img', 'u', 's', 'sub', 'sup', 'span', 'font', 'audio', 'source', 'colgroup', 'col', ...MATHML_TAGS,
  ],
  allowedAttributes: {
    '*': ['class', 'dir', 'lang', 'style', 'title', 'align'],
    img: ['src', 'alt', 'width', 'height'],
    a: ['href', 'name', 'target'],
    audio: ['src', 'controls'], source: ['src', 'type'],
    td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'], font: ['color'],
    ...Object.fromEntries(MATHML_TAGS.map((tag) => [tag, MATHML_ATTRIBUTES])),
  },
  allowedStyles: {
    '*': {
      color: [/^#[0-9a-f]{3,8}$/i, /^rgb\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\)$/i, /^[a-z]+$/i],
      'text-decoration': [/^(underline|line-through|none)$/], 'font-weight': [/^(bold|normal|\d{3})$/], 'font-style': [/^(italic|normal)$/],
      'text-align': [/^(left|right|center|justify)$/], 'vertical-align': [/^(super|sub|middle|top|bottom|baseline)$/],
    },
  },
  // Relative URLs are our asset references (@@ASSET@@/name); data: URIs were taken out before.
  allowedSchemes: ['http', 'https'],
  allowProtocolRelative: false,
  parser: { lowerCaseAttributeNames: false },
};

/** Untrusted HTML from an imported file, reduced to what a question may show: no scripts, no handlers. */
export function sanitizeQuestionHtml(html: string): string {
  // Most option texts are plain words or numbers, which the sanitiser would return unchanged; a
  // bank of ten thousand questions has forty thousand of them.
  if (!/[<>&"]/.test(html)) return html.normalize('NFC');
  return sanitizeHtml(html, OPTIONS).normalize('NFC');
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Character references and the common named entities decoded; anything else (or out of range) stays as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The readable text of question HTML that passed sanitizeQuestionHtml (for search, validation and
 * spreadsheets): tags out, entities decoded. The sanitiser's output has no scripts, comments or
 * unescaped ">" in attributes, so dropping what lies between "<" and ">" is exact here.
 */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<br\s*\/?>|<\/p>|<\/div>|<\/li>|<\/tr>/gi, (m) => `${m}\n`).replace(/<[^>]*>/g, ''))
    .replace(/\u00a0/g, ' ').replace(/[ \t]+\n/g, '\n').trim();
}

const DATA_URI_IMAGE = /(<img\b[^>]*?\bsrc\s*=\s*)(["'])data:([\w/+.-]+);base64,([A-Za-z0-9+/=\s]+)\2/gi;

/**
 * Inline `data:` images (pasted into an editor, or how some tools export) become assets of the
 * question, so that no base64 ends up in the database.
 */
export function extractDataUriImages(html: string, assets: QuestionAsset[]): string {
  return html.replace(DATA_URI_IMAGE, (_whole, head: string, quote: string, mime: string, data: string) => {
    const name = `inline-${assets.length + 1}.${mime.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin'}`;
    assets.push({ name, mime, bytes: Buffer.from(data.replace(/\s+/g, ''), 'base64') });
    return `${head}${quote}${ASSET_PREFIX}${name}${quote}`;
  });
}

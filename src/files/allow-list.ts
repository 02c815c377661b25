import { fileTypeFromBuffer } from 'file-type';
import { extensionsOf } from './file-extensions.js';

/**
 * Which sniffed types each material type accepts. The type comes from the bytes (file-type),
 * never from the name or the client's header. Text formats have no magic bytes: they are
 * recognised as text/plain (valid UTF-8 without NUL bytes) or XML; markup that runs scripts is
 * recognised as what it is, and no material type accepts it.
 */
const DOCUMENTS = ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.oasis.opendocument.text', 'application/x-cfb', 'application/rtf', 'text/plain'];
const SLIDES = ['application/pdf', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'application/vnd.oasis.opendocument.presentation', 'application/x-cfb'];
const SHEETS = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.spreadsheet'];
const VIDEO = ['video/mp4', 'video/webm', 'video/quicktime', 'video/x-matroska', 'video/mpeg', 'video/mp2t', 'video/x-msvideo', 'video/3gpp'];
const AUDIO = ['audio/mpeg', 'audio/mp4', 'audio/x-m4a', 'audio/aac', 'audio/wav', 'audio/x-wav', 'audio/ogg', 'audio/opus', 'audio/flac', 'audio/x-flac', 'audio/webm'];
const IMAGES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/heic', 'image/tiff'];
const EBOOKS = ['application/pdf', 'application/epub+zip'];
// Packaged interactive content (SCORM/xAPI, HTML5 simulations and games) comes as zip archives.
const PACKAGES = ['application/zip'];
const XML = ['application/xml', 'text/xml'];
const CAPTIONS = ['text/vtt', 'text/plain'];

export const ALLOWED_MIME_TYPES: Record<string, readonly string[]> = {
  lecture: [...SLIDES, ...DOCUMENTS, ...VIDEO, ...IMAGES],
  // Caption tracks go to YouTube with the video: WebVTT (recognised as such), SRT (plain text).
  video: [...VIDEO, ...CAPTIONS],
  'tv-lesson': [...VIDEO, ...CAPTIONS],
  'question-bank': ['text/plain', ...XML, 'application/zip', ...SHEETS, ...DOCUMENTS],
  ebook: EBOOKS,
  'interactive-book': [...EBOOKS, ...PACKAGES],
  elearning: PACKAGES,
  document: [...DOCUMENTS, ...SLIDES, ...SHEETS, ...EBOOKS, ...IMAGES],
  'lab-guide': [...DOCUMENTS, ...VIDEO, ...IMAGES],
  simulation: PACKAGES,
  game: PACKAGES,
  audio: AUDIO,
  image: IMAGES,
  handbook: [...DOCUMENTS, ...EBOOKS],
  'lesson-plan': [...DOCUMENTS, ...SLIDES],
  mooc: [...PACKAGES, ...VIDEO, ...DOCUMENTS],
};

export function isAllowed(materialType: string, mime: string): boolean {
  return ALLOWED_MIME_TYPES[materialType]?.includes(mime) ?? false;
}

/**
 * The type of an upload from its first bytes: file-type's magic numbers, then text. XML is looked
 * at again: an SVG or XHTML document is XML to file-type but a page that runs scripts to a browser.
 */
export async function sniffType(head: Uint8Array): Promise<string> {
  const detected = (await fileTypeFromBuffer(head))?.mime;
  if (detected && !XML.includes(detected)) return detected;
  return sniffText(head);
}

/** The type of a file that file-type did not recognise, from its first bytes. */
export function sniffText(sample: Uint8Array): string {
  if (sample.length === 0 || sample.includes(0)) return 'application/octet-stream';
  // A multi-byte character may be cut at the end of the sample: ignore up to 3 trailing bytes.
  for (let cut = 0; cut <= Math.min(3, sample.length - 1); cut++) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.length - cut));
      return markupType(text) ?? (/^\s*<\?xml/.test(text) ? 'application/xml' : 'text/plain');
    } catch {
      // try a shorter prefix
    }
  }
  // Excel's CSV exports in Windows-1258 are not UTF-8 but are still text.
  if (!sample.every((b) => b >= 0x09)) return 'application/octet-stream';
  return markupType(Buffer.from(sample).toString('latin1')) ?? 'text/plain';
}

const HTML_ROOTS = new Set(['html', 'head', 'body', 'script', 'iframe', 'frameset', 'meta', 'style', 'object', 'embed', 'base']);

/**
 * Text that a browser renders with scripts: an HTML page (by its doctype or first element), SVG,
 * XHTML, XML with a stylesheet, or a script with a #! line. None is in any allow-list: they are
 * refused for every material type (packaged HTML5 content comes as a zip).
 */
function markupType(text: string): string | null {
  const lead = text.replace(/^\uFEFF/, '').replace(/^(?:\s|<\?xml\s[^>]*>|<!--[\s\S]*?-->)*/, '');
  if (lead.startsWith('#!')) return 'text/x-script';
  if (/^<\?xml-stylesheet\b/i.test(lead)) return 'application/xslt+xml';
  const root = /^<(?:!doctype\s+)?(?:[a-z][\w.-]*:)?([a-z][\w.-]*)/i.exec(lead);
  if (!root) return null;
  const name = root[1]!.toLowerCase();
  // The root's default namespace, whatever its name or prefix.
  const namespace = /\sxmlns\s*=\s*["']([^"']*)["']/.exec(/^<[^>]*>?/.exec(lead)![0])?.[1];
  if (name === 'svg' || namespace === 'http://www.w3.org/2000/svg') return 'image/svg+xml';
  if (HTML_ROOTS.has(name)) return 'text/html';
  if (namespace === 'http://www.w3.org/1999/xhtml') return 'application/xhtml+xml';
  return null;
}

/**
 * What a page's file picker accepts for a material type (its `accept` attribute and the upload
 * island's check before an upload starts): the extensions of every allowed type, and the types.
 * Only a first sieve for the teacher's sake: the server still judges the bytes after the upload.
 */
export function acceptedFor(materialType: string): { extensions: string[]; mimes: string[] } {
  const mimes = [...(ALLOWED_MIME_TYPES[materialType] ?? [])];
  return { extensions: [...new Set(mimes.flatMap((mime) => extensionsOf(mime)))], mimes };
}

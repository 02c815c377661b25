/**
 * Which sniffed types each material type accepts. The type comes from the bytes (file-type),
 * never from the name or the client's header. Text formats have no magic bytes: they are
 * recognised as text/plain (valid UTF-8 without NUL bytes) or XML.
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

/** The type of a file that file-type did not recognise, from its first bytes. */
export function sniffText(sample: Uint8Array): string {
  if (sample.length === 0 || sample.includes(0)) return 'application/octet-stream';
  // A multi-byte character may be cut at the end of the sample: ignore up to 3 trailing bytes.
  for (let cut = 0; cut <= Math.min(3, sample.length - 1); cut++) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.length - cut));
      return /^\s*<\?xml/.test(text) ? 'application/xml' : 'text/plain';
    } catch {
      // try a shorter prefix
    }
  }
  // Excel's CSV exports in Windows-1258 are not UTF-8 but are still text.
  return sample.every((b) => b >= 0x09) ? 'text/plain' : 'application/octet-stream';
}

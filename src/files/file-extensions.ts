/**
 * The extensions a file of each accepted (sniffed) type may be stored and served under, the
 * usual one first. A name whose extension does not fit its bytes gets the usual one instead, so
 * an HTML page or a script renamed .pdf, or a PDF renamed .html, is saved as what it really is.
 */
const EXTENSIONS: Record<string, readonly string[]> = {
  'application/pdf': ['pdf'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.oasis.opendocument.text': ['odt'],
  'application/vnd.oasis.opendocument.presentation': ['odp'],
  'application/vnd.oasis.opendocument.spreadsheet': ['ods'],
  // Office 97–2003 documents all share the compound file format.
  'application/x-cfb': ['doc', 'xls', 'ppt', 'pps', 'dot', 'xlt', 'pot'],
  'application/rtf': ['rtf'],
  'application/epub+zip': ['epub'],
  'application/zip': ['zip', 'h5p'],
  'application/xml': ['xml'],
  'text/xml': ['xml'],
  // Plain text: notes, CSV question banks, SRT captions, GIFT and Aiken files.
  'text/plain': ['txt', 'csv', 'tsv', 'srt', 'gift', 'md'],
  'text/vtt': ['vtt'],
  'video/mp4': ['mp4', 'm4v'],
  'video/webm': ['webm'],
  'video/quicktime': ['mov', 'qt'],
  'video/x-matroska': ['mkv'],
  'video/mpeg': ['mpg', 'mpeg'],
  'video/mp2t': ['ts', 'mts', 'm2ts'],
  'video/x-msvideo': ['avi'],
  'video/3gpp': ['3gp'],
  'audio/mpeg': ['mp3'],
  'audio/mp4': ['m4a', 'mp4'],
  'audio/x-m4a': ['m4a'],
  'audio/aac': ['aac'],
  'audio/wav': ['wav'],
  'audio/x-wav': ['wav'],
  'audio/ogg': ['ogg', 'oga'],
  'audio/opus': ['opus'],
  'audio/flac': ['flac'],
  'audio/x-flac': ['flac'],
  'audio/webm': ['weba', 'webm'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'image/gif': ['gif'],
  'image/avif': ['avif'],
  'image/heic': ['heic', 'heif'],
  'image/tiff': ['tif', 'tiff'],
};

/** Extensions that make a desktop or a browser run or render the file: never kept on a type that is not theirs. */
const ACTIVE = ['html', 'htm', 'xhtml', 'xht', 'shtml', 'svg', 'svgz', 'js', 'mjs', 'cjs', 'jsx', 'hta', 'exe', 'com', 'bat', 'cmd', 'scr', 'pif',
  'msi', 'ps1', 'vbs', 'vbe', 'wsf', 'jar', 'sh', 'php', 'lnk', 'reg', 'xml', 'xsl', 'swf', 'url', 'desktop', 'app', 'dll'];

const KNOWN = new Set([...Object.values(EXTENSIONS).flat(), ...ACTIVE]);

/** The extensions allowed for a sniffed type, the usual one first (`bin` for a type without one). */
export function extensionsOf(mime: string): readonly string[] {
  return EXTENSIONS[mime] ?? ['bin'];
}

/** Whether an extension names a file type: one that must agree with the bytes, not part of a name like "v1.2". */
export function isKnownExtension(extension: string): boolean {
  return KNOWN.has(extension.toLowerCase());
}

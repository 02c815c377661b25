/** The uploads that get a document preview, by sniffed type (src/files/allow-list.ts). */
const OFFICE: Record<string, string> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  // .doc, .ppt and .xls (OLE compound files): LibreOffice tells them apart by their streams.
  'application/x-cfb': 'doc',
  'application/rtf': 'rtf',
};

export type DocumentKind = 'pdf' | 'office' | 'epub';

export function documentKindOf(mime: string): DocumentKind | null {
  if (mime === 'application/pdf') return 'pdf';
  if (mime === 'application/epub+zip') return 'epub';
  return OFFICE[mime] ? 'office' : null;
}

/** The extension LibreOffice is given the file under (it reads the bytes, the name only helps). */
export function officeExtension(mime: string): string {
  return OFFICE[mime] ?? 'bin';
}

/** Entries an OOXML or ODF package of this type cannot do without: a zip that lacks them only claims to be one. */
export const REQUIRED_ENTRY: Record<string, RegExp> = {
  docx: /^word\/document\.xml$/,
  pptx: /^ppt\/presentation\.xml$/,
  xlsx: /^xl\/workbook\.xml$/,
  odt: /^content\.xml$/,
  odp: /^content\.xml$/,
  ods: /^content\.xml$/,
};

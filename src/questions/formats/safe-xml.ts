import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { AppError } from '../../core/errors.js';

// Entity declarations are how XXE (reading local files, fetching URLs) and "billion laughs"
// (exponential expansion) get in. No question format needs them, so a document that declares any,
// or points at an external DTD, is refused before it is parsed at all.
const ENTITY_DECLARATION = /<!ENTITY/i;
const EXTERNAL_DTD = /<!DOCTYPE[^>[]*\b(SYSTEM|PUBLIC)\b/i;

/**
 * Parses untrusted XML with fast-xml-parser after refusing entity declarations and external DTDs;
 * the predefined entities and character references (&#7889;) are decoded, and text and attribute
 * values stay the strings they were ("007" is an id, not 7; spaces are the author's). Malformed
 * XML is a 422 naming the line. `options` are fast-xml-parser's, for the caller's tree shape.
 */
export function parseUntrustedXml(text: string, options: Partial<X2jOptions> = {}): unknown {
  if (ENTITY_DECLARATION.test(text)) throw new AppError('QUESTION_FILE_UNSAFE', { reason: 'tệp XML khai báo thực thể (<!ENTITY>), không được phép' });
  if (EXTERNAL_DTD.test(text)) throw new AppError('QUESTION_FILE_UNSAFE', { reason: 'tệp XML tham chiếu DTD bên ngoài, không được phép' });
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new AppError('QUESTION_FILE_MALFORMED', { reason: `XML không hợp lệ ở dòng ${valid.err.line}: ${valid.err.msg}` });
  return new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '@_', processEntities: true, htmlEntities: true,
    parseTagValue: false, parseAttributeValue: false, trimValues: false, ...options,
  }).parse(text);
}

import { AppError } from '../core/errors.js';
import { extensionsOf, isKnownExtension } from './file-extensions.js';

/** Longest stored file name, in characters: what every file system and browser accepts. */
const MAX_FILE_NAME_CHARS = 255;

// C0 and C1 controls (NUL, newlines, escapes) and the bidirectional overrides that make
// "bai‮fdp.exe" look like "baiexe.pdf".
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const EXTENSION = /\.((?=[^.]*[a-z])[a-z0-9]{1,10})$/i;

/**
 * Refuses a file name with control characters (400): checked before any byte of the file is
 * stored, for multipart and tus alike.
 */
export function checkFileName(raw: string): void {
  if (FORBIDDEN.test(raw)) {
    throw new AppError('VALIDATION_FAILED', {}, [{ field: 'filename', rule: 'controlCharacters' }]);
  }
}

/**
 * The name a file is stored and served under, the one place names are made: NFC, without any
 * directory the client sent, with the extension of its sniffed type (the base of the name kept),
 * and at most 255 characters with the extension kept.
 */
export function storedFileName(raw: string, mime: string): string {
  checkFileName(raw);
  return fileNameFor(raw, mime);
}

/** The name a file of type `mime` is served under (rows stored before these rules get it too). */
export function fileNameFor(raw: string, mime: string): string {
  const name = raw.normalize('NFC').split(/[\\/]/).pop()!.trim();
  const allowed = extensionsOf(mime);
  const given = EXTENSION.exec(name)?.[1];
  const keep = given !== undefined && allowed.includes(given.toLowerCase());
  // A known extension that is not this type's is replaced; anything else after a dot is part of the name.
  const base = given && (keep || isKnownExtension(given)) ? name.slice(0, -given.length - 1) : name;
  return capFileName(`${base.trim() || 'tep'}.${keep ? given : allowed[0]}`);
}

/** Cuts a name to MAX_FILE_NAME_CHARS characters, keeping its extension (names stored before the cap, too). */
export function capFileName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= MAX_FILE_NAME_CHARS) return name;
  const extension = EXTENSION.exec(name)?.[0] ?? '';
  const kept = chars.slice(0, MAX_FILE_NAME_CHARS - extension.length).join('').replace(/[\s.]+$/, '');
  return `${kept || 'tep'}${extension}`;
}

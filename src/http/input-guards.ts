/**
 * Checks every request passes before any route sees it: what no schema can say (control
 * characters anywhere, nesting depth) and what would otherwise crash deep inside (Postgres refuses
 * U+0000 in text; recursive walks of a 100 000-level JSON document overflow the stack).
 */
import type { FieldProblem } from './field-problems.js';

/** Deepest nesting of arrays and objects a JSON body may have; the deepest schema needs four. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a JSON text nests deeper than `max`, read without parsing it (JSON.parse itself copes
 * with any depth; every recursive walk after it does not).
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** C0 controls (U+0000–U+001F) and DEL; text fields keep tab, line feed and carriage return. */
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_BUT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * The fields of a request part (params, querystring, a parsed body) whose strings or keys carry
 * control characters, named like validation details ("matrix.0.topic"). Params and query
 * parameters are names and codes, where even a tab or line break is wrong.
 */
export function controlCharacterFields(value: unknown, part: 'params' | 'querystring' | 'body'): FieldProblem[] {
  const forbidden = part === 'body' ? CONTROL_BUT_WHITESPACE : CONTROL;
  const problems: FieldProblem[] = [];
  const visit = (item: unknown, path: string[]) => {
    if (typeof item === 'string') {
      if (forbidden.test(item)) problems.push({ field: fieldName(path, part), rule: 'controlCharacters' });
    } else if (Array.isArray(item)) {
      item.forEach((element, index) => visit(element, [...path, String(index)]));
    } else if (item && typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        if (forbidden.test(key)) problems.push({ field: fieldName([...path, key], part), rule: 'controlCharactersInName' });
        else visit(element, [...path, key]);
      }
    }
  };
  visit(value, []);
  return problems;
}

/** A field path as the answer shows it, its control characters written as JSON escapes. */
function fieldName(path: string[], part: string): string {
  if (path.length === 0) return part;
  return path.map((segment) => JSON.stringify(segment).slice(1, -1)).join('.');
}

/** A multipart/form-data content type needs its boundary parameter, or no part can be read. */
export function hasMultipartBoundary(contentType: string | undefined): boolean {
  return /;\s*boundary=("[^"]+"|[^\s;]+)/i.test(contentType ?? '');
}

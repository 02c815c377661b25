import { stripDiacritics } from '../core/text.js';
import { capFileName } from './file-name.js';

/**
 * `attachment` with an ASCII fallback name and the original (Vietnamese) name as RFC 5987
 * `filename*=UTF-8''…`, which every current browser prefers. The name is capped (as stored names
 * are), so the header stays within a few kilobytes.
 */
export function contentDisposition(fullName: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const name = capFileName(fullName);
  const fallback = stripDiacritics(name).replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Parses a single `bytes=` range against a size; null for none, 'invalid' when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Multiple ranges are legal HTTP but a server may answer them with the whole body.
  if (!match) return header.includes(',') ? null : 'invalid';
  const [, from, to] = match;
  if (from === '' && to === '') return 'invalid';
  let start: number;
  let end: number;
  if (from === '') {
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

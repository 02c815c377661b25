import type { SearchDocument } from '../search-backend.js';
import { syllables } from '../vocabulary.js';

/**
 * The lexemes a material is matched and first ranked by (docs/search.md, "Matching at scale"): its
 * folded syllables and each pair of adjacent syllables ("tich phan"), so that a Vietnamese word of two
 * syllables is one lexeme to look up instead of a phrase whose positions must be checked row by row.
 * Queries are built from the same syllables (text-query.ts), so both sides always agree.
 */

/** Marks a title's lexemes in the lead, so "all the words in the title" is one more lookup in it. */
export const TITLE_MARK = '^';
/** Joins lexemes into one text per material (folded syllables never hold it), split back in SQL. */
export const LEXEME_SEPARATOR = '|';

const pairs = (words: string[], mark = '') => words.slice(1).map((word, i) => `${mark}${words[i]} ${word}`);

/**
 * Every field's syllables and pairs, body included: what the GIN index finds. Kept out of line, so
 * that reading a matched row for its facets never reads its text.
 */
export function matchLexemes(document: Pick<SearchDocument, 'title' | 'terms' | 'description' | 'body'>): string[] {
  const lexemes = new Set<string>();
  for (const field of [document.title, document.terms, document.description ?? '', document.body]) {
    const words = syllables(field);
    for (const lexeme of words) lexemes.add(lexeme);
    for (const lexeme of pairs(words)) lexemes.add(lexeme);
  }
  return [...lexemes];
}

/**
 * What the cheap first score reads for every match, so kept small and inline: the title and the
 * description (syllables and pairs), the title again marked, and the taxonomy terms' syllables (for
 * how many of the query's words a material covers). The body only matches.
 */
export function leadLexemes(document: Pick<SearchDocument, 'title' | 'terms' | 'description'>): string[] {
  const title = syllables(document.title);
  const description = syllables(document.description ?? '');
  return [...new Set([
    ...title, ...pairs(title), ...title.map((w) => `${TITLE_MARK}${w}`), ...pairs(title, TITLE_MARK),
    ...description, ...pairs(description), ...syllables(document.terms),
  ])];
}

/** Lexemes as one text parameter (`string_to_array(…, '|')` in SQL). */
export const joinLexemes = (lexemes: string[]) => lexemes.join(LEXEME_SEPARATOR);

/**
 * tsquery texts for one search, built from the understood words (pure; src/search/postgres/word-slots.ts
 * resolves which words the index knows). They are read as raw tsqueries (`::tsquery`) against the
 * lexemes of match-lexemes.ts — folded syllables and pairs of them — and through to_tsquery('simple')
 * against the positional document, where the same single syllables mean the same. Quoted anyway.
 */

/** One word of the query and what may stand for it in a document. */
export interface WordSlot {
  word: string;
  /** Known words one edit or one swap away, when the index does not know `word` itself. */
  alternatives: string[];
  /** The last word, unknown as a whole word: the teacher is still typing it. */
  prefix: boolean;
}

type Term = { lexeme: string; prefix: boolean };

const quote = ({ lexeme, prefix }: Term) => `'${lexeme.replace(/'/g, '')}'${prefix ? ':*' : ''}`;
const anyOf = (terms: Term[]) => (terms.length === 1 ? quote(terms[0]!) : `(${terms.map(quote).join(' | ')})`);

/** The word and its stand-ins, each with `mark` before it (TITLE_MARK for the title's lexemes). */
function slotTerms(slot: WordSlot, mark = ''): Term[] {
  return [{ lexeme: `${mark}${slot.word}`, prefix: slot.prefix }, ...slot.alternatives.map((a) => ({ lexeme: `${mark}${a}`, prefix: false }))];
}

/** Every word (or a stand-in) somewhere in the document, or in its title with the title mark. */
export const allWords = (slots: WordSlot[], mark = '') => slots.map((s) => anyOf(slotTerms(s, mark))).join(' & ');

/** Any of the words: what the tie-breaking rank is computed over. */
export const anyWord = (slots: WordSlot[]) => slots.map((s) => anyOf(slotTerms(s))).join(' | ');

export const eachWord = (slots: WordSlot[]) => slots.map((s) => anyOf(slotTerms(s)));

/**
 * How many of n words a material must hold when none holds them all: a missing word lowers the rank
 * instead of emptying the result, but two-syllable queries are usually one Vietnamese word ("tích
 * phân", "Nguyễn Du") and keep both, and a long query may miss a third of its words at most.
 */
export function wordsRequired(n: number): number {
  return n <= 3 ? n : Math.ceil(n * 0.7);
}

const MAX_RELAXED_WORDS = 8;

/** At least `required` of the words, as an OR of ANDs over the combinations (n ≤ 8, so at most 70). */
export function someWords(slots: WordSlot[], required: number): string | null {
  if (required >= slots.length || slots.length > MAX_RELAXED_WORDS) return null;
  const parts = eachWord(slots);
  const combinations: string[] = [];
  const pick = (start: number, chosen: string[]) => {
    if (chosen.length === required) { combinations.push(`(${chosen.join(' & ')})`); return; }
    for (let i = start; i <= parts.length - (required - chosen.length); i++) pick(i + 1, [...chosen, parts[i]!]);
  };
  pick(0, []);
  return combinations.join(' | ');
}

/** Stand-ins cross a pair: at most this many spellings of one pair. */
const MAX_PAIR_SPELLINGS = 9;

/**
 * The query's syllables as adjacent pairs, each one lexeme of the index ('tich phan'): `whole` holds
 * them all (the phrase, as near as pairs tell it), `pairs` each one. Vietnamese words are several
 * syllables ("tam giác", "phương trình bậc hai"), so "tích phân" in this order outranks "phân tích".
 */
export function phrasePairs(tokens: string[], slots: WordSlot[], mark = ''): { whole: string | null; pairs: string[] } {
  if (tokens.length < 2) return { whole: null, pairs: [] };
  const bySlot = new Map(slots.map((s) => [s.word, s]));
  const termsOf = (token: string) => {
    const slot = bySlot.get(token);
    return slot ? slotTerms(slot) : [{ lexeme: token, prefix: false }];
  };
  const pairs: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const spellings = termsOf(tokens[i]!).flatMap((left) => termsOf(tokens[i + 1]!)
      .map((right) => ({ lexeme: `${mark}${left.lexeme} ${right.lexeme}`, prefix: right.prefix })));
    pairs.push(anyOf(spellings.slice(0, MAX_PAIR_SPELLINGS)));
  }
  const unique = [...new Set(pairs)];
  return { whole: unique.join(' & '), pairs: unique.slice(0, 8) };
}

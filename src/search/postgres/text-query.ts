/**
 * tsquery texts for one search, built from the understood words (pure; src/search/postgres/word-slots.ts
 * resolves which words the index knows). Lexemes are folded letters and digits only, quoted anyway.
 */

/** One word of the query and what may stand for it in a document. */
export interface WordSlot {
  word: string;
  /** Known words one edit or one swap away, when the index does not know `word` itself. */
  alternatives: string[];
  /** The last word, unknown as a whole word: the teacher is still typing it. */
  prefix: boolean;
}

const lexeme = (word: string, weight = '') => `'${word.replace(/'/g, '')}'${weight ? `:${weight}` : ''}`;

function slotQuery(slot: WordSlot, weight = ''): string {
  const own = slot.prefix ? `'${slot.word}':*${weight}` : lexeme(slot.word, weight);
  const all = [own, ...slot.alternatives.map((a) => lexeme(a, weight))];
  return all.length === 1 ? all[0]! : `(${all.join(' | ')})`;
}

/** Every word (or a stand-in) somewhere in the document. */
export const allWords = (slots: WordSlot[], weight = '') => slots.map((s) => slotQuery(s, weight)).join(' & ');

/** Any of the words: what the tie-breaking rank is computed over. */
export const anyWord = (slots: WordSlot[]) => slots.map((s) => slotQuery(s)).join(' | ');

export const eachWord = (slots: WordSlot[]) => slots.map((s) => slotQuery(s));

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

/**
 * The query's syllables as a phrase, and each adjacent pair: Vietnamese words are several syllables
 * ("tam giác", "phương trình bậc hai"), so "tích phân" in this order outranks "phân tích".
 */
export function phrases(tokens: string[], slots: WordSlot[], weight = ''): { whole: string | null; pairs: string[] } {
  if (tokens.length < 2) return { whole: null, pairs: [] };
  const bySlot = new Map(slots.map((s) => [s.word, s]));
  const term = (token: string) => {
    const slot = bySlot.get(token);
    return slot ? slotQuery(slot, weight) : lexeme(token, weight);
  };
  const terms = tokens.map(term);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < terms.length; i++) pairs.push(`${terms[i]} <-> ${terms[i + 1]}`);
  return { whole: terms.join(' <-> '), pairs: [...new Set(pairs)].slice(0, 8) };
}

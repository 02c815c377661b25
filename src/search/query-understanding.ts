import { syllables, type EntityKind, type SearchVocabulary } from './vocabulary.js';

/** The metadata a query names: each kind with the codes any of which it means. */
export interface QueryEntities {
  level?: string[];
  subject?: string[];
  type?: string[];
  series?: string[];
  grade?: number[];
}

export interface UnderstoodQuery {
  /** Syllables the text must cover (stop words and taxonomy words taken out), folded, in order. */
  words: string[];
  /** Every syllable of the query in order (stop words out): the phrase a title may hold as it is. */
  phrase: string[];
  /** Metadata the query names ("KHTN", "lớp 7", "THCS", "đề kiểm tra"): boosts, not filters. */
  entities: QueryEntities;
  /** The parts recognised, for the page to say what it understood: [kind, code, the words typed]. */
  recognised: Array<{ kind: EntityKind | 'grade'; code: string; text: string }>;
}

/** Queries are capped: a teacher's query is a few words; the rest is ignored, never an error. */
const MAX_SYLLABLES = 16;

const gradeNumber = (token: string): number | undefined => {
  if (!/^\d{1,2}$/.test(token)) return undefined;
  const n = Number(token);
  return n >= 1 && n <= 12 ? n : undefined;
};

/**
 * Reads a query as a teacher means it: taxonomy words become entities (longest phrase first), grade
 * words ("lớp 6", "lop6", "L6", a bare "6" next to a subject) a grade, stop words are dropped unless
 * nothing else is left, and what remains is the text to match.
 */
export function understandQuery(q: string, vocabulary: SearchVocabulary): UnderstoodQuery {
  // Stop words are told by their tone marks ("thì" is one, "thi" is not): the typed syllables are kept beside the folded ones.
  const typed = q.normalize('NFC').toLowerCase().split(/[^\p{L}\p{M}\p{N}]+/u).filter((t) => syllables(t).length > 0).slice(0, MAX_SYLLABLES);
  const tokens = typed.map((t) => syllables(t).join(''));
  type Slot = { token: string; stop?: boolean; entity?: { kind: EntityKind | 'grade'; codes: string[]; weak: boolean; text: string } };
  const slots: Slot[] = [];
  for (let i = 0; i < tokens.length;) {
    let matched = 0;
    for (let length = Math.min(vocabulary.longestPhrase, tokens.length - i); length >= 1 && !matched; length--) {
      const phrase = tokens.slice(i, i + length).join(' ');
      const aliases = vocabulary.lookup(phrase);
      if (!aliases) continue;
      // One phrase may name terms of several kinds; the first kind wins, with all its codes.
      const kind = aliases[0]!.kind;
      const same = aliases.filter((a) => a.kind === kind);
      const entity = { kind, codes: same.map((a) => a.code), weak: same.every((a) => a.weak), text: phrase };
      for (let k = 0; k < length; k++) slots.push({ token: tokens[i + k]!, entity: k === 0 ? entity : { ...entity, text: '' } });
      matched = length;
    }
    if (matched) { i += matched; continue; }
    const token = tokens[i]!;
    const next = tokens[i + 1];
    const glued = vocabulary.gradePrefixes.concat([...vocabulary.gradeWords]).map((p) => (token.startsWith(p) ? gradeNumber(token.slice(p.length)) : undefined)).find((n) => n !== undefined);
    if (glued !== undefined) {
      slots.push({ token, entity: { kind: 'grade', codes: [String(glued)], weak: false, text: token } });
      i += 1;
    } else if (vocabulary.gradeWords.has(token) && next !== undefined && gradeNumber(next) !== undefined) {
      const text = `${token} ${next}`;
      slots.push({ token, entity: { kind: 'grade', codes: [next], weak: false, text } }, { token: next, entity: { kind: 'grade', codes: [next], weak: false, text: '' } });
      i += 2;
    } else {
      slots.push({ token });
      i += 1;
    }
  }
  // A bare number names a grade next to a subject ("Toán 6", "10 Tin").
  const isSubject = (slot?: Slot) => slot?.entity?.kind === 'subject';
  slots.forEach((slot, i) => {
    const n = gradeNumber(slot.token);
    if (!slot.entity && n !== undefined && (isSubject(slots[i - 1]) || isSubject(slots[i + 1]))) {
      slot.entity = { kind: 'grade', codes: [String(n)], weak: false, text: slot.token };
    }
  });
  // A weak word ("tin", "anh", "video", "tranh") names a term alone or beside another term ("Tin 10",
  // "video toán"); elsewhere it stays a word of the text, which the term's names in the index still match.
  const strong = (slot?: Slot) => !!slot?.entity && !slot.entity.weak;
  slots.forEach((slot, i) => {
    const entity = slot.entity;
    if (entity?.weak && !(strong(slots[i - 1]) || strong(slots[i + 1]) || slots.length === 1)) slot.entity = undefined;
  });

  const entities: QueryEntities = {};
  const recognised: UnderstoodQuery['recognised'] = [];
  for (const { entity } of slots) {
    if (!entity || !entity.text) continue;
    if (entity.kind === 'grade') entities.grade = [...new Set([...(entities.grade ?? []), ...entity.codes.map(Number)])];
    else entities[entity.kind] = [...new Set([...(entities[entity.kind] ?? []), ...entity.codes])];
    for (const code of entity.codes) recognised.push({ kind: entity.kind, code, text: entity.text });
  }
  slots.forEach((slot, i) => { slot.stop = !slot.entity && vocabulary.stopWords.has(typed[i]!); });
  // Only stop words ("thì mà nhưng") leave nothing to look for, as punctuation does.
  const words = slots.filter((s) => !s.entity && !s.stop).map((s) => s.token);
  const phrase = slots.filter((s) => !s.stop).map((s) => s.token);
  return { words: [...new Set(words)], phrase, entities, recognised };
}

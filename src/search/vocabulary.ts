import extra from '../taxonomy/search-vocabulary.json' with { type: 'json' };
import { foldDiacritics } from './search-backend.js';

export type EntityKind = 'level' | 'subject' | 'type' | 'series';

/** One way of naming a taxonomy term, as the folded syllables a query is matched against. */
interface Alias {
  kind: EntityKind;
  code: string;
  /**
   * A single ordinary syllable ("tin", "anh", "sử", "văn") is also an everyday word: it names the
   * subject only next to a grade ("Tin 10") or alone, never inside a topic ("anh hùng").
   */
  weak: boolean;
}

/** What the taxonomy service lists (TaxonomyService.document()). */
export interface TaxonomyTerms {
  levels: Array<{ code: string; name: string }>;
  subjects: Array<{ code: string; name: string; aliases?: string[] }>;
  series: Array<{ code: string; name: string; aliases?: string[] }>;
  materialTypes: Array<{ code: string; name: string }>;
}

interface ExtraVocabulary {
  gradeWords: string[];
  gradePrefixes: string[];
  levels: Record<string, string[]>;
  subjects: Record<string, string[]>;
  types: Record<string, string[]>;
  stopWords: string[];
}

/** Splits text into folded syllables, the unit of both the index and the query. */
export function syllables(text: string): string[] {
  return foldDiacritics(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

const isAcronym = (text: string) => text.length > 1 && text === text.toUpperCase() && /\p{Lu}/u.test(text);

/**
 * The words of the taxonomy as teachers type them: names and aliases of levels, subjects, types and
 * series (taxonomy data) plus src/taxonomy/search-vocabulary.json (abbreviations, grade words, stop words).
 * Built once per taxonomy load; matching is by folded syllable sequences, longest first.
 */
export class SearchVocabulary {
  /** Folded phrase ("khoa hoc tu nhien") → the terms it names. */
  private readonly phrases = new Map<string, Alias[]>();
  readonly longestPhrase: number;
  readonly gradeWords: Set<string>;
  readonly gradePrefixes: string[];
  /** Lower case, with their tone marks: "thì" is a stop word, "thi" (exam) is not. */
  readonly stopWords: Set<string>;
  /** Display names, for suggestions: [kind, code, name, folded name]. */
  readonly names: Array<{ kind: EntityKind; code: string; name: string; folded: string }> = [];
  /** Every way of naming each term ("level:thcs" → Trung học cơ sở, THCS, cấp 2…), as typed in the data. */
  private readonly spellings = new Map<string, string[]>();

  constructor(taxonomy: TaxonomyTerms, vocabulary: ExtraVocabulary = extra) {
    const add = (kind: EntityKind, code: string, text: string, isName: boolean) => {
      const key = syllables(text).join(' ');
      if (!key) return;
      const spelled = this.spellings.get(`${kind}:${code}`) ?? [];
      if (!spelled.includes(text.trim())) spelled.push(text.trim());
      this.spellings.set(`${kind}:${code}`, spelled);
      const weak = !isName && !key.includes(' ') && !isAcronym(text);
      const list = this.phrases.get(key) ?? [];
      if (!list.some((a) => a.kind === kind && a.code === code)) list.push({ kind, code, weak });
      this.phrases.set(key, list);
    };
    const named = (kind: EntityKind, terms: Array<{ code: string; name: string; aliases?: string[] }>, more: Record<string, string[]>) => {
      for (const term of terms) {
        // "Bài giảng điện tử / bài giảng đa phương tiện": each side of a slash is a name of its own.
        for (const part of term.name.split('/')) add(kind, term.code, part, true);
        // Some taxonomy aliases are lists ("HĐTN, HN"): each is an alias.
        for (const alias of (term.aliases ?? []).flatMap((a) => a.split(/\s*,\s*/))) add(kind, term.code, alias, false);
        for (const alias of more[term.code] ?? []) add(kind, term.code, alias, false);
        this.names.push({ kind, code: term.code, name: term.name, folded: syllables(term.name).join(' ') });
      }
    };
    named('level', taxonomy.levels, vocabulary.levels);
    named('subject', taxonomy.subjects, vocabulary.subjects);
    named('type', taxonomy.materialTypes, vocabulary.types);
    named('series', taxonomy.series, {});
    this.longestPhrase = Math.max(1, ...[...this.phrases.keys()].map((k) => k.split(' ').length));
    this.gradeWords = new Set(vocabulary.gradeWords.flatMap(syllables));
    this.gradePrefixes = vocabulary.gradePrefixes.map((p) => foldDiacritics(p));
    this.stopWords = new Set(vocabulary.stopWords.map((w) => w.normalize('NFC').toLowerCase()));
  }

  /** The names and aliases of a term, for the index: a material is found by any of them. */
  spellingsOf(kind: EntityKind, code: string | null): string[] {
    return code ? this.spellings.get(`${kind}:${code}`) ?? [] : [];
  }

  /** The terms a folded phrase names, if any. */
  lookup(phrase: string): Alias[] | undefined {
    return this.phrases.get(phrase);
  }
}

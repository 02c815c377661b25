import type { TaxonomyService } from '../taxonomy/taxonomy.service.js';
import { understandQuery } from './query-understanding.js';
import { type SearchBackend, type SearchQuery, type SearchResult, type Suggestion } from './search-backend.js';
import { SearchVocabulary, syllables } from './vocabulary.js';

const SUGGESTIONS = 8;
const TERM_SUGGESTIONS = 3;

/**
 * What routes and pages call to search: reads the query with the taxonomy's vocabulary, then asks the
 * configured backend. The vocabulary is built once from the taxonomy loaded at start.
 */
export class SearchService {
  private built: SearchVocabulary | null = null;

  constructor(readonly backend: SearchBackend, private readonly taxonomy: TaxonomyService) {}

  get name(): SearchBackend['name'] {
    return this.backend.name;
  }

  vocabulary(): SearchVocabulary {
    this.built ??= new SearchVocabulary(this.taxonomy.document());
    return this.built;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    return this.backend.search({ ...query, understood: understandQuery(query.q, this.vocabulary()) });
  }

  /** While typing: taxonomy terms whose name starts with the prefix, then titles, most materials first. */
  async suggest(q: string): Promise<Suggestion[]> {
    const prefix = syllables(q).join(' ').slice(0, 100);
    if (prefix.length < 2) return [];
    const terms = this.vocabulary().names
      .filter((term) => term.folded.startsWith(prefix) || term.folded.includes(` ${prefix}`))
      .slice(0, TERM_SUGGESTIONS)
      .map((term) => ({ kind: term.kind, label: term.name, code: term.code }));
    const titles = await this.backend.suggestTitles(prefix, SUGGESTIONS - terms.length);
    return [...terms, ...titles];
  }
}

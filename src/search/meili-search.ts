import { Meilisearch, type Index } from 'meilisearch';
import {
  emptyFacets, FACETS, markedHtml, MATCH_END, MATCH_START, type Facet, type ReadQuery, type SearchBackend, type SearchDocument,
  type SearchResult, type Suggestion,
} from './search-backend.js';

const FACET_FIELD: Record<Facet, string> = {
  level: 'level', grade: 'grades', subject: 'subject', type: 'type', series: 'series', province: 'province', license: 'license',
};

/** Pages are not stored in Meilisearch: their text is part of the body. */
type MeiliDocument = Omit<SearchDocument, 'publishedAt' | 'pages'> & { publishedAt: string; publishedAtTs: number };

function quote(value: string | number): string {
  return typeof value === 'number' ? String(value) : `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Meilisearch backend, used when MEILI_HOST is set. Kept in sync only by jobs. The same fields
 * and order of importance as Postgres (title, taxonomy terms, description, body); the taxonomy words a
 * query names are matched through the terms field, which holds every name and abbreviation.
 */
export class MeiliSearchBackend implements SearchBackend {
  readonly name = 'meilisearch' as const;
  private readonly client: Meilisearch;
  private readonly index: Index<MeiliDocument>;

  constructor(settings: { host: string; apiKey?: string; index: string }) {
    this.client = new Meilisearch({ host: settings.host, apiKey: settings.apiKey });
    this.index = this.client.index<MeiliDocument>(settings.index);
  }

  async setup(): Promise<void> {
    await this.client.createIndex(this.index.uid, { primaryKey: 'id' }).waitTask().catch(() => undefined);
    await this.index.updateSettings({
      searchableAttributes: ['title', 'terms', 'description', 'body'],
      filterableAttributes: ['level', 'grades', 'subject', 'type', 'series', 'province', 'org', 'license'],
      sortableAttributes: ['publishedAtTs', 'downloads'],
      rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness', 'publishedAtTs:desc'],
      // Typos only beyond the syllables every word is made of (Vietnamese syllables are short).
      typoTolerance: { minWordSizeForTypos: { oneTypo: 4, twoTypos: 9 } },
    }).waitTask();
  }

  async upsertMany(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const task = await this.index.addDocuments(documents.map(({ pages: _pages, ...d }) => ({ ...d, publishedAtTs: Date.parse(d.publishedAt) }))).waitTask();
    if (task.status !== 'succeeded') throw new Error(`Meilisearch indexing failed: ${JSON.stringify(task.error)}`);
  }

  async removeMany(ids: string[]): Promise<void> {
    if (ids.length) await this.index.deleteDocuments(ids).waitTask();
  }

  async syncDownloads(counts: Array<{ id: string; downloads: number }>): Promise<void> {
    if (counts.length) await this.index.updateDocuments(counts).waitTask();
  }

  async check(): Promise<void> {
    await this.client.health();
  }

  async suggestTitles(prefix: string, limit: number): Promise<Suggestion[]> {
    const result = await this.index.search(prefix, { attributesToSearchOn: ['title'], attributesToRetrieve: ['title'], limit: limit * 3 });
    const titles = [...new Set(result.hits.map((hit) => hit.title))].slice(0, limit);
    return titles.map((label) => ({ kind: 'title' as const, label }));
  }

  private filter(query: ReadQuery, except?: Facet): string[] {
    const out: string[] = [];
    for (const facet of FACETS) {
      const value = query.filters[facet];
      if (value !== undefined && facet !== except) out.push(`${FACET_FIELD[facet]} = ${quote(value)}`);
    }
    if (query.filters.org) out.push(`org = ${quote(query.filters.org)}`);
    return out;
  }

  async search(query: ReadQuery): Promise<SearchResult> {
    const q = query.understood.phrase.join(' ');
    if (!q && query.q.trim() !== '') return { total: 0, hits: [], facets: emptyFacets(), approximate: false, partial: false, suggestion: null, understood: [] };
    const sort = query.sort === 'downloads' ? ['downloads:desc'] : query.sort === 'newest' || !q ? ['publishedAtTs:desc'] : undefined;
    const { results } = await this.client.multiSearch({
      queries: [
        {
          indexUid: this.index.uid, q, filter: this.filter(query), matchingStrategy: 'frequency',
          offset: (query.page - 1) * query.pageSize, limit: query.pageSize, sort,
          attributesToHighlight: ['title', 'description'], highlightPreTag: MATCH_START, highlightPostTag: MATCH_END,
          attributesToCrop: ['description'], cropLength: 60,
        },
        // Disjunctive facets: each facet is counted under all the other filters but its own.
        ...FACETS.map((facet) => ({ indexUid: this.index.uid, q, filter: this.filter(query, facet), facets: [FACET_FIELD[facet]], limit: 0 })),
      ],
    });
    const [main, ...facetResults] = results;
    const facets = emptyFacets();
    FACETS.forEach((facet, i) => { facets[facet] = facetResults[i]?.facetDistribution?.[FACET_FIELD[facet]] ?? {}; });
    return {
      total: main!.estimatedTotalHits ?? 0,
      // Meilisearch counts exactly up to its maxTotalHits (1 000 by default) and estimates beyond.
      approximate: (main!.estimatedTotalHits ?? 0) >= 1000,
      partial: false, suggestion: null, understood: query.understood.recognised, facets,
      hits: main!.hits.map((raw) => {
        const hit = raw as MeiliDocument & { _formatted?: { title?: string; description?: string | null } };
        const formatted = hit._formatted;
        const description = formatted?.description ?? hit.description;
        return {
          id: hit.id, title: hit.title, description: hit.description, type: hit.type, level: hit.level, grades: hit.grades,
          subject: hit.subject, org: hit.org, publishedAt: hit.publishedAt,
          // Meilisearch returns the text as stored, markup included: escaped here, as the Postgres backend does.
          highlight: { title: markedHtml(formatted?.title ?? hit.title), description: description === null ? null : markedHtml(description) },
        };
      }),
    };
  }
}

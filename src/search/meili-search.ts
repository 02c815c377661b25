import { Meilisearch, type Index } from 'meilisearch';
import { FACETS, markedHtml, MATCH_END, MATCH_START, queryWords, type Facet, type SearchBackend, type SearchDocument, type SearchQuery, type SearchResult } from './search-backend.js';

const FACET_FIELD: Record<Facet, string> = { level: 'level', grade: 'grades', subject: 'subject', type: 'type', org: 'org' };

// Common abbreviations teachers type; each list is a group of equivalent words.
const SYNONYM_GROUPS = [
  ['thcs', 'trung học cơ sở'], ['thpt', 'trung học phổ thông'], ['khtn', 'khoa học tự nhiên'],
  ['gdcd', 'giáo dục công dân'], ['gdqp', 'giáo dục quốc phòng'], ['sgk', 'sách giáo khoa'], ['mn', 'mầm non'], ['th', 'tiểu học'],
];

type MeiliDocument = Omit<SearchDocument, 'publishedAt'> & { publishedAt: string; publishedAtTs: number };

function quote(value: string | number): string {
  return typeof value === 'number' ? String(value) : `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** Meilisearch backend, used when MEILI_HOST is set. Kept in sync only by jobs. */
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
    const synonyms: Record<string, string[]> = {};
    for (const group of SYNONYM_GROUPS) for (const word of group) synonyms[word] = group.filter((w) => w !== word);
    await this.index.updateSettings({
      searchableAttributes: ['title', 'description'],
      filterableAttributes: ['level', 'grades', 'subject', 'type', 'series', 'org', 'license'],
      sortableAttributes: ['publishedAtTs'],
      rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness', 'publishedAtTs:desc'],
      synonyms,
    }).waitTask();
  }

  async upsert(document: SearchDocument): Promise<void> {
    await this.upsertMany([document]);
  }

  async upsertMany(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const task = await this.index.addDocuments(documents.map((d) => ({ ...d, publishedAtTs: Date.parse(d.publishedAt) }))).waitTask();
    if (task.status !== 'succeeded') throw new Error(`Meilisearch indexing failed: ${JSON.stringify(task.error)}`);
  }

  async remove(id: string): Promise<void> {
    await this.index.deleteDocument(id).waitTask();
  }

  async check(): Promise<void> {
    await this.client.health();
  }

  private filter(filters: SearchQuery['filters'], except?: Facet): string[] {
    const out: string[] = [];
    if (filters.level && except !== 'level') out.push(`level = ${quote(filters.level)}`);
    if (filters.grade !== undefined && except !== 'grade') out.push(`grades = ${quote(filters.grade)}`);
    if (filters.subject && except !== 'subject') out.push(`subject = ${quote(filters.subject)}`);
    if (filters.type && except !== 'type') out.push(`type = ${quote(filters.type)}`);
    if (filters.org && except !== 'org') out.push(`org = ${quote(filters.org)}`);
    if (filters.series) out.push(`series = ${quote(filters.series)}`);
    if (filters.license) out.push(`license = ${quote(filters.license)}`);
    return out;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const q = queryWords(query.q).join(' ');
    const { results } = await this.client.multiSearch({
      queries: [
        {
          indexUid: this.index.uid, q, filter: this.filter(query.filters),
          offset: (query.page - 1) * query.pageSize, limit: query.pageSize,
          sort: query.sort === 'newest' || !q ? ['publishedAtTs:desc'] : undefined,
          attributesToHighlight: ['title', 'description'], highlightPreTag: MATCH_START, highlightPostTag: MATCH_END,
          attributesToCrop: ['description'], cropLength: 60,
        },
        // Disjunctive facets: each facet is counted under all the other filters but its own.
        ...FACETS.map((facet) => ({ indexUid: this.index.uid, q, filter: this.filter(query.filters, facet), facets: [FACET_FIELD[facet]], limit: 0 })),
      ],
    });
    const [main, ...facetResults] = results;
    return {
      total: main!.estimatedTotalHits ?? 0,
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
      facets: Object.fromEntries(FACETS.map((facet, i) => [facet, facetResults[i]?.facetDistribution?.[FACET_FIELD[facet]] ?? {}])) as SearchResult['facets'],
    };
  }
}

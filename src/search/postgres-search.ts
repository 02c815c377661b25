import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import {
  FACETS, highlight, queryWords, type Facet, type SearchBackend, type SearchDocument, type SearchQuery, type SearchResult,
} from './search-backend.js';

const FACET_COLUMN: Record<Facet, SQL> = {
  level: sql`level`, grade: sql`unnest(grades)::text`, subject: sql`subject`, type: sql`type`, org: sql`org_code`,
};

type Row = {
  material_id: string; title: string; description: string | null; type: string; level: string; grades: number[];
  subject: string; org_code: string; published_at: Date;
};

/**
 * Full-text search in Postgres: a tsvector over unaccented title (weight A) and description (B),
 * the last word as a prefix, and words missing from the index replaced by their nearest known
 * words (one edit or one swap of adjacent letters away, or close by trigrams) so that a small typo still finds the material.
 * Vietnamese words are short syllables, so the word list stays small (a few thousand).
 */
export class PostgresSearch implements SearchBackend {
  readonly name = 'postgres' as const;

  constructor(private readonly db: Database) {}

  async setup(): Promise<void> {
    // The table and its indexes come with the migrations.
  }

  async upsert(document: SearchDocument): Promise<void> {
    await this.upsertMany([document]);
  }

  async upsertMany(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const values = sql.join(documents.map((d) => sql`(${d.id}::uuid, ${d.title}, ${d.description}, ${d.type}, ${d.level}, ${`{${d.grades.join(',')}}`}::int[], ${d.subject}, ${d.series}, ${d.org}, ${d.license}, ${d.publishedAt}::timestamptz)`), sql`, `);
    await this.db.execute(sql`
      INSERT INTO search_documents (material_id, title, description, type, level, grades, subject, series, org_code, license, published_at)
      VALUES ${values}
      ON CONFLICT (material_id) DO UPDATE SET title = excluded.title, description = excluded.description, type = excluded.type,
        level = excluded.level, grades = excluded.grades, subject = excluded.subject, series = excluded.series,
        org_code = excluded.org_code, license = excluded.license, published_at = excluded.published_at`);
    const ids = sql.join(documents.map((d) => sql`${d.id}::uuid`), sql`, `);
    await this.db.execute(sql`
      INSERT INTO search_words (word)
      SELECT DISTINCT w FROM search_documents, unnest(tsvector_to_array(document)) AS w
      WHERE material_id IN (${ids}) AND length(w) > 1 AND w !~ '^[0-9]+$'
      ON CONFLICT DO NOTHING`);
  }

  async remove(id: string): Promise<void> {
    await this.db.execute(sql`DELETE FROM search_documents WHERE material_id = ${id}`);
  }

  async check(): Promise<void> {
    await this.db.execute(sql`SELECT 1 FROM search_documents LIMIT 1`);
  }

  /** One tsquery alternative list per word: the word itself, plus close known words if it is unknown. */
  private async tsquery(words: string[]): Promise<string | null> {
    if (words.length === 0) return null;
    const last = words.length - 1;
    const result = await this.db.execute<{ i: number; alternatives: string[] }>(sql`
      SELECT q.i, coalesce(array_agg(c.word) FILTER (WHERE c.word IS NOT NULL), '{}') AS alternatives
      FROM unnest(${`{${words.map((w) => `"${w}"`).join(',')}}`}::text[]) WITH ORDINALITY AS q(w, i)
      LEFT JOIN LATERAL (
        SELECT word FROM search_words
        WHERE length(q.w) >= 3
          AND (word % q.w
            OR (length(word) BETWEEN length(q.w) - 1 AND length(q.w) + 1 AND levenshtein_less_equal(word, q.w, 1) <= 1)
            OR (length(word) = length(q.w) AND hoclieu_transposed(word, q.w)))
          AND NOT EXISTS (SELECT 1 FROM search_words k WHERE k.word = q.w OR (q.i = ${last + 1} AND k.word LIKE q.w || '%'))
        ORDER BY hoclieu_transposed(word, q.w) DESC, levenshtein(word, q.w), similarity(word, q.w) DESC, word LIMIT 3
      ) c ON true
      GROUP BY q.i ORDER BY q.i`);
    return words.map((word, index) => {
      const own = index === last ? `${word}:*` : word;
      const alternatives = result.rows[index]?.alternatives ?? [];
      return alternatives.length ? `(${[own, ...alternatives].join(' | ')})` : own;
    }).join(' & ');
  }

  /** The text match and the filters that are not facets: the set every count starts from. */
  private baseWhere(tsquery: string | null, filters: SearchQuery['filters']): SQL {
    const parts: SQL[] = [sql`true`];
    if (tsquery) parts.push(sql`document @@ to_tsquery('simple', ${tsquery})`);
    if (filters.series) parts.push(sql`series = ${filters.series}`);
    if (filters.license) parts.push(sql`license = ${filters.license}`);
    return sql.join(parts, sql` AND `);
  }

  /** The facet filters, all of them or all but one (a facet is counted without its own filter). */
  private facetWhere(filters: SearchQuery['filters'], except?: Facet): SQL {
    const parts: SQL[] = [sql`true`];
    if (filters.level && except !== 'level') parts.push(sql`level = ${filters.level}`);
    if (filters.grade !== undefined && except !== 'grade') parts.push(sql`${filters.grade}::int = ANY(grades)`);
    if (filters.subject && except !== 'subject') parts.push(sql`subject = ${filters.subject}`);
    if (filters.type && except !== 'type') parts.push(sql`type = ${filters.type}`);
    if (filters.org && except !== 'org') parts.push(sql`org_code = ${filters.org}`);
    return sql.join(parts, sql` AND `);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const words = queryWords(query.q);
    const tsquery = await this.tsquery(words);
    const base = this.baseWhere(tsquery, query.filters);
    const rank = tsquery ? sql`ts_rank('{0.1, 0.2, 0.4, 1.0}', document, to_tsquery('simple', ${tsquery}))` : sql`0`;
    const order = query.sort === 'newest' || !tsquery ? sql`published_at DESC, material_id` : sql`${rank} DESC, published_at DESC, material_id`;
    // The matched set is read once; the total and every facet are counted from it in memory.
    const counts = sql.join([
      sql`SELECT 'total' AS facet, '' AS value, count(*)::int AS count FROM matched WHERE ${this.facetWhere(query.filters)}`,
      ...FACETS.map((facet) => sql`SELECT ${facet}, value, count(*)::int FROM (SELECT ${FACET_COLUMN[facet]} AS value FROM matched WHERE ${this.facetWhere(query.filters, facet)}) f GROUP BY value`),
    ], sql` UNION ALL `);
    const [hits, aggregates] = await Promise.all([
      this.db.execute<Row>(sql`
        SELECT material_id, title, description, type, level, grades, subject, org_code, published_at FROM search_documents
        WHERE ${base} AND ${this.facetWhere(query.filters)} ORDER BY ${order} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`),
      this.db.execute<{ facet: Facet | 'total'; value: string; count: number }>(sql`
        WITH matched AS MATERIALIZED (SELECT level, grades, subject, type, org_code FROM search_documents WHERE ${base})
        ${counts}`),
    ]);
    const facets = Object.fromEntries(FACETS.map((facet) => [facet, {} as Record<string, number>])) as SearchResult['facets'];
    let total = 0;
    for (const row of aggregates.rows) {
      if (row.facet === 'total') total = row.count;
      else facets[row.facet][row.value] = row.count;
    }
    return {
      total,
      hits: hits.rows.map((row) => ({
        id: row.material_id, title: row.title, description: row.description, type: row.type, level: row.level, grades: row.grades,
        subject: row.subject, org: row.org_code, publishedAt: new Date(row.published_at).toISOString(),
        highlight: { title: highlight(row.title, words), description: row.description === null ? null : highlight(row.description.slice(0, 300), words) },
      })),
      facets,
    };
  }
}

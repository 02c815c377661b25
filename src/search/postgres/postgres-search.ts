import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../core/db/client.js';
import {
  emptyFacets, foldDiacritics, highlight, type Facet, type ReadQuery, type SearchBackend, type SearchDocument, type SearchHit, type SearchResult, type Suggestion,
} from '../search-backend.js';
import { countBranches, entityBoost, entityWhere, facetWhere } from './facet-counts.js';
import { foundInPages } from './found-in.js';
import { allWords, anyWord, eachWord, phrases, someWords, wordsRequired, type WordSlot } from './text-query.js';
import { resolveSlots, suggestionFor } from './word-slots.js';

type Row = {
  material_id: string; title: string; description: string | null; type: string; level: string; grades: number[];
  subject: string; org_code: string; published_at: Date;
};

const HIT_COLUMNS = sql`material_id, title, description, type, level, grades, subject, org_code, published_at`;
/** The body is capped: a tsvector holds at most 1 MB, and the first pages say what a document is about. */
const BODY_LIMIT = 100_000;

const tsquery = (text: string) => sql`to_tsquery('simple', ${text})`;
const ORDER: Record<'newest' | 'downloads', SQL> = {
  newest: sql`published_at DESC, material_id`,
  downloads: sql`downloads DESC, published_at DESC, material_id`,
};

/**
 * Full-text search in Postgres (docs/search.md): a weighted tsvector (title A, taxonomy terms B,
 * description C, body D), the query's taxonomy words as boosts, ranking by how much of the query a
 * material covers and whether it holds the words as a phrase, typo stand-ins only for words the index
 * does not know. Browsing without text counts facets from search_facet_cells, kept by a trigger.
 */
export class PostgresSearch implements SearchBackend {
  readonly name = 'postgres' as const;

  constructor(private readonly db: Database) {}

  async setup(): Promise<void> {
    // The tables, their indexes and triggers come with the migrations.
  }

  async upsertMany(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const values = sql.join(documents.map((d) => sql`(${d.id}::uuid, ${d.title}, ${d.description}, ${d.type}, ${d.level},
      ${`{${d.grades.join(',')}}`}::int[], ${d.subject}, ${d.series ?? ''}, ${d.org}, ${d.province ?? ''}, ${d.license},
      ${d.publishedAt}::timestamptz, ${d.downloads}, ${d.terms}, ${d.body.slice(0, BODY_LIMIT)})`), sql`, `);
    const ids = sql.join(documents.map((d) => sql`${d.id}::uuid`), sql`, `);
    const pages = documents.flatMap((d) => d.pages.map((p) => sql`(${d.id}::uuid, ${p.fileId}::uuid, ${p.fileName}, ${p.page}, ${p.text})`));
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`
        INSERT INTO search_documents (material_id, title, description, type, level, grades, subject, series, org_code, province_code,
          license, published_at, downloads, terms, body)
        VALUES ${values}
        ON CONFLICT (material_id) DO UPDATE SET title = excluded.title, description = excluded.description, type = excluded.type,
          level = excluded.level, grades = excluded.grades, subject = excluded.subject, series = excluded.series,
          org_code = excluded.org_code, province_code = excluded.province_code, license = excluded.license,
          published_at = excluded.published_at, downloads = excluded.downloads, terms = excluded.terms, body = excluded.body`);
      await tx.execute(sql`DELETE FROM search_pages WHERE material_id IN (${ids})`);
      if (pages.length) await tx.execute(sql`INSERT INTO search_pages (material_id, file_id, file_name, page, text) VALUES ${sql.join(pages, sql`, `)}`);
    });
  }

  async removeMany(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`DELETE FROM search_documents WHERE material_id IN (${list})`);
      await tx.execute(sql`DELETE FROM search_pages WHERE material_id IN (${list})`);
    });
  }

  async syncDownloads(counts: Array<{ id: string; downloads: number }>): Promise<void> {
    if (counts.length === 0) return;
    const values = sql.join(counts.map((c) => sql`(${c.id}::uuid, ${c.downloads}::bigint)`), sql`, `);
    await this.db.execute(sql`
      UPDATE search_documents d SET downloads = v.downloads FROM (VALUES ${values}) AS v(id, downloads)
      WHERE d.material_id = v.id AND d.downloads <> v.downloads`);
  }

  async check(): Promise<void> {
    await this.db.execute(sql`SELECT 1 FROM search_documents LIMIT 1`);
  }

  async suggestTitles(prefix: string, limit: number): Promise<Suggestion[]> {
    // A range of the "C"-collated key: an index scan, however many titles there are.
    const result = await this.db.execute<{ label: string; materials: number }>(sql`
      SELECT label, materials FROM search_suggestions WHERE key >= ${prefix} AND key < ${`${prefix}\uffff`}
      ORDER BY materials DESC, key LIMIT ${limit}`);
    return result.rows.map((row) => ({ kind: 'title' as const, label: row.label, materials: row.materials }));
  }

  async search(query: ReadQuery): Promise<SearchResult> {
    const { understood } = query;
    if (understood.words.length === 0) {
      // Punctuation only: nothing to look for. Taxonomy words only: browse what they name.
      if (understood.recognised.length === 0 && query.q.trim() !== '') return this.empty(query, null);
      return this.browse(query);
    }
    const slots = await resolveSlots(this.db, understood.words);
    const result = await this.matchText(query, slots);
    if (result.total > 0) return result;
    return this.empty(query, await suggestionFor(this.db, query.q, understood.words));
  }

  private empty(query: ReadQuery, suggestion: string | null): SearchResult {
    return { total: 0, hits: [], facets: emptyFacets(), partial: false, suggestion, understood: query.understood.recognised };
  }

  /** No text: the filters and what the query names, newest (or most downloaded) first; counts from the facet cells. */
  private async browse(query: ReadQuery): Promise<SearchResult> {
    const { entities } = query.understood;
    let partial = false;
    let condition = entityWhere(entities, 'all');
    let result = await this.browseWhere(query, condition);
    if (result.total === 0 && condition && query.understood.recognised.length > 1) {
      // "KHTN 12": no material is both; those that are either, with the best-matching first.
      condition = entityWhere(entities, 'any');
      result = await this.browseWhere(query, condition, entityBoost(entities));
      partial = result.total > 0;
    }
    return { ...result, partial, suggestion: null, understood: query.understood.recognised };
  }

  private async browseWhere(query: ReadQuery, condition: SQL | null, boost?: SQL) {
    const where = sql.join([condition ?? sql`true`, facetWhere(query.filters), query.filters.org ? sql`org_code = ${query.filters.org}` : sql`true`], sql` AND `);
    const order = query.sort === 'downloads' ? ORDER.downloads : ORDER.newest;
    // The school filter is finer than the cells: such a set is small, counted from the documents.
    const rows = query.filters.org
      ? sql`(SELECT level, grades, subject, type, series, province_code, license, 1 AS weight FROM search_documents
             WHERE org_code = ${query.filters.org} AND ${condition ?? sql`true`})`
      : sql`(SELECT level, grades, subject, type, series, province_code, license, materials AS weight FROM search_facet_cells
             WHERE ${condition ?? sql`true`})`;
    const [hits, counts] = await Promise.all([
      this.db.execute<Row>(sql`SELECT ${HIT_COLUMNS} FROM search_documents WHERE ${where}
        ORDER BY ${boost ? sql`${boost} DESC, ` : sql``}${order} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`),
      this.db.execute<Count>(sql`WITH rows AS MATERIALIZED ${rows} ${countBranches(query.filters)}`),
    ]);
    return { ...toCounts(counts.rows), hits: hits.rows.map((row) => toHit(row, [])) };
  }

  /** Materials holding every word; when fewer than a page do, those holding most of them after. */
  private async matchText(query: ReadQuery, slots: WordSlot[]): Promise<SearchResult> {
    const { understood } = query;
    const every = allWords(slots);
    const some = someWords(slots, wordsRequired(slots.length));
    const full = await this.rankedMatch(query, slots, every);
    let result = full;
    let partial = false;
    if (some && full.total < query.pageSize) {
      result = await this.rankedMatch(query, slots, `(${every}) | ${some}`);
      partial = result.total > full.total;
    }
    const hits = await foundInPages(this.db, result.hits, anyWord(slots), markedWords(query, slots));
    return { ...result, hits, partial, suggestion: slots.some((s) => s.alternatives.length) ? suggestionText(query.q, slots) : null, understood: understood.recognised };
  }

  private async rankedMatch(query: ReadQuery, slots: WordSlot[], match: string) {
    const { understood } = query;
    const phrase = phrases(understood.phrase, slots);
    const titlePhrase = phrases(understood.phrase, slots, 'A');
    const has = (text: string | null, points: number) => (text ? sql` + (document @@ ${tsquery(text)})::int * ${points}` : sql``);
    // Coverage first (only differs once words may be missing), then the phrase, the title, the metadata named, then ts_rank.
    const score = sql`(${sql.join(eachWord(slots).map((w) => sql`(document @@ ${tsquery(w)})::int`), sql` + `)}) * 1000
      ${has(phrase.whole, 400)}${has(titlePhrase.whole, 300)}${has(allWords(slots, 'A'), 300)}
      ${sql.join(phrase.pairs.map((pair) => has(pair, 60)), sql``)}
      + ${entityBoost(understood.entities)} + ts_rank('{0.1, 0.3, 0.6, 1.0}', document, ${tsquery(anyWord(slots))}) * 100`;
    const base = sql.join([sql`document @@ ${tsquery(match)}`, query.filters.org ? sql`org_code = ${query.filters.org}` : sql`true`], sql` AND `);
    const order = query.sort === 'relevance' ? sql`score DESC, published_at DESC, material_id` : ORDER[query.sort];
    const [hits, counts] = await Promise.all([
      this.db.execute<Row>(sql`
        SELECT ${HIT_COLUMNS}, ${score} AS score FROM search_documents WHERE ${base} AND ${facetWhere(query.filters)}
        ORDER BY ${order} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`),
      this.db.execute<Count>(sql`
        WITH rows AS MATERIALIZED (SELECT level, grades, subject, type, series, province_code, license, 1 AS weight FROM search_documents WHERE ${base})
        ${countBranches(query.filters)}`),
    ]);
    return { ...toCounts(counts.rows), hits: hits.rows.map((row) => toHit(row, markedWords(query, slots))) };
  }
}

/** The words a hit's text is marked at: the query's own and the stand-ins that matched for unknown ones. */
const markedWords = (query: ReadQuery, slots: WordSlot[]) => [...new Set([...query.understood.phrase, ...slots.flatMap((s) => s.alternatives)])];

type Count = { facet: Facet | 'total'; value: string; count: number };

function toCounts(rows: Count[]): { total: number; facets: SearchResult['facets'] } {
  const facets = emptyFacets();
  let total = 0;
  for (const row of rows) {
    if (row.facet === 'total') total = row.count ?? 0;
    else facets[row.facet][row.value] = row.count;
  }
  return { total, facets };
}

function toHit(row: Row, words: string[]): SearchHit {
  return {
    id: row.material_id, title: row.title, description: row.description, type: row.type, level: row.level, grades: row.grades,
    subject: row.subject, org: row.org_code, publishedAt: new Date(row.published_at).toISOString(),
    highlight: { title: highlight(row.title, words), description: row.description === null ? null : highlight(row.description.slice(0, 300), words) },
  };
}

/** The query as typed, each unknown word replaced by its nearest known one. */
function suggestionText(q: string, slots: WordSlot[]): string {
  const replacement = new Map(slots.filter((s) => s.alternatives.length && !s.prefix).map((s) => [s.word, s.alternatives[0]!]));
  return q.split(/\s+/).map((token) => replacement.get(foldDiacritics(token)) ?? token).join(' ');
}

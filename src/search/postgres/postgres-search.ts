import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../core/db/client.js';
import {
  emptyFacets, highlight, type Facet, type ReadQuery, type SearchBackend, type SearchDocument, type SearchHit, type SearchResult, type Suggestion,
} from '../search-backend.js';
import { browseCounts, countableWhere, countBranches, entityBoost, entityWhere, facetWhere, pgArrayLiteral, textArray, uuidArray } from './facet-counts.js';
import { foundInPages } from './found-in.js';
import { allWords, anyWord, eachWord, phrases, someWords, wordsRequired, type WordSlot } from './text-query.js';
import { resolveSlots, rewriteQuery, suggestionFor } from './word-slots.js';

type Row = {
  material_id: string; title: string; description: string | null; type: string; level: string; grades: number[];
  subject: string; org_code: string; published_at: Date;
};

const HIT_COLUMNS = sql`material_id, title, description, type, level, grades, subject, org_code, published_at`;
/** The body is capped: a tsvector holds at most 1 MB, and the first pages say what a document is about. */
const BODY_LIMIT = 100_000;
/** How many of the matches, by the cheap part of the score, are scored in full. */
const CANDIDATES = 200;

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
    // One array per column, unnested: a batch of thousands is one short statement to build and to parse.
    const column = <T>(pick: (d: SearchDocument) => T) => documents.map(pick);
    const pages = documents.flatMap((d) => d.pages.map((p) => ({ ...p, materialId: d.id })));
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`
        INSERT INTO search_documents (material_id, title, description, type, level, grades, subject, series, org_code, province_code,
          license, published_at, downloads, terms, body)
        SELECT id, title, description, type, level, translate(grades, '[]', '{}')::int[], subject, series, org, province, license, published_at, downloads, terms, body
        FROM unnest(${uuidArray(column((d) => d.id))}, ${textArray(column((d) => d.title))}, ${textArray(column((d) => d.description))},
          ${textArray(column((d) => d.type))}, ${textArray(column((d) => d.level))}, ${textArray(column((d) => JSON.stringify(d.grades)))},
          ${textArray(column((d) => d.subject))}, ${textArray(column((d) => d.series ?? ''))}, ${textArray(column((d) => d.org))},
          ${textArray(column((d) => d.province ?? ''))}, ${textArray(column((d) => d.license))}, ${sql`${pgArrayLiteral(column((d) => d.publishedAt))}::timestamptz[]`},
          ${sql`${`{${column((d) => d.downloads).join(',')}}`}::bigint[]`}, ${textArray(column((d) => d.terms))}, ${textArray(column((d) => d.body.slice(0, BODY_LIMIT)))})
          AS t(id, title, description, type, level, grades, subject, series, org, province, license, published_at, downloads, terms, body)
        ON CONFLICT (material_id) DO UPDATE SET title = excluded.title, description = excluded.description, type = excluded.type,
          level = excluded.level, grades = excluded.grades, subject = excluded.subject, series = excluded.series,
          org_code = excluded.org_code, province_code = excluded.province_code, license = excluded.license,
          published_at = excluded.published_at, downloads = excluded.downloads, terms = excluded.terms, body = excluded.body`);
      await tx.execute(sql`DELETE FROM search_pages WHERE material_id = ANY(${uuidArray(column((d) => d.id))})`);
      if (pages.length) {
        await tx.execute(sql`
          INSERT INTO search_pages (material_id, file_id, file_name, page, text)
          SELECT * FROM unnest(${uuidArray(pages.map((p) => p.materialId))}, ${uuidArray(pages.map((p) => p.fileId))}, ${textArray(pages.map((p) => p.fileName))},
            ${sql`${`{${pages.map((p) => p.page).join(',')}}`}::int[]`}, ${textArray(pages.map((p) => p.text))})`);
      }
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
    const named = query.understood.recognised.length > 0;
    let partial = false;
    let result = await this.browseWhere(query, named ? 'all' : null);
    if (result.total === 0 && Object.keys(entities).length > 1) {
      // "KHTN 12": no material is both; those that are either, with the best-matching first.
      result = await this.browseWhere(query, 'any');
      partial = result.total > 0;
    }
    return { ...result, partial, suggestion: null, understood: query.understood.recognised };
  }

  private async browseWhere(query: ReadQuery, mode: 'all' | 'any' | null) {
    const { entities } = query.understood;
    const condition = mode ? entityWhere(entities, mode) : null;
    const where = sql.join([condition ?? sql`true`, facetWhere(query.filters), query.filters.org ? sql`org_code = ${query.filters.org}` : sql`true`], sql` AND `);
    const order = query.sort === 'downloads' ? ORDER.downloads : ORDER.newest;
    const boost = mode === 'any' ? sql`${entityBoost(entities)} DESC, ` : sql``;
    const [hits, counts] = await Promise.all([
      this.db.execute<Row>(sql`SELECT ${HIT_COLUMNS} FROM search_documents WHERE ${where}
        ORDER BY ${boost}${order} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`),
      this.db.execute<Count>(browseCounts(query.filters, entities, mode)),
    ]);
    return { ...toCounts(counts.rows), hits: hits.rows.map((row) => toHit(row, [])) };
  }

  /** Materials holding every word; when fewer than a page do, those holding most of them after. */
  private async matchText(query: ReadQuery, slots: WordSlot[]): Promise<SearchResult> {
    const { understood } = query;
    // Two syllables side by side are one Vietnamese word more often than not ("động đất", "tích phân"): as a phrase.
    const pair = slots.length === 2 && understood.phrase.join(' ').includes(`${slots[0]!.word} ${slots[1]!.word}`);
    const every = pair ? phrases([slots[0]!.word, slots[1]!.word], slots).whole! : allWords(slots);
    const some = someWords(slots, wordsRequired(slots.length));
    const full = await this.rankedMatch(query, slots, every, false);
    let result = full;
    let partial = false;
    if (some && full.total < query.pageSize) {
      result = await this.rankedMatch(query, slots, `(${every}) | ${some}`, true);
      partial = result.total > full.total;
    }
    const hits = await foundInPages(this.db, result.hits, anyWord(slots), markedWords(query, slots));
    return { ...result, hits, partial, suggestion: slots.some((s) => s.alternatives.length) ? suggestionText(query.q, slots) : null, understood: understood.recognised };
  }

  private async rankedMatch(query: ReadQuery, slots: WordSlot[], match: string, partial: boolean) {
    const { understood } = query;
    const phrase = phrases(understood.phrase, slots);
    const titlePhrase = phrases(understood.phrase, slots, 'A');
    const has = (text: string | null, points: number) => (text ? sql` + (document @@ ${tsquery(text)})::int * ${points}` : sql``);
    // Coverage (it differs only once words may be missing), the phrase, all words in the title, the metadata named…
    const coverage = partial ? sql`(${sql.join(eachWord(slots).map((w) => sql`(document @@ ${tsquery(w)})::int`), sql` + `)}) * 1000` : sql`0`;
    const first = sql`${coverage}${has(phrase.whole, 400)}${has(allWords(slots, 'A'), 300)} + ${entityBoost(understood.entities)}`;
    // … then, for the best of those only, the phrase in the title, each pair as a phrase and ts_rank.
    const refined = sql`${first}${has(titlePhrase.whole, 300)}${sql.join(phrase.pairs.map((pair) => has(pair, 60)), sql``)}
      + ts_rank('{0.1, 0.3, 0.6, 1.0}', document, ${tsquery(anyWord(slots))}) * 100`;
    const base = sql.join([sql`document @@ ${tsquery(match)}`, query.filters.org ? sql`org_code = ${query.filters.org}` : sql`true`], sql` AND `);
    const where = sql`${base} AND ${facetWhere(query.filters)}`;
    const offset = (query.page - 1) * query.pageSize;
    // Scoring every match in full is what costs at a million materials: the cheap score picks the candidates.
    const candidates = Math.max(CANDIDATES, offset + query.pageSize);
    const hitsQuery = query.sort === 'relevance'
      ? sql`WITH candidates AS (
          SELECT material_id, ${first} AS first FROM search_documents WHERE ${where} ORDER BY first DESC, published_at DESC, material_id LIMIT ${candidates})
        SELECT ${HIT_COLUMNS} FROM search_documents JOIN candidates USING (material_id)
        ORDER BY ${refined} DESC, published_at DESC, material_id LIMIT ${query.pageSize} OFFSET ${offset}`
      : sql`SELECT ${HIT_COLUMNS} FROM search_documents WHERE ${where} ORDER BY ${ORDER[query.sort]} LIMIT ${query.pageSize} OFFSET ${offset}`;
    const [hits, counts] = await Promise.all([
      this.db.execute<Row>(hitsQuery),
      this.db.execute<Count>(sql`
        WITH rows AS MATERIALIZED (SELECT level, grades, subject, type, series, province_code, license FROM search_documents
          WHERE ${base} AND ${countableWhere(query.filters)})
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
  return rewriteQuery(q, replacement);
}

import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../core/db/client.js';
import {
  emptyFacets, highlight, type Facet, type ReadQuery, type SearchBackend, type SearchFilters, type SearchDocument, type SearchHit, type SearchResult, type Suggestion,
} from '../search-backend.js';
import {
  browseCounts, countableWhere, countsFromGroups, entityBoost, entityWhere, facetWhere, groupedCounts, missedFilters, pgArrayLiteral, textArray, uuidArray,
  type CountGroup,
} from './facet-counts.js';
import { foundInPages } from './found-in.js';
import { joinLexemes, leadLexemes, LEXEME_SEPARATOR, matchLexemes, TITLE_MARK } from './match-lexemes.js';
import { allWords, anyWord, eachWord, phrasePairs, someWords, wordsRequired, type WordSlot } from './text-query.js';
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

/** Memory for one match's rows (about 1 KB each with its lead) and their grouping. */
const MATCH_WORK_MEM = '32MB';

/** Rows of the table sampled to tell how large a match is. */
const SIZE_SAMPLE = 5_000;

export interface PostgresSearchOptions {
  /** Up to this many rows, a match is read whole: exact counts and every match ranked. */
  exactLimit: number;
}
const DEFAULT_OPTIONS: PostgresSearchOptions = { exactLimit: 5_000 };
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

  constructor(private readonly db: Database, private readonly options: PostgresSearchOptions = DEFAULT_OPTIONS) {}

  async setup(): Promise<void> {
    // The tables, their indexes and triggers come with the migrations.
  }

  async upsertMany(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    // One array per column, unnested: a batch of thousands is one short statement to build and to parse.
    const column = <T>(pick: (d: SearchDocument) => T) => documents.map(pick);
    const pages = documents.flatMap((d) => d.pages.map((p) => ({ ...p, materialId: d.id })));
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`DELETE FROM search_pages WHERE material_id = ANY(${uuidArray(column((d) => d.id))})`);
      if (pages.length) {
        await tx.execute(sql`
          INSERT INTO search_pages (material_id, file_id, file_name, page, text)
          SELECT * FROM unnest(${uuidArray(pages.map((p) => p.materialId))}, ${uuidArray(pages.map((p) => p.fileId))}, ${textArray(pages.map((p) => p.fileName))},
            ${sql`${`{${pages.map((p) => p.page).join(',')}}`}::int[]`}, ${textArray(pages.map((p) => p.text))})`);
      }
      // Both tables in one statement, last before the commit: search_documents' trigger (the shared facet
      // cells and suggestions, which concurrent batches wait on) fires at its end, so batches written side
      // by side (reindex.ts) overlap in everything else. search_rows holds the lexemes made here (match-lexemes.ts).
      await tx.execute(sql`
        WITH t AS (
          SELECT id, title, description, type, level, translate(grades, '[]', '{}')::int[] AS grades, subject, series, org, province, license,
            published_at, downloads, terms, body, lead, words
          FROM unnest(${uuidArray(column((d) => d.id))}, ${textArray(column((d) => d.title))}, ${textArray(column((d) => d.description))},
            ${textArray(column((d) => d.type))}, ${textArray(column((d) => d.level))}, ${textArray(column((d) => JSON.stringify(d.grades)))},
            ${textArray(column((d) => d.subject))}, ${textArray(column((d) => d.series ?? ''))}, ${textArray(column((d) => d.org))},
            ${textArray(column((d) => d.province ?? ''))}, ${textArray(column((d) => d.license))}, ${sql`${pgArrayLiteral(column((d) => d.publishedAt))}::timestamptz[]`},
            ${sql`${`{${column((d) => d.downloads).join(',')}}`}::bigint[]`}, ${textArray(column((d) => d.terms))}, ${textArray(column((d) => d.body.slice(0, BODY_LIMIT)))},
            ${textArray(column((d) => joinLexemes(leadLexemes(d))))}, ${textArray(column((d) => joinLexemes(matchLexemes({ ...d, body: d.body.slice(0, BODY_LIMIT) }))))})
            AS t(id, title, description, type, level, grades, subject, series, org, province, license, published_at, downloads, terms, body, lead, words)
        ), matched AS (
          INSERT INTO search_rows (material_id, level, grades, subject, type, province_code, series, license, org_code, published_at, downloads, lead, words)
          SELECT id, level, grades, subject, type, province, series, license, org, published_at, downloads,
            array_to_tsvector(string_to_array(lead, ${LEXEME_SEPARATOR})), array_to_tsvector(string_to_array(words, ${LEXEME_SEPARATOR}))
          FROM t
          ON CONFLICT (material_id) DO UPDATE SET level = excluded.level, grades = excluded.grades, subject = excluded.subject, type = excluded.type,
            province_code = excluded.province_code, series = excluded.series, license = excluded.license, org_code = excluded.org_code,
            published_at = excluded.published_at, downloads = excluded.downloads, lead = excluded.lead, words = excluded.words
        )
        INSERT INTO search_documents (material_id, title, description, type, level, grades, subject, series, org_code, province_code,
          license, published_at, downloads, terms, body)
        SELECT id, title, description, type, level, grades, subject, series, org, province, license, published_at, downloads, terms, body FROM t
        ON CONFLICT (material_id) DO UPDATE SET title = excluded.title, description = excluded.description, type = excluded.type,
          level = excluded.level, grades = excluded.grades, subject = excluded.subject, series = excluded.series,
          org_code = excluded.org_code, province_code = excluded.province_code, license = excluded.license,
          published_at = excluded.published_at, downloads = excluded.downloads, terms = excluded.terms, body = excluded.body`);
    });
  }

  async removeMany(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`DELETE FROM search_documents WHERE material_id IN (${list})`);
      await tx.execute(sql`DELETE FROM search_rows WHERE material_id IN (${list})`);
      await tx.execute(sql`DELETE FROM search_pages WHERE material_id IN (${list})`);
    });
  }

  async syncDownloads(counts: Array<{ id: string; downloads: number }>): Promise<void> {
    if (counts.length === 0) return;
    const values = sql.join(counts.map((c) => sql`(${c.id}::uuid, ${c.downloads}::bigint)`), sql`, `);
    await this.db.transaction(async (tx) => {
      for (const table of [sql`search_documents`, sql`search_rows`]) {
        await tx.execute(sql`UPDATE ${table} d SET downloads = v.downloads FROM (VALUES ${values}) AS v(id, downloads)
          WHERE d.material_id = v.id AND d.downloads <> v.downloads`);
      }
    });
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
    return { total: 0, hits: [], facets: emptyFacets(), approximate: false, partial: false, suggestion, understood: query.understood.recognised };
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
    return { ...result, approximate: false, partial, suggestion: null, understood: query.understood.recognised };
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
      this.db.execute<CountGroup>(browseCounts(query.filters, entities, mode)),
    ]);
    return { ...countsFromGroups(counts.rows), hits: hits.rows.map((row) => toHit(row, [])) };
  }

  /** Materials holding every word; when fewer than a page do, those holding most of them after. */
  private async matchText(query: ReadQuery, slots: WordSlot[]): Promise<SearchResult> {
    const { understood } = query;
    // Two syllables side by side are one Vietnamese word more often than not ("động đất", "tích phân"): one pair lexeme.
    const pair = slots.length === 2 && understood.phrase.join(' ').includes(`${slots[0]!.word} ${slots[1]!.word}`);
    const every = pair ? phrasePairs([slots[0]!.word, slots[1]!.word], slots).whole! : allWords(slots);
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

  /**
   * The ranked page and the counts of one match (docs/search.md, "Matching at scale"). Matches are
   * found by the GIN index of search_rows and read there. A match too large to read whole on every
   * request (over `exactLimit` rows) is counted on a sample of the table's pages, said `approximate`,
   * and its best hits are picked among its newest matches.
   */
  private async rankedMatch(query: ReadQuery, slots: WordSlot[], match: string, partial: boolean): Promise<Omit<SearchResult, 'partial' | 'suggestion' | 'understood'>> {
    const { understood, filters } = query;
    const phrase = phrasePairs(understood.phrase, slots);
    const titlePhrase = phrasePairs(understood.phrase, slots, TITLE_MARK);
    const has = (text: string | null, points: number) => (text ? sql` + (lead @@ ${text}::tsquery)::int * ${points}` : sql``);
    // Coverage (it differs only once words may be missing), the phrase, all words in the title, the metadata named…
    const coverage = partial ? sql`(${sql.join(eachWord(slots).map((w) => sql`(lead @@ ${w}::tsquery)::int`), sql` + `)}) * 1000` : sql`0`;
    const first = sql`${coverage}${has(phrase.whole, 400)}${has(allWords(slots, TITLE_MARK), 300)} + ${entityBoost(understood.entities)}`;
    // … then, for the best of those only, the phrase in the title, each pair and ts_rank over the weighted document.
    const refined = sql`first${has(titlePhrase.whole, 300)}${sql.join(phrase.pairs.map((p) => has(p, 60)), sql``)}
      + ts_rank('{0.1, 0.3, 0.6, 1.0}', d.document, to_tsquery('simple', ${anyWord(slots)})) * 100`;
    const relevance = query.sort === 'relevance';
    const offset = (query.page - 1) * query.pageSize;
    const candidates = Math.max(CANDIDATES, offset + query.pageSize);
    const byDate = ORDER[query.sort === 'downloads' ? 'downloads' : 'newest'];
    const order = relevance ? sql`score DESC, published_at DESC, material_id` : byDate;
    const ranked = (from: SQL) => sql`
      candidates AS (SELECT material_id, lead, published_at, downloads, ${relevance ? first : sql`0`} AS first FROM ${from}
        ORDER BY ${relevance ? sql`first DESC, published_at DESC, material_id` : byDate} LIMIT ${candidates}),
      hits AS (SELECT d.material_id, d.title, d.description, d.type, d.level, d.grades, d.subject, d.org_code, d.published_at, c.downloads, ${relevance ? refined : sql`0`} AS score FROM candidates c JOIN search_documents d USING (material_id)
        ORDER BY ${order} LIMIT ${query.pageSize} OFFSET ${offset})`;
    const rowsOf = (from: SQL) => sql`m AS MATERIALIZED (SELECT material_id, level, grades, subject, type, series, province_code, license,
      published_at, downloads, lead, ${missedFilters(filters)} AS missed FROM ${from})`;

    const org = filters.org ? sql`org_code = ${filters.org}` : sql`true`;
    const matched = sql`words @@ ${match}::tsquery AND ${org}`;
    type Answer = { groups: CountGroup[] | null; hits: Array<Row & { score: number }> | null };
    // A sample of the table's pages tells how large the match is; for a large one, its counts are the answer's.
    const percent = await this.samplePercent();
    const sample = await this.db.execute<{ groups: CountGroup[] | null }>(sql`WITH ${rowsOf(sql`search_rows TABLESAMPLE SYSTEM (${percent}) REPEATABLE (0)
      WHERE lead @@ ${match}::tsquery AND ${org} AND ${countableWhere(filters)}`)} SELECT json_agg(g) AS groups FROM (${groupedCounts}) g`);
    const sampled = sample.rows[0]!.groups ?? [];
    const scale = 100 / percent;
    const counted = sampled.filter((g) => g.level === null && g.subject === null && g.type === null && g.series === null && g.province_code === null
      && g.license === null && g.grades === null).reduce((sum, g) => sum + g.n, 0) * scale;
    const exact = counted <= this.options.exactLimit;
    const result = await this.db.transaction(async (tx) => {
      // Matches are found through the index, never by reading every row's words (which the planner may misjudge);
      // up to exactLimit matched rows with their lead vectors are held in memory, not spilled (4 MB by default).
      await tx.execute(sql.raw(`SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '${MATCH_WORK_MEM}'`));
      if (exact) {
        // One pass: the matched rows read once, for the counts and for the candidates.
        const answer = await tx.execute<Answer>(sql`WITH ${rowsOf(sql`search_rows WHERE ${matched} AND ${countableWhere(filters)}`)},
          counts AS (${groupedCounts}), ${ranked(sql`m WHERE missed = 0`)}
          SELECT (SELECT json_agg(counts) FROM counts) AS groups, (SELECT json_agg(hits ORDER BY ${order}) FROM hits) AS hits`);
        return { counts: countsFromGroups(answer.rows[0]!.groups ?? []), hits: answer.rows[0]!.hits ?? [] };
      }
      const counts = countsFromGroups(sampled, scale);
      const pageOf = async (from: SQL) => (await tx.execute<Answer>(sql`WITH ${ranked(from)} SELECT null AS groups, json_agg(hits ORDER BY ${order}) AS hits FROM hits`)).rows[0]!.hits ?? [];
      // The hits of a large match: every match under all the filters ranked, or, when those are many too, the newest of them.
      if (counts.total <= this.options.exactLimit) return { counts, hits: await pageOf(sql`search_rows WHERE ${matched} AND ${facetWhere(filters)}`) };
      const newest = (condition: SQL) => sql`(SELECT * FROM search_rows WHERE ${condition} AND ${org} AND ${facetWhere(filters)}
        ORDER BY ${byDate} LIMIT ${candidates * 2}) AS newest`;
      // By relevance, the first score's largest parts pick the candidates: the materials carrying every term the query
      // names (up to 550) and holding it as a phrase (400) outscore the rest whatever else those hold. The first of
      // these tiers that fills the page gives the candidates; their facets and pair lexemes are rare where the
      // syllables are common ("dao dong dieu hoa", "de kiem tra 15 phut toan 9"). (A phrase's pairs imply its words.)
      const named = entityWhere(understood.entities, 'all');
      const phraseMatch = phrase.whole ? sql`words @@ ${phrase.whole}::tsquery` : null;
      const tiers = relevance ? [phraseMatch && named ? sql`${phraseMatch} AND ${named}` : null, named ? sql`words @@ ${match}::tsquery AND ${named}` : null, phraseMatch] : [];
      for (const tier of tiers) {
        if (!tier) continue;
        const hits = await pageOf(newest(tier));
        if (hits.length === query.pageSize) return { counts, hits };
      }
      return { counts, hits: await pageOf(newest(sql`words @@ ${match}::tsquery`)) };
    });
    return { ...result.counts, approximate: !exact, hits: result.hits.map((hit) => toHit(hit, markedWords(query, slots))) };
  }

  /** The share of search_rows' pages that holds about SIZE_SAMPLE rows (all of a small table). */
  private async samplePercent(): Promise<number> {
    const table = await this.db.execute<{ rows: number }>(sql`SELECT greatest(reltuples, 0)::float8 AS rows FROM pg_class WHERE oid = 'search_rows'::regclass`);
    const rows = table.rows[0]?.rows ?? 0;
    return rows <= SIZE_SAMPLE ? 100 : Math.max(0.01, (100 * SIZE_SAMPLE) / rows);
  }
}

/** The words a hit's text is marked at: the query's own and the stand-ins that matched for unknown ones. */
const markedWords = (query: ReadQuery, slots: WordSlot[]) => [...new Set([...query.understood.phrase, ...slots.flatMap((s) => s.alternatives)])];

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

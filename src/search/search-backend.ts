import { escapeHtml, stripDiacritics } from '../core/text.js';
import type { UnderstoodQuery } from './query-understanding.js';

/** The text of one page of a document, as the documents job extracted it. */
export interface SearchPage {
  fileId: string;
  fileName: string;
  page: number;
  text: string;
}

/** What the search index holds for one published material (its published version). */
export interface SearchDocument {
  id: string;
  title: string;
  description: string | null;
  type: string;
  level: string;
  grades: number[];
  subject: string;
  series: string | null;
  /** The contributing org (a school, a province's department…) and the province it belongs to. */
  org: string;
  province: string | null;
  license: string;
  publishedAt: string;
  downloads: number;
  /** The Vietnamese names and usual abbreviations of its level, grades, subject, type, series, school and province. */
  terms: string;
  /** File names, question stems and document text: found, but weighed least. */
  body: string;
  pages: SearchPage[];
}

export const FACETS = ['level', 'grade', 'subject', 'type', 'series', 'province', 'license'] as const;
export type Facet = (typeof FACETS)[number];

export const SORTS = ['relevance', 'newest', 'downloads'] as const;
export type SearchSort = (typeof SORTS)[number];

export interface SearchFilters {
  level?: string; grade?: number; subject?: string; type?: string; series?: string; province?: string; org?: string; license?: string;
}

export interface SearchQuery {
  q: string;
  filters: SearchFilters;
  sort: SearchSort;
  page: number;
  pageSize: number;
}

/** A query as the backends receive it: with what the service understood of its words. */
export interface ReadQuery extends SearchQuery {
  understood: UnderstoodQuery;
}

export interface SearchHit extends Omit<SearchDocument, 'series' | 'license' | 'terms' | 'body' | 'pages' | 'downloads' | 'province'> {
  highlight: { title: string; description: string | null };
  /** Where the words were found inside a document, when not in the title or description. */
  foundIn?: { fileName: string; page: number; snippet: string };
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  /** For each facet, counts under every filter except that facet's own. */
  facets: Record<Facet, Record<string, number>>;
  /** True when the total and the counts are estimates (a match too large to count on every request). */
  approximate: boolean;
  /** True when the results hold only part of the query's words (none had them all). */
  partial: boolean;
  /** "Có phải bạn muốn tìm …": the query with unknown words replaced by known ones, when that finds more. */
  suggestion: string | null;
  /** What the query was read as: taxonomy terms that boost the materials carrying them. */
  understood: UnderstoodQuery['recognised'];
}

export interface Suggestion {
  kind: 'title' | 'level' | 'subject' | 'type' | 'series';
  label: string;
  /** For a taxonomy term: its code, the filter it sets. */
  code?: string;
  materials?: number;
}

/** The search engine behind /search: Postgres full text (default) or Meilisearch. */
export interface SearchBackend {
  readonly name: 'postgres' | 'meilisearch';
  /** Creates the index and its settings; safe to repeat. */
  setup(): Promise<void>;
  upsertMany(documents: SearchDocument[]): Promise<void>;
  removeMany(ids: string[]): Promise<void>;
  search(query: ReadQuery): Promise<SearchResult>;
  /** Titles starting with the folded prefix, most materials first. */
  suggestTitles(prefix: string, limit: number): Promise<Suggestion[]>;
  /** Brings download counts in the index up to date (they change without a publication). */
  syncDownloads(counts: Array<{ id: string; downloads: number }>): Promise<void>;
  check(): Promise<void>;
}

export const emptyFacets = (): SearchResult['facets'] => Object.fromEntries(FACETS.map((f) => [f, {}])) as SearchResult['facets'];

/** Marks matched words with <mark>, comparing without diacritics; the text is escaped first. */
export function highlight(text: string, words: string[]): string {
  const escaped = escapeHtml(text);
  if (words.length === 0) return escaped;
  return escaped.replace(/[\p{L}\p{N}]+/gu, (word) => (words.includes(foldDiacritics(word)) ? `<mark>${word}</mark>` : word));
}

/**
 * Tags that mark matches in an engine's highlighted text: controls that stored text cannot hold
 * (they are refused at the edge), so the text can be escaped first and the marks added after.
 */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

/** An engine's highlighted text (matches between MATCH_START and MATCH_END) as safe HTML with <mark>. */
export function markedHtml(text: string): string {
  return escapeHtml(text).replaceAll(MATCH_START, '<mark>').replaceAll(MATCH_END, '</mark>');
}

/** Lower case without Vietnamese diacritics (đ → d), as the Postgres index folds text. */
export function foldDiacritics(text: string): string {
  return stripDiacritics(text).toLowerCase();
}

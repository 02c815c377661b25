import { escapeHtml, stripDiacritics } from '../core/text.js';

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
  org: string;
  license: string;
  publishedAt: string;
}

export const FACETS = ['level', 'grade', 'subject', 'type', 'org'] as const;
export type Facet = (typeof FACETS)[number];

export interface SearchQuery {
  q: string;
  filters: { level?: string; grade?: number; subject?: string; type?: string; series?: string; org?: string; license?: string };
  sort: 'relevance' | 'newest';
  page: number;
  pageSize: number;
}

export interface SearchHit extends Omit<SearchDocument, 'series' | 'license'> {
  highlight: { title: string; description: string | null };
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  /** For each facet, counts under every filter except that facet's own. */
  facets: Record<Facet, Record<string, number>>;
}

/** The search engine behind /search: Postgres full text (default) or Meilisearch. */
export interface SearchBackend {
  readonly name: 'postgres' | 'meilisearch';
  /** Creates the index and its settings; safe to repeat. */
  setup(): Promise<void>;
  upsert(document: SearchDocument): Promise<void>;
  upsertMany(documents: SearchDocument[]): Promise<void>;
  remove(id: string): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  check(): Promise<void>;
}

/** Marks matched words with <mark>, comparing without diacritics; the text is escaped first. */
export function highlight(text: string, words: string[]): string {
  const escaped = escapeHtml(text);
  if (words.length === 0) return escaped;
  return escaped.replace(/[\p{L}\p{N}]+/gu, (word) => {
    const plain = foldDiacritics(word);
    return words.some((w) => plain.startsWith(w)) ? `<mark>${word}</mark>` : word;
  });
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

export function queryWords(q: string): string[] {
  return foldDiacritics(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 12);
}

import { sql } from 'drizzle-orm';
import type { Database } from '../../core/db/client.js';
import { foldDiacritics } from '../search-backend.js';
import { textArray } from './facet-counts.js';
import { allWords, type WordSlot } from './text-query.js';

/**
 * Which words the index knows. An unknown word gets the known words one edit or one swap of adjacent
 * letters away ("trnh" → "trinh", "nma" → "nam"); a known word is never replaced, so a query is never
 * silently turned into other words. An unknown last word that starts known words is being typed: a prefix.
 */
export async function resolveSlots(db: Database, words: string[]): Promise<WordSlot[]> {
  const result = await db.execute<{ i: number; known: boolean; prefix: boolean; alternatives: string[] }>(sql`
    SELECT q.i::int, k.word IS NOT NULL AS known,
      k.word IS NULL AND EXISTS (SELECT 1 FROM search_words p WHERE p.word > q.w AND p.word < q.w || ${'\uffff'}) AS prefix,
      CASE WHEN k.word IS NULL AND length(q.w) >= 3 THEN coalesce((
        SELECT array_agg(c.word ORDER BY c.swapped DESC, c.distance, c.word) FROM (
          SELECT word, hoclieu_transposed(word, q.w) AS swapped, levenshtein(word, q.w) AS distance FROM search_words
          WHERE length(word) BETWEEN length(q.w) - 1 AND length(q.w) + 1
            AND (levenshtein_less_equal(word, q.w, 1) <= 1 OR hoclieu_transposed(word, q.w))
          ORDER BY 2 DESC, 3, word LIMIT 3) c), '{}') ELSE '{}' END AS alternatives
    FROM unnest(${textArray(words)}) WITH ORDINALITY AS q(w, i)
    LEFT JOIN search_words k ON k.word = q.w
    ORDER BY q.i`);
  const last = words.length - 1;
  return words.map((word, index) => {
    const row = result.rows[index]!;
    return { word, alternatives: row.known ? [] : row.alternatives, prefix: index === last && row.prefix };
  });
}

/**
 * When nothing matched: the query with each unknown word replaced by the most similar known word
 * (by trigrams, for mistakes beyond one edit), offered only if that query finds something.
 */
export async function suggestionFor(db: Database, q: string, words: string[]): Promise<string | null> {
  if (words.length === 0) return null;
  const result = await db.execute<{ w: string; best: string | null }>(sql`
    SELECT q.w, CASE WHEN EXISTS (SELECT 1 FROM search_words k WHERE k.word = q.w) THEN q.w ELSE (
      SELECT word FROM search_words WHERE length(q.w) >= 3 AND word % q.w ORDER BY similarity(word, q.w) DESC, word LIMIT 1) END AS best
    FROM unnest(${textArray(words)}) WITH ORDINALITY AS q(w, i) ORDER BY q.i`);
  const replaced = result.rows.map((row) => row.best ?? row.w);
  if (replaced.every((w, i) => w === words[i])) return null;
  const found = await db.execute<{ found: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM search_rows WHERE words @@ ${allWords(replaced.map((word) => ({ word, alternatives: [], prefix: false })))}::tsquery) AS found`);
  if (!found.rows[0]?.found) return null;
  return rewriteQuery(q, new Map(words.map((w, i) => [w, replaced[i]!])));
}

/** The query as typed, each word found in `replacement` (by its folded form) replaced. */
export function rewriteQuery(q: string, replacement: Map<string, string>): string {
  return q.split(/\s+/).map((token) => replacement.get(foldDiacritics(token)) ?? token).join(' ');
}

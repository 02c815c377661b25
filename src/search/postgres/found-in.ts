import { sql } from 'drizzle-orm';
import type { Database } from '../../core/db/client.js';
import { foldDiacritics, highlight, type SearchHit } from '../search-backend.js';

const SNIPPET = 160;

/**
 * For hits whose title and description do not show the words, the document page that holds them
 * ("trang 3 của bai-giang.pptx"), with a highlighted snippet.
 */
export async function foundInPages(db: Database, hits: SearchHit[], anyWord: string, words: string[]): Promise<SearchHit[]> {
  const unexplained = hits.filter((hit) => !hit.highlight.title.includes('<mark>') && !hit.highlight.description?.includes('<mark>'));
  if (unexplained.length === 0) return hits;
  const ids = sql.join(unexplained.map((hit) => sql`${hit.id}::uuid`), sql`, `);
  const result = await db.execute<{ material_id: string; file_name: string; page: number; text: string }>(sql`
    SELECT DISTINCT ON (material_id) material_id, file_name, page, text FROM search_pages
    WHERE material_id IN (${ids}) AND document @@ to_tsquery('simple', ${anyWord})
    ORDER BY material_id, ts_rank(document, to_tsquery('simple', ${anyWord})) DESC, page`);
  const pages = new Map(result.rows.map((row) => [row.material_id, row]));
  return hits.map((hit) => {
    const page = pages.get(hit.id);
    return page ? { ...hit, foundIn: { fileName: page.file_name, page: page.page, snippet: snippet(page.text, words) } } : hit;
  });
}

/** About SNIPPET characters of the page around the first word of the query, marked. */
function snippet(text: string, words: string[]): string {
  const folded = foldDiacritics(text);
  const at = Math.min(...words.map((w) => folded.search(new RegExp(`(^|[^\\p{L}\\p{N}])${w}($|[^\\p{L}\\p{N}])`, 'u'))).filter((i) => i >= 0), text.length);
  const start = Math.max(0, at - SNIPPET / 3);
  const cut = text.slice(start, start + SNIPPET);
  return highlight(`${start > 0 ? '…' : ''}${cut}${start + SNIPPET < text.length ? '…' : ''}`, words);
}

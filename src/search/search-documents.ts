import { sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import type { SearchDocument, SearchPage } from './search-backend.js';
import type { SearchVocabulary } from './vocabulary.js';

type MaterialRow = {
  id: string; version_id: string; title: string; description: string | null; type: string; level: string; grades: number[];
  subject: string; series: string | null; org: string; org_name: string; province: string | null; province_name: string | null;
  license: string; published_at: string | null; downloads: string | number;
};

/** Question stems beyond this many characters add little to finding a bank, and much to its index entry. */
const STEMS_LIMIT = 50_000;

/**
 * Reads what the index should hold for published materials (their published version): the
 * metadata, the Vietnamese names of its taxonomy terms with their usual abbreviations, its school
 * and province, and a body of file names, question stems and the text of its documents' pages.
 */
export class SearchDocumentSource {
  constructor(private readonly db: Database, private readonly vocabulary: () => SearchVocabulary) {}

  /** The documents of those materials that must be searchable; the others' ids are in `absent`. */
  async forMaterials(ids: string[]): Promise<{ documents: SearchDocument[]; absent: string[] }> {
    if (ids.length === 0) return { documents: [], absent: [] };
    const documents = await this.read(sql`m.id = ANY(${`{${ids.join(',')}}`}::uuid[])`, ids.length);
    const found = new Set(documents.map((d) => d.id));
    return { documents, absent: ids.filter((id) => !found.has(id)) };
  }

  /** Every searchable material, in pages, for a full reindex or the sitemap. */
  async *all(pageSize = 1000): AsyncIterable<SearchDocument[]> {
    const page = (after: string) => this.read(sql`m.id > ${after}::uuid`, pageSize);
    let next = page('00000000-0000-0000-0000-000000000000');
    for (;;) {
      const documents = await next;
      if (documents.length === 0) return;
      // The next page is read while the caller writes this one: reading and indexing overlap.
      next = page(documents[documents.length - 1]!.id);
      // Awaited on the next turn; a caller that stops early must not leave it unhandled.
      next.catch(() => undefined);
      yield documents;
    }
  }

  /** Id, title and publication date of every searchable material, in pages (the sitemap). */
  async *summaries(pageSize = 5000): AsyncIterable<Array<{ id: string; title: string; publishedAt: string }>> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.db.execute<{ id: string; title: string; published_at: string | null }>(sql`
        SELECT m.id, v.title, v.published_at FROM materials m JOIN material_versions v ON v.material_id = m.id AND v.version = m.published_version
        WHERE m.published_version IS NOT NULL AND m.status <> 'archived' AND m.id > ${after}::uuid ORDER BY m.id LIMIT ${pageSize}`);
      if (rows.rows.length === 0) return;
      yield rows.rows.map((r) => ({ id: r.id, title: r.title, publishedAt: new Date(r.published_at ?? Date.now()).toISOString() }));
      after = rows.rows[rows.rows.length - 1]!.id;
    }
  }

  /** Download counts of every searchable material, in pages. */
  async *downloadCounts(pageSize = 10_000): AsyncIterable<Array<{ id: string; downloads: number }>> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.db.execute<{ id: string; downloads: string }>(sql`
        SELECT id, download_count AS downloads FROM materials WHERE published_version IS NOT NULL AND status <> 'archived' AND id > ${after}::uuid
        ORDER BY id LIMIT ${pageSize}`);
      if (rows.rows.length === 0) return;
      yield rows.rows.map((r) => ({ id: r.id, downloads: Number(r.downloads) }));
      after = rows.rows[rows.rows.length - 1]!.id;
    }
  }

  private async read(where: ReturnType<typeof sql>, limit: number): Promise<SearchDocument[]> {
    const rows = await this.db.execute<MaterialRow>(sql`
      WITH RECURSIVE page AS MATERIALIZED (
        -- The page of materials first, by primary key: each version is then one index lookup, never a scan of them all.
        SELECT m.id, m.type, m.org_id, m.published_version, m.download_count FROM materials m
        WHERE m.published_version IS NOT NULL AND m.status <> 'archived' AND ${where}
        ORDER BY m.id LIMIT ${limit}
      ), picked AS (
        SELECT m.id, v.id AS version_id, v.title, v.description, m.type, v.level, v.grades, v.subject, v.series, m.org_id,
          v.license, v.published_at, m.download_count AS downloads
        FROM page m JOIN material_versions v ON v.material_id = m.id AND v.version = m.published_version
      ), up AS (
        SELECT o.id AS start_id, o.id, o.parent_id, o.kind, o.code, o.name, 0 AS depth FROM org_units o WHERE o.id IN (SELECT org_id FROM picked)
        UNION ALL
        SELECT up.start_id, p.id, p.parent_id, p.kind, p.code, p.name, up.depth + 1 FROM org_units p JOIN up ON p.id = up.parent_id WHERE up.depth < 10
      ), province AS (
        SELECT DISTINCT ON (start_id) start_id, code, name FROM up WHERE kind = 'province' ORDER BY start_id, depth
      )
      SELECT picked.*, o.code AS org, o.name AS org_name, province.code AS province, province.name AS province_name
      FROM picked JOIN org_units o ON o.id = picked.org_id
      LEFT JOIN province ON province.start_id = picked.org_id
      ORDER BY picked.id`);
    if (rows.rows.length === 0) return [];
    const versionIds = `{${rows.rows.map((r) => r.version_id).join(',')}}`;
    const [files, stems, pages] = await Promise.all([
      this.db.execute<{ version_id: string; name: string }>(sql`SELECT version_id, name FROM version_files WHERE version_id = ANY(${versionIds}::uuid[]) ORDER BY name`),
      this.db.execute<{ version_id: string; text: string }>(sql`
        SELECT version_id, left(string_agg(search_text, ' ' ORDER BY position), ${STEMS_LIMIT}) AS text FROM questions
        WHERE version_id = ANY(${versionIds}::uuid[]) GROUP BY version_id`),
      this.db.execute<{ version_id: string; file_id: string; file_name: string; page: number; text: string }>(sql`
        SELECT f.version_id, f.id AS file_id, f.name AS file_name, p.page, p.text FROM version_files f
        JOIN document_pages p ON p.sha256 = f.sha256 WHERE f.version_id = ANY(${versionIds}::uuid[]) AND p.text <> '' ORDER BY f.name, p.page`),
    ]);
    const group = <T extends { version_id: string }>(list: T[]) => {
      const map = new Map<string, T[]>();
      for (const item of list) map.set(item.version_id, [...(map.get(item.version_id) ?? []), item]);
      return map;
    };
    const filesBy = group(files.rows);
    const stemsBy = new Map(stems.rows.map((r) => [r.version_id, r.text]));
    const pagesBy = group(pages.rows);
    const vocabulary = this.vocabulary();
    return rows.rows.map((row) => {
      const documentPages: SearchPage[] = (pagesBy.get(row.version_id) ?? []).map((p) => ({ fileId: p.file_id, fileName: p.file_name, page: p.page, text: p.text }));
      const terms = [
        ...vocabulary.spellingsOf('level', row.level), ...row.grades.map((g) => `Lớp ${g}`), ...vocabulary.spellingsOf('subject', row.subject),
        ...vocabulary.spellingsOf('type', row.type), ...vocabulary.spellingsOf('series', row.series), row.org_name, row.province_name ?? '',
      ];
      const body = [
        ...(filesBy.get(row.version_id) ?? []).map((f) => f.name), stemsBy.get(row.version_id) ?? '', ...documentPages.map((p) => p.text),
      ];
      return {
        id: row.id, title: row.title, description: row.description, type: row.type, level: row.level, grades: row.grades,
        subject: row.subject, series: row.series, org: row.org, province: row.province, license: row.license,
        publishedAt: new Date(row.published_at ?? Date.now()).toISOString(), downloads: Number(row.downloads),
        terms: terms.filter(Boolean).join(' · '), body: body.filter(Boolean).join('\n'), pages: documentPages,
      };
    });
  }
}

import { and, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { materials, materialVersions, orgUnits } from '../core/db/schema.js';
import type { SearchDocument } from './search-backend.js';

/** Reads what the index should hold for published materials (their published version). */
export class SearchDocumentSource {
  constructor(private readonly db: Database) {}

  private select() {
    return this.db
      .select({
        id: materials.id, title: materialVersions.title, description: materialVersions.description, type: materials.type,
        level: materialVersions.level, grades: materialVersions.grades, subject: materialVersions.subject,
        series: materialVersions.series, org: orgUnits.code, license: materialVersions.license, publishedAt: materialVersions.publishedAt,
      })
      .from(materials)
      .innerJoin(materialVersions, and(eq(materialVersions.materialId, materials.id), eq(materialVersions.version, materials.publishedVersion)))
      .innerJoin(orgUnits, eq(orgUnits.id, materials.orgId));
  }

  /** The document for a material, or null when it must not be searchable (not published, archived). */
  async forMaterial(materialId: string): Promise<SearchDocument | null> {
    const [row] = await this.select().where(and(eq(materials.id, materialId), isNotNull(materials.publishedVersion), ne(materials.status, 'archived')));
    return row ? { ...row, publishedAt: (row.publishedAt ?? new Date()).toISOString() } : null;
  }

  /** Every searchable material, in pages, for a full reindex. */
  async *all(pageSize = 1000): AsyncIterable<SearchDocument[]> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.select()
        .where(and(isNotNull(materials.publishedVersion), ne(materials.status, 'archived'), sql`${materials.id} > ${after}`))
        .orderBy(materials.id).limit(pageSize);
      if (rows.length === 0) return;
      yield rows.map((row) => ({ ...row, publishedAt: (row.publishedAt ?? new Date()).toISOString() }));
      after = rows[rows.length - 1]!.id;
    }
  }
}

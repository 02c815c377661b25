import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import {
  documentPages, documentProcessing, materialVersions, renditions, versionFiles, type DocumentDetails, type PageImage,
} from '../core/db/schema.js';
import type { NewRendition } from '../media/media.repository.js';

export type DocumentProcessing = typeof documentProcessing.$inferSelect;
export type DocumentKind = DocumentProcessing['kind'];
export type NewPage = { page: number; text: string; images: PageImage[] };

export class DocumentRepository {
  constructor(private readonly db: Database) {}

  /** Marks content for a preview; true when a job must be enqueued (new, or failed or unavailable before). */
  async queue(sha256: string, kind: DocumentKind, db: Database): Promise<boolean> {
    const result = await db.execute(sql`
      INSERT INTO document_processing (sha256, kind) VALUES (${sha256}, ${kind})
      ON CONFLICT (sha256) DO UPDATE SET state = 'queued', error = NULL, details = '{}', updated_at = now()
        WHERE document_processing.state IN ('failed', 'unavailable')
      RETURNING sha256`);
    return (result.rowCount ?? 0) > 0;
  }

  async get(sha256: string, db: Database = this.db, options: { forUpdate?: boolean } = {}): Promise<DocumentProcessing | null> {
    const query = db.select().from(documentProcessing).where(eq(documentProcessing.sha256, sha256));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row ?? null;
  }

  async start(sha256: string): Promise<void> {
    await this.db.update(documentProcessing)
      .set({ state: 'running', error: null, attempts: sql`${documentProcessing.attempts} + 1`, updatedAt: sql`now()` })
      .where(eq(documentProcessing.sha256, sha256));
  }

  async fail(sha256: string, error: string, db: Database = this.db): Promise<void> {
    await db.update(documentProcessing).set({ state: 'failed', error: error.slice(0, 4000), updatedAt: sql`now()` })
      .where(eq(documentProcessing.sha256, sha256));
  }

  async unavailable(sha256: string, missingPackages: string[]): Promise<void> {
    await this.db.update(documentProcessing).set({ state: 'unavailable', error: null, details: { missingPackages }, updatedAt: sql`now()` })
      .where(eq(documentProcessing.sha256, sha256));
  }

  /** The final transaction's writes: pages, poster renditions, and the state that makes them visible. */
  async finish(sha256: string, result: { pageCount: number; pdfKey: string | null; pdfSize: number | null; details: DocumentDetails }, pages: NewPage[], posters: NewRendition[], db: Database): Promise<void> {
    for (let i = 0; i < pages.length; i += 500) {
      await db.insert(documentPages).values(pages.slice(i, i + 500).map((page) => ({ ...page, sha256 })));
    }
    if (posters.length) await db.insert(renditions).values(posters.map((r) => ({ ...r, sha256 }))).onConflictDoNothing();
    await db.update(documentProcessing)
      .set({ state: 'ready', error: null, ...result, updatedAt: sql`now()` })
      .where(eq(documentProcessing.sha256, sha256));
  }

  async pages(sha256: string): Promise<Array<{ page: number; text: string; images: PageImage[] }>> {
    return this.db.select({ page: documentPages.page, text: documentPages.text, images: documentPages.images })
      .from(documentPages).where(eq(documentPages.sha256, sha256)).orderBy(asc(documentPages.page));
  }

  async page(sha256: string, page: number): Promise<{ images: PageImage[] } | null> {
    const [row] = await this.db.select({ images: documentPages.images }).from(documentPages)
      .where(and(eq(documentPages.sha256, sha256), eq(documentPages.page, page)));
    return row ?? null;
  }

  async hasPoster(sha256: string): Promise<boolean> {
    const [row] = await this.db.select({ id: renditions.id }).from(renditions).where(and(eq(renditions.sha256, sha256), eq(renditions.kind, 'poster'))).limit(1);
    return !!row;
  }

  /** Every material with a file of this content, in any version: each one's search entry reads the pages. */
  async materialsWith(sha256: string, db: Database): Promise<string[]> {
    const rows = await db.selectDistinct({ id: materialVersions.materialId }).from(versionFiles)
      .innerJoin(materialVersions, eq(materialVersions.id, versionFiles.versionId))
      .where(eq(versionFiles.sha256, sha256));
    return rows.map((row) => row.id);
  }
}

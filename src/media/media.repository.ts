import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { mediaProcessing, renditions, type RenditionKind } from '../core/db/schema.js';

export type Processing = typeof mediaProcessing.$inferSelect;
export type Rendition = typeof renditions.$inferSelect;
export type NewRendition = Omit<typeof renditions.$inferInsert, 'id' | 'sha256' | 'createdAt'>;

export class MediaRepository {
  constructor(private readonly db: Database) {}

  /** Marks content for processing; true when a job must be enqueued (new, or failed before). */
  async queue(sha256: string, db: Database): Promise<boolean> {
    const result = await db.execute(sql`
      INSERT INTO media_processing (sha256) VALUES (${sha256})
      ON CONFLICT (sha256) DO UPDATE SET state = 'queued', progress = 0, error = NULL, updated_at = now()
        WHERE media_processing.state = 'failed'
      RETURNING sha256`);
    return (result.rowCount ?? 0) > 0;
  }

  async get(sha256: string, db: Database = this.db, options: { forUpdate?: boolean } = {}): Promise<Processing | null> {
    const query = db.select().from(mediaProcessing).where(eq(mediaProcessing.sha256, sha256));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row ?? null;
  }

  async start(sha256: string): Promise<void> {
    await this.db.update(mediaProcessing)
      .set({ state: 'running', progress: 0, error: null, attempts: sql`${mediaProcessing.attempts} + 1`, updatedAt: sql`now()` })
      .where(eq(mediaProcessing.sha256, sha256));
  }

  async progress(sha256: string, percent: number): Promise<void> {
    await this.db.update(mediaProcessing).set({ progress: Math.max(0, Math.min(99, Math.round(percent))), updatedAt: sql`now()` })
      .where(and(eq(mediaProcessing.sha256, sha256), eq(mediaProcessing.state, 'running')));
  }

  async fail(sha256: string, error: string, db: Database = this.db): Promise<void> {
    await db.update(mediaProcessing).set({ state: 'failed', error: error.slice(0, 4000), updatedAt: sql`now()` })
      .where(eq(mediaProcessing.sha256, sha256));
  }

  async finish(sha256: string, outputs: NewRendition[], details: { metadata: Record<string, unknown>; peaks: number[] | null }, db: Database): Promise<void> {
    if (outputs.length) await db.insert(renditions).values(outputs.map((r) => ({ ...r, sha256 })));
    await db.update(mediaProcessing)
      .set({ state: 'ready', progress: 100, error: null, metadata: details.metadata, peaks: details.peaks, updatedAt: sql`now()` })
      .where(eq(mediaProcessing.sha256, sha256));
  }

  /** One more rendition made later (the YouTube mezzanine); a twin from a concurrent run wins and is returned. */
  async addRendition(sha256: string, rendition: NewRendition): Promise<Rendition> {
    const [inserted] = await this.db.insert(renditions).values({ ...rendition, sha256 }).onConflictDoNothing().returning();
    if (inserted) return inserted;
    return (await this.renditions(sha256, rendition.kind)).find((r) => r.format === rendition.format)!;
  }

  async renditions(sha256: string, kind?: RenditionKind): Promise<Rendition[]> {
    return this.db.select().from(renditions)
      .where(and(eq(renditions.sha256, sha256), kind ? eq(renditions.kind, kind) : undefined))
      .orderBy(renditions.kind, sql`${renditions.width} DESC NULLS LAST`, renditions.format);
  }

  /**
   * For each published material among `materialIds`, its first file of the published version that
   * has a poster (the picture that lists show), in one query.
   */
  async publishedPosterFiles(materialIds: string[]): Promise<Map<string, string>> {
    if (materialIds.length === 0) return new Map();
    const result = await this.db.execute<{ material_id: string; file_id: string }>(sql`
      SELECT DISTINCT ON (m.id) m.id AS material_id, f.id AS file_id
      FROM materials m
      JOIN material_versions v ON v.material_id = m.id AND v.version = m.published_version
      JOIN version_files f ON f.version_id = v.id
      WHERE m.id IN (${sql.join(materialIds.map((id) => sql`${id}::uuid`), sql`, `)}) AND m.status <> 'archived'
        AND EXISTS (SELECT 1 FROM renditions r WHERE r.sha256 = f.sha256 AND r.kind = 'poster')
      ORDER BY m.id, f.created_at, f.id`);
    return new Map(result.rows.map((row) => [row.material_id, row.file_id]));
  }

  async rendition(id: string): Promise<Rendition | null> {
    const [row] = await this.db.select().from(renditions).where(eq(renditions.id, id));
    return row ?? null;
  }
}

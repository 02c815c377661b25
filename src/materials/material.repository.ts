import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { blobs, materials, materialVersions, mediaProcessing, orgUnits, questions, reviewTasks, users, versionFiles, type MaterialStatus } from '../core/db/schema.js';

export type Material = typeof materials.$inferSelect;
export type MaterialVersion = typeof materialVersions.$inferSelect;
export type VersionFile = typeof versionFiles.$inferSelect;
export type FileProcessing = { state: string; progress: number; error: string | null } | null;
export type FileWithProcessing = VersionFile & { processing: FileProcessing };

export class MaterialRepository {
  constructor(private readonly db: Database) {}

  async find(id: string, db: Database = this.db, options: { forUpdate?: boolean } = {}): Promise<Material | null> {
    const query = db.select().from(materials).where(eq(materials.id, id));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row ?? null;
  }

  async version(materialId: string, version: number, db: Database = this.db): Promise<MaterialVersion | null> {
    const [row] = await db.select().from(materialVersions)
      .where(and(eq(materialVersions.materialId, materialId), eq(materialVersions.version, version)));
    return row ?? null;
  }

  async questionCount(versionId: string, db: Database = this.db): Promise<number> {
    const [row] = await db.select({ n: count() }).from(questions).where(eq(questions.versionId, versionId));
    return row!.n;
  }

  async files(versionId: string, db: Database = this.db): Promise<FileWithProcessing[]> {
    const rows = await db.select({ file: versionFiles, state: mediaProcessing.state, progress: mediaProcessing.progress, error: mediaProcessing.error })
      .from(versionFiles)
      .leftJoin(mediaProcessing, eq(mediaProcessing.sha256, versionFiles.sha256))
      .where(eq(versionFiles.versionId, versionId)).orderBy(asc(versionFiles.createdAt), asc(versionFiles.id));
    return rows.map(({ file, state, progress, error }) => ({ ...file, processing: state ? { state, progress: progress ?? 0, error } : null }));
  }

  async orgAndOwner(material: Material) {
    const [row] = await this.db
      .select({ orgCode: orgUnits.code, orgName: orgUnits.name, ownerName: users.displayName })
      .from(materials)
      .innerJoin(orgUnits, eq(orgUnits.id, materials.orgId))
      .innerJoin(users, eq(users.id, materials.ownerId))
      .where(eq(materials.id, material.id));
    return row!;
  }

  /**
   * One owner's materials with their working version, newest change first, and what the workspace
   * shows beside each: the org whose review task is open on it, the last request for changes.
   */
  async listOwned(ownerId: string, filter: { status?: MaterialStatus; limit: number; offset: number }) {
    const where = and(eq(materials.ownerId, ownerId), filter.status ? eq(materials.status, filter.status) : undefined);
    const waitingAt = sql<{ code: string; name: string; kind: string } | null>`(
      SELECT json_build_object('code', o.code, 'name', o.name, 'kind', o.kind) FROM ${reviewTasks} t JOIN ${orgUnits} o ON o.id = t.org_id
      WHERE t.material_id = ${materials.id} AND t.version = ${materials.version} AND NOT t.done ORDER BY t.stage_order LIMIT 1)`;
    const changesRequested = sql<{ comment: string | null; reasons: string[]; at: string } | null>`(
      SELECT json_build_object('comment', t.comment, 'reasons', t.reasons, 'at', t.decided_at) FROM ${reviewTasks} t
      WHERE t.material_id = ${materials.id} AND t.version = ${materials.version} AND t.decision = 'request_changes' ORDER BY t.decided_at DESC LIMIT 1)`;
    const [rows, [total]] = await Promise.all([
      this.db.select({
        id: materials.id, status: materials.status, version: materials.version, publishedVersion: materials.publishedVersion, type: materials.type,
        title: materialVersions.title, level: materialVersions.level, grades: materialVersions.grades, subject: materialVersions.subject,
        updatedAt: materials.updatedAt, waitingAt, changesRequested,
      })
        .from(materials)
        .innerJoin(materialVersions, and(eq(materialVersions.materialId, materials.id), eq(materialVersions.version, materials.version)))
        .where(where).orderBy(desc(materials.updatedAt), asc(materials.id)).limit(filter.limit).offset(filter.offset),
      this.db.select({ n: count() }).from(materials).where(where),
    ]);
    return { total: total!.n, rows };
  }

  async insert(material: typeof materials.$inferInsert, version: Omit<typeof materialVersions.$inferInsert, 'materialId'>, db: Database) {
    const [created] = await db.insert(materials).values(material).returning();
    const [createdVersion] = await db.insert(materialVersions).values({ ...version, materialId: created!.id }).returning();
    return { material: created!, version: createdVersion! };
  }

  /** Published (not archived) materials of some types matching a classification, oldest first. */
  async publishedOfTypes(types: string[], filter: { level?: string; grade?: number; subject?: string; series?: string }, limit: number): Promise<string[]> {
    const rows = await this.db.select({ id: materials.id }).from(materials)
      .innerJoin(materialVersions, and(eq(materialVersions.materialId, materials.id), eq(materialVersions.version, materials.publishedVersion)))
      .where(and(
        inArray(materials.type, types), sql`${materials.status} <> 'archived'`,
        filter.level ? eq(materialVersions.level, filter.level) : undefined,
        filter.grade ? sql`${filter.grade}::int = ANY(${materialVersions.grades})` : undefined,
        filter.subject ? eq(materialVersions.subject, filter.subject) : undefined,
        filter.series ? eq(materialVersions.series, filter.series) : undefined,
      ))
      .orderBy(asc(materialVersions.publishedAt)).limit(limit);
    return rows.map((r) => r.id);
  }

  async update(id: string, values: Partial<typeof materials.$inferInsert>, db: Database): Promise<void> {
    await db.update(materials).set({ ...values, updatedAt: sql`now()` }).where(eq(materials.id, id));
  }

  async updateVersion(id: string, values: Partial<typeof materialVersions.$inferInsert>, db: Database): Promise<void> {
    await db.update(materialVersions).set(values).where(eq(materialVersions.id, id));
  }

  /** Creates version `to` with the metadata and files of `from` (files share their stored bytes). */
  async copyVersion(from: MaterialVersion, to: number, db: Database): Promise<MaterialVersion> {
    const { id: _id, version: _version, createdAt: _c, submittedAt: _s, publishedAt: _p, stages: _st, ...metadata } = from;
    const [created] = await db.insert(materialVersions).values({ ...metadata, version: to }).returning();
    await db.execute(sql`
      INSERT INTO version_files (version_id, sha256, name, size, mime, created_at)
      SELECT ${created!.id}, sha256, name, size, mime, created_at FROM version_files WHERE version_id = ${from.id}`);
    // A question bank's questions belong to the version: the revision works on its own copies.
    await db.execute(sql`
      INSERT INTO questions (version_id, position, type, name, stem, options, parts, scoring, points_thousandths, general_feedback, shuffle, case_sensitive,
        cognitive_level, topic, tags, assets, search_text, source)
      SELECT ${created!.id}, position, type, name, stem, options, parts, scoring, points_thousandths, general_feedback, shuffle, case_sensitive,
        cognitive_level, topic, tags, assets, search_text, source
      FROM questions WHERE version_id = ${from.id}`);
    return created!;
  }

  async findFile(fileId: string) {
    const [row] = await this.db
      .select({ file: versionFiles, version: materialVersions.version, storageKey: blobs.storageKey, materialId: materialVersions.materialId })
      .from(versionFiles)
      .innerJoin(materialVersions, eq(materialVersions.id, versionFiles.versionId))
      .innerJoin(blobs, eq(blobs.sha256, versionFiles.sha256))
      .where(eq(versionFiles.id, fileId));
    return row ?? null;
  }

  /**
   * Serialises everything done to one content's blob until the transaction ends: the upload that
   * stores its bytes, the cleanup of bytes whose row never committed.
   */
  async lockBlob(sha256: string, db: Database): Promise<void> {
    await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`blob:${sha256}`}, 0))`);
  }

  async blobExists(sha256: string, db: Database): Promise<boolean> {
    const [row] = await db.select({ sha256: blobs.sha256 }).from(blobs).where(eq(blobs.sha256, sha256));
    return !!row;
  }

  async insertFile(file: typeof versionFiles.$inferInsert & { storageKey: string }, db: Database): Promise<VersionFile> {
    const { storageKey, ...row } = file;
    await db.insert(blobs).values({ sha256: row.sha256, size: row.size, mime: row.mime, storageKey }).onConflictDoNothing();
    const [created] = await db.insert(versionFiles).values(row).returning();
    return created!;
  }

  async deleteFile(versionId: string, fileId: string, db: Database): Promise<VersionFile | null> {
    const [row] = await db.delete(versionFiles).where(and(eq(versionFiles.id, fileId), eq(versionFiles.versionId, versionId))).returning();
    return row ?? null;
  }

  async countDownload(materialId: string): Promise<void> {
    await this.db.update(materials).set({ downloadCount: sql`${materials.downloadCount} + 1` }).where(eq(materials.id, materialId));
  }
}

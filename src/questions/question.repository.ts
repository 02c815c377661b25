import { and, asc, count, desc, eq, inArray, like, notLike, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { materialVersions, questions } from '../core/db/schema.js';
import type { CognitiveLevel, QuestionType } from './model.js';
import { escapeLike } from '../core/text.js';

export type QuestionRow = typeof questions.$inferSelect;
export type NewQuestionRow = typeof questions.$inferInsert;

export interface QuestionFilter {
  /** Already folded: lower case, no diacritics. */
  text?: string;
  type?: QuestionType;
  cognitiveLevel?: CognitiveLevel;
  /** A topic path: the topic itself and everything under it (not "Toán 6//7", a sibling of "Toán 6"). */
  topic?: string;
}

/** Question rows of material versions. */
const INSERT_COLUMNS = [
  'version_id', 'position', 'type', 'name', 'stem', 'options', 'parts', 'scoring', 'points_thousandths', 'general_feedback', 'shuffle',
  'case_sensitive', 'cognitive_level', 'topic', 'tags', 'assets', 'search_text', 'source',
];

export class QuestionRepository {
  constructor(private readonly db: Database) {}

  private where(versionIds: string[], filter: QuestionFilter): SQL {
    return and(
      versionIds.length === 1 ? eq(questions.versionId, versionIds[0]!) : inArray(questions.versionId, versionIds),
      filter.text ? like(questions.searchText, `%${escapeLike(filter.text)}%`) : undefined,
      filter.type ? eq(questions.type, filter.type) : undefined,
      filter.cognitiveLevel ? eq(questions.cognitiveLevel, filter.cognitiveLevel) : undefined,
      filter.topic ? or(eq(questions.topic, filter.topic), and(like(questions.topic, `${escapeLike(filter.topic)}/%`), notLike(questions.topic, `${escapeLike(filter.topic)}//%`))) : undefined,
    )!;
  }

  async list(versionId: string, filter: QuestionFilter, page: { limit: number; offset: number }) {
    const where = this.where([versionId], filter);
    const [rows, [total]] = await Promise.all([
      this.db.select().from(questions).where(where).orderBy(asc(questions.position)).limit(page.limit).offset(page.offset),
      this.db.select({ n: count() }).from(questions).where(where),
    ]);
    return { rows, total: total!.n };
  }

  /** Every question of some versions matching the filter, in bank order (for drawing tests). */
  /** Ids of the questions of these versions that fit a filter, in bank order (what a matrix cell draws from). */
  async matchingIds(versionIds: string[], filter: QuestionFilter): Promise<string[]> {
    const rows = await this.db.select({ id: questions.id }).from(questions).where(this.where(versionIds, filter)).orderBy(asc(questions.versionId), asc(questions.position));
    return rows.map((row) => row.id);
  }

  async all(versionId: string): Promise<QuestionRow[]> {
    return this.db.select().from(questions).where(eq(questions.versionId, versionId)).orderBy(asc(questions.position));
  }

  async byIds(ids: string[]): Promise<QuestionRow[]> {
    return ids.length ? this.db.select().from(questions).where(inArray(questions.id, ids)) : [];
  }

  /** A question with the material its version belongs to. */
  async find(id: string): Promise<(QuestionRow & { materialId: string }) | undefined> {
    const [row] = await this.db.select({ question: questions, materialId: materialVersions.materialId }).from(questions)
      .innerJoin(materialVersions, eq(materialVersions.id, questions.versionId)).where(eq(questions.id, id));
    return row && { ...row.question, materialId: row.materialId };
  }

  async nextPosition(versionId: string, db: Database = this.db): Promise<number> {
    const [last] = await db.select({ position: questions.position }).from(questions).where(eq(questions.versionId, versionId)).orderBy(desc(questions.position)).limit(1);
    return (last?.position ?? 0) + 1;
  }

  /**
   * Rows go as one JSON document per batch that Postgres expands itself (jsonb_populate_recordset):
   * building ten thousand rows of bind parameters in the query builder cost more than the insert.
   */
  async insert(rows: NewQuestionRow[], db: Database = this.db): Promise<void> {
    for (let i = 0; i < rows.length; i += 2000) {
      const batch = rows.slice(i, i + 2000).map((r) => ({
        version_id: r.versionId, position: r.position, type: r.type, name: r.name ?? null, stem: r.stem, options: r.options ?? [], parts: r.parts ?? null,
        scoring: r.scoring ?? null, points_thousandths: r.points ?? 1000, general_feedback: r.generalFeedback ?? null, shuffle: r.shuffle ?? null,
        case_sensitive: r.caseSensitive ?? null, cognitive_level: r.cognitiveLevel ?? null, topic: r.topic ?? null, tags: r.tags ?? [],
        assets: r.assets ?? [], search_text: r.searchText ?? '', source: r.source,
      }));
      await db.execute(sql`
        INSERT INTO questions (${sql.raw(INSERT_COLUMNS.join(', '))})
        SELECT ${sql.raw(INSERT_COLUMNS.join(', '))} FROM jsonb_populate_recordset(null::questions, ${JSON.stringify(batch)}::jsonb)`);
    }
  }

  /** Counts by type, level and topic: what anyone may know of a published bank. */
  async summary(versionId: string) {
    const rows = await this.db.select({ type: questions.type, level: questions.cognitiveLevel, topic: questions.topic, n: count() })
      .from(questions).where(eq(questions.versionId, versionId)).groupBy(questions.type, questions.cognitiveLevel, questions.topic);
    return rows;
  }
}

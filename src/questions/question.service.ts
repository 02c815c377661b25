import { asc, desc, eq } from 'drizzle-orm';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../core/db/client.js';
import { questions } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import type { MaterialService } from '../materials/material.service.js';
import { decodeText } from './decode-text.js';
import { parseAiken } from './formats/aiken.js';
import type { ParseResult } from './model.js';

export const QUESTION_FORMATS = ['auto', 'aiken'] as const;
export type QuestionFormat = (typeof QUESTION_FORMATS)[number];

const PARSERS: Record<Exclude<QuestionFormat, 'auto'>, (text: string) => ParseResult> = { aiken: parseAiken };

function detect(text: string): Exclude<QuestionFormat, 'auto'> | null {
  if (/^ANSWER:\s*\S/m.test(text)) return 'aiken';
  return null;
}

export function presentQuestion(row: typeof questions.$inferSelect) {
  return {
    id: row.id, type: row.type, stem: row.stem, options: row.options, points: row.points / 1000, generalFeedback: row.generalFeedback,
    cognitiveLevel: row.cognitiveLevel, topic: row.topic, tags: row.tags, source: row.source,
  };
}

/** Question banks: structured questions of a `question-bank` material's working version. */
export class QuestionService {
  constructor(private readonly db: Db, private readonly materials: MaterialService, private readonly audit: AuditRepository) {}

  /**
   * Parses a file and stores its questions in one transaction: all or nothing by default,
   * or the valid ones with `partial`. `dryRun` stores nothing and returns the preview.
   */
  async import(principal: Principal | null, materialId: string, file: { name: string; bytes: Buffer }, options: { format: QuestionFormat; dryRun: boolean; partial: boolean }) {
    const { actor, material, version } = await this.materials.editable(principal, materialId, 'nhập câu hỏi');
    if (material.type !== 'question-bank') throw new AppError('NOT_A_QUESTION_BANK');
    const { text } = decodeText(file.bytes);
    const format = options.format === 'auto' ? detect(text) : options.format;
    if (!format) throw new AppError('UNSUPPORTED_QUESTION_FORMAT', { formats: Object.keys(PARSERS).join(', ') });
    const parsed = PARSERS[format](text);
    const rejected = parsed.errors.length > 0 && !options.partial;
    const toStore = rejected ? [] : parsed.questions;
    const summary = { format, imported: options.dryRun ? 0 : toStore.length, skipped: parsed.errors.length, errors: parsed.errors };
    if (options.dryRun) return { ...summary, questions: parsed.questions.map(({ item: _item, ...q }) => ({ ...q, points: q.points / 1000 })) };
    if (rejected) throw new AppError('QUESTION_IMPORT_FAILED', { count: parsed.errors.length }, summary);
    await this.db.transaction(async (tx) => {
      const [last] = await tx.db.select({ position: questions.position }).from(questions).where(eq(questions.versionId, version.id)).orderBy(desc(questions.position)).limit(1);
      const start = (last?.position ?? 0) + 1;
      if (toStore.length) {
        await tx.db.insert(questions).values(toStore.map((q, i) => ({
          versionId: version.id, position: start + i, type: q.type, stem: q.stem, options: q.options, points: q.points,
          generalFeedback: q.generalFeedback ?? null, cognitiveLevel: q.cognitiveLevel ?? null, topic: q.topic ?? null, tags: q.tags ?? [],
          source: { ...q.source, file: file.name },
        })));
      }
      await this.audit.record({ actorId: actor.id, action: 'questions_imported', materialId, version: version.version, data: { format, file: file.name, imported: toStore.length, skipped: parsed.errors.length } }, tx.db);
    });
    return summary;
  }

  async list(principal: Principal | null, materialId: string) {
    const shown = await this.materials.get(principal, materialId);
    const versionId = await this.materials.versionId(materialId, shown.version);
    const rows = await this.db.db.select().from(questions).where(eq(questions.versionId, versionId)).orderBy(asc(questions.position));
    return { items: rows.map(presentQuestion) };
  }
}

import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../core/db/client.js';
import type { QuestionAssetRef } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import { stripDiacritics, toNFC } from '../core/text.js';
import type { MaterialService } from '../materials/material.service.js';
import { detectFormat, EXPORTERS, IMPORTERS, type ExportFormat, type ImportFormat } from './formats/index.js';
import { extractDataUriImages, htmlToText, sanitizeQuestionHtml } from './html.js';
import { ASSET_PREFIX, type ImportIssue, type ParsedQuestion, type ParseResult, type Question, type QuestionAsset, type QuestionOption } from './model.js';
import type { QuestionAssetStore } from './question-asset.store.js';
import type { NewQuestionRow, QuestionFilter, QuestionRepository, QuestionRow } from './question.repository.js';
import { validateQuestion } from './validate.js';

// What a question may embed: pictures and short sounds (Moodle listening items), each bounded.
const ASSET_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'audio/mpeg', 'audio/mp4', 'audio/ogg', 'audio/wav']);
const MAX_ASSET_BYTES = 10 * 1024 * 1024;
// Option texts that are HTML; in short_answer and numerical they are plain answers.
const HTML_OPTION_TYPES = new Set(['multiple_choice', 'multiple_response', 'true_false', 'true_false_group', 'matching']);

export type ImportMode = { format: ImportFormat | 'auto'; dryRun: boolean; partial: boolean };

/** A parsed question made ready to store: sanitised, NFC, checked, assets identified. */
interface PreparedQuestion {
  item: number;
  question: ParsedQuestion;
  assets: Array<QuestionAsset & { mime: string; sha256: string }>;
}

export const foldForSearch = (text: string) => stripDiacritics(text.normalize('NFC')).toLowerCase().replace(/\s+/g, ' ').trim();

function searchTextOf(question: Question): string {
  const parts = [question.name ?? '', htmlToText(question.stem), ...question.options.map((o) => `${htmlToText(o.text)} ${o.match ?? ''}`)];
  return foldForSearch(parts.join(' '));
}

/** Question HTML as served: asset references become URLs of the asset route. */
export function assetUrls(html: string, questionId: string): string {
  return html.replaceAll(ASSET_PREFIX, `/api/v1/questions/${questionId}/assets/`);
}

export function presentQuestion(row: QuestionRow) {
  const html = (text: string) => assetUrls(text, row.id);
  return {
    id: row.id, position: row.position, type: row.type, name: row.name, stem: html(row.stem),
    options: row.options.map((o) => ({ ...o, text: html(o.text), ...(o.feedback ? { feedback: html(o.feedback) } : {}) })),
    ...(row.parts ? { parts: row.parts } : {}), ...(row.scoring ? { scoring: row.scoring } : {}),
    points: row.points / 1000, generalFeedback: row.generalFeedback && html(row.generalFeedback),
    shuffle: row.shuffle, caseSensitive: row.caseSensitive, cognitiveLevel: row.cognitiveLevel, topic: row.topic, tags: row.tags,
    assets: row.assets.map((a) => ({ name: a.name, mime: a.mime, size: a.size, url: `/api/v1/questions/${row.id}/assets/${encodeURIComponent(a.name)}` })),
    source: row.source,
  };
}

/** A stored row back in the format-neutral model (assets without bytes yet). */
export function rowToQuestion(row: QuestionRow): Question {
  return {
    type: row.type, ...(row.name ? { name: row.name } : {}), stem: row.stem, options: row.options, ...(row.parts ? { parts: row.parts } : {}),
    ...(row.scoring ? { scoring: row.scoring } : {}), points: row.points / 1000,
    ...(row.generalFeedback ? { generalFeedback: row.generalFeedback } : {}), ...(row.shuffle !== null ? { shuffle: row.shuffle } : {}),
    ...(row.caseSensitive !== null ? { caseSensitive: row.caseSensitive } : {}), ...(row.cognitiveLevel ? { cognitiveLevel: row.cognitiveLevel } : {}),
    ...(row.topic ? { topic: row.topic } : {}), tags: row.tags, ...(row.source.itemId ? { idNumber: row.source.itemId } : {}),
  };
}

/** Question banks: structured questions of `question-bank` materials, versioned with them. */
export class QuestionService {
  constructor(
    private readonly db: Db,
    private readonly repository: QuestionRepository,
    private readonly assets: QuestionAssetStore,
    private readonly materials: MaterialService,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Parses a file and stores its questions in one transaction: all or nothing by default, or the
   * valid ones with `partial`. `dryRun` stores nothing and returns the preview.
   */
  async import(principal: Principal | null, materialId: string, file: { name: string; bytes: Buffer }, mode: ImportMode) {
    const { actor, material, version } = await this.materials.editable(principal, materialId, 'nhập câu hỏi');
    if (material.type !== 'question-bank') throw new AppError('NOT_A_QUESTION_BANK');
    const format = mode.format === 'auto' ? await detectFormat(file.bytes) : mode.format;
    if (!format) throw new AppError('UNSUPPORTED_QUESTION_FORMAT', { formats: Object.keys(IMPORTERS).join(', ') });

    let parsed: ParseResult;
    try {
      parsed = await IMPORTERS[format]({ bytes: file.bytes, fileName: file.name });
    } catch (error) {
      if (error instanceof AppError) throw error;
      // A parser that trips over input it did not foresee must not turn into a 500.
      throw new AppError('QUESTION_FILE_MALFORMED', { reason: `không đọc được tệp ${format} (${(error as Error).message})` });
    }
    const errors: ImportIssue[] = [...parsed.errors];
    const prepared: PreparedQuestion[] = [];
    // A picture shared by many questions (a logo, a common diagram) is sniffed once.
    const mimeBySha = new Map<string, string | undefined>();
    for (const candidate of parsed.questions) {
      const ready = await this.prepare(candidate, mimeBySha);
      if ('code' in ready) errors.push(ready);
      else prepared.push(ready);
    }
    errors.sort((a, b) => a.item - b.item);

    const rejected = errors.length > 0 && !mode.partial;
    const summary = { format, imported: mode.dryRun || rejected ? 0 : prepared.length, skipped: errors.length, errors, warnings: parsed.warnings ?? [] };
    if (mode.dryRun) {
      return { ...summary, questions: prepared.map(({ question: { assets, ...rest } }) => ({ ...rest, assets: assets?.map((a) => ({ name: a.name, size: a.bytes.length })) ?? [] })) };
    }
    if (rejected) throw new AppError('QUESTION_IMPORT_FAILED', { count: errors.length }, summary);

    // Bytes first (content-addressed, harmless if the transaction then fails), rows in one transaction.
    await this.assets.putMany(prepared.flatMap(({ assets }) => assets));
    const stored = prepared.map(({ assets }) => assets.map((a): QuestionAssetRef => ({ name: a.name, mime: a.mime, size: a.bytes.length, sha256: a.sha256 })));
    await this.db.transaction(async (tx) => {
      const start = await this.repository.nextPosition(version.id, tx.db);
      await this.assets.register(stored.flat(), tx.db);
      await this.repository.insert(prepared.map(({ question: q }, i): NewQuestionRow => ({
        versionId: version.id, position: start + i, type: q.type, name: q.name ?? null, stem: q.stem, options: q.options, parts: q.parts ?? null,
        scoring: q.scoring ?? null, points: Math.round(q.points * 1000), generalFeedback: q.generalFeedback ?? null, shuffle: q.shuffle ?? null,
        caseSensitive: q.caseSensitive ?? null, cognitiveLevel: q.cognitiveLevel ?? null, topic: q.topic ?? null, tags: q.tags ?? [],
        assets: stored[i]!, searchText: searchTextOf(q), source: { ...q.source, file: file.name },
      })), tx.db);
      await this.audit.record({ actorId: actor.id, action: 'questions_imported', materialId, version: version.version, data: { format, file: file.name, imported: prepared.length, skipped: errors.length } }, tx.db);
    });
    return summary;
  }

  /** Sanitises, normalises and checks one parsed question; an issue when it cannot be stored. */
  private async prepare(candidate: ParsedQuestion & { item: number }, mimeBySha: Map<string, string | undefined>): Promise<PreparedQuestion | ImportIssue> {
    const { item, ...raw } = candidate;
    const where = `Câu ${item}${raw.source.line ? ` (dòng ${raw.source.line})` : ''}`;
    const issue = (code: string, message: string): ImportIssue => ({ item, ...(raw.source.line ? { line: raw.source.line } : {}), ...(raw.source.itemId ? { itemId: raw.source.itemId } : {}), code, message: `${where}: ${message}` });
    const assets: QuestionAsset[] = [...(raw.assets ?? [])];
    const html = (text: string) => sanitizeQuestionHtml(extractDataUriImages(text, assets));
    const option = (o: QuestionOption, isHtml: boolean): QuestionOption => ({
      ...o, text: isHtml ? html(o.text) : o.text.normalize('NFC'), ...(o.feedback ? { feedback: html(o.feedback) } : {}),
    });
    const question: ParsedQuestion = toNFC({
      ...raw, stem: html(raw.stem),
      options: raw.options.map((o) => option(o, HTML_OPTION_TYPES.has(raw.type))),
      ...(raw.parts ? { parts: raw.parts.map((p) => ({ ...p, options: p.options.map((o) => option(o, false)) })) } : {}),
      ...(raw.generalFeedback ? { generalFeedback: html(raw.generalFeedback) } : {}),
    });
    const problem = validateQuestion(question);
    if (problem) return issue(problem.code, problem.message);

    const typed: PreparedQuestion['assets'] = [];
    for (const asset of assets) {
      const sha256 = createHash('sha256').update(asset.bytes).digest('hex');
      if (!mimeBySha.has(sha256)) mimeBySha.set(sha256, (await fileTypeFromBuffer(asset.bytes))?.mime);
      const mime = mimeBySha.get(sha256);
      if (!mime || !ASSET_TYPES.has(mime)) return issue('QUESTION_ASSET_TYPE', `tệp nhúng "${asset.name}" không phải ảnh hoặc âm thanh được hỗ trợ${mime ? ` (${mime})` : ''}.`);
      if (asset.bytes.length > MAX_ASSET_BYTES) return issue('QUESTION_ASSET_TOO_LARGE', `tệp nhúng "${asset.name}" lớn hơn ${MAX_ASSET_BYTES / 1024 / 1024} MiB.`);
      typed.push({ ...asset, mime, sha256 });
    }
    return { item, question: { ...question, assets: typed }, assets: typed };
  }

  /** The version of a bank the caller can see: its counts are anyone's who can see the bank. */
  private async visibleVersion(principal: Principal | null, materialId: string) {
    const { material, version } = await this.materials.readable(principal, materialId);
    if (material.type !== 'question-bank') throw new AppError('NOT_A_QUESTION_BANK');
    return version;
  }

  /** The version of a bank the caller may read questions of; the public gets counts only (`summary`). */
  private async readableVersion(principal: Principal | null, materialId: string) {
    const version = await this.visibleVersion(principal, materialId);
    // Answers and keys are not for the public: anonymous callers learn only that the bank exists.
    if (!principal) throw new AppError('UNAUTHENTICATED');
    return version;
  }

  async list(principal: Principal | null, materialId: string, filter: Omit<QuestionFilter, 'text'> & { q?: string }, page: { limit: number; offset: number }) {
    const { id: versionId } = await this.readableVersion(principal, materialId);
    const { rows, total } = await this.repository.list(versionId, { ...filter, text: filter.q ? foldForSearch(filter.q) : undefined }, page);
    return { total, items: rows.map(presentQuestion) };
  }

  /** What anyone may know of a bank they can see: how many questions, of which types, levels and topics. */
  async summary(principal: Principal | null, materialId: string) {
    const shown = await this.visibleVersion(principal, materialId);
    const rows = await this.repository.summary(shown.id);
    const tally = (key: (r: (typeof rows)[number]) => string | null) => {
      const counts: Record<string, number> = {};
      for (const row of rows) { const k = key(row) ?? 'khac'; counts[k] = (counts[k] ?? 0) + row.n; }
      return counts;
    };
    return { materialId, version: shown.version, total: rows.reduce((sum, r) => sum + r.n, 0), byType: tally((r) => r.type), byCognitiveLevel: tally((r) => r.level), byTopic: tally((r) => r.topic) };
  }

  /** Rows → model questions with their asset bytes, ready for an exporter. */
  async withAssets(rows: QuestionRow[]): Promise<Question[]> {
    const bytes = await this.assets.readMany(rows.flatMap((r) => r.assets.map((a) => a.sha256)));
    return rows.map((row) => ({ ...rowToQuestion(row), assets: row.assets.map((a) => ({ name: a.name, mime: a.mime, bytes: bytes.get(a.sha256)! })) }));
  }

  async export(principal: Principal | null, materialId: string, format: ExportFormat) {
    const version = await this.readableVersion(principal, materialId);
    const result = await EXPORTERS[format](await this.withAssets(await this.repository.all(version.id)), { title: version.title });
    return { ...result, title: version.title };
  }

  async asset(principal: Principal | null, questionId: string, name: string) {
    const row = await this.repository.find(questionId);
    const asset = row?.assets.find((a) => a.name === name);
    if (!row || !asset) throw AppError.notFound('file');
    const readable = await this.readableVersion(principal, row.materialId);
    // Only images of the version the caller may read: not those of an unpublished draft.
    if (readable.id !== row.versionId) throw AppError.notFound('file');
    return asset;
  }
}

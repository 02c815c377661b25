import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { GeneratedVariant } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import type { MaterialService } from '../materials/material.service.js';
import { COGNITIVE_LEVEL_NAMES, QUESTION_TYPE_NAMES } from '../questions/formats/conventions.js';
import { EXPORTERS, type ExportFormat } from '../questions/formats/index.js';
import { exportExamDocxWithReport } from '../questions/formats/docx/index.js';
import { THPT_2025_TRUE_FALSE_SCORING, type CognitiveLevel, type ExamPaper, type Question, type QuestionType } from '../questions/model.js';
import type { QuestionRepository, QuestionRow } from '../questions/question.repository.js';
import { presentQuestion, type QuestionService } from '../questions/question.service.js';
import { drawVariants, seededRandom, shuffled } from './draw.js';
import type { ExamRepository, GeneratedTestRow } from './exam.repository.js';
import { partOfType, THPT_2025_PARTS } from './thpt-2025.js';

export interface MatrixCell {
  topic?: string;
  cognitiveLevel?: CognitiveLevel;
  type?: QuestionType;
  count: number;
  points?: number;
}

export interface GenerateSpec {
  title: string;
  banks: string[];
  matrix: MatrixCell[];
  variants: number;
  seed?: string;
  shuffleOptions: boolean;
  format?: 'thpt-2025';
  header?: ExamPaper['header'];
}

const SHUFFLED_TYPES = new Set<QuestionType>(['multiple_choice', 'multiple_response']);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function describeCell(cell: MatrixCell): string {
  const parts = [cell.topic && `chủ đề "${cell.topic}"`, cell.cognitiveLevel && `mức độ ${COGNITIVE_LEVEL_NAMES[cell.cognitiveLevel]}`, cell.type && `loại ${QUESTION_TYPE_NAMES[cell.type]}`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'mọi câu hỏi';
}

type DrawnEntry = GeneratedVariant['sections'][number]['questions'][number];

/** A bank question as it appears in a test: the test's points, the drawn option order, the 2025 Part II scoring. */
function asDrawn<Q extends Pick<Question, 'type' | 'options' | 'points' | 'scoring'>>(question: Q, entry: DrawnEntry, thpt: boolean): Q {
  const byId = new Map(question.options.map((o) => [o.id, o]));
  return {
    ...question, points: entry.points,
    options: entry.optionOrder ? entry.optionOrder.map((optionId) => byId.get(optionId)!).filter(Boolean) : question.options,
    ...(thpt && question.type === 'true_false_group' ? { scoring: question.scoring ?? THPT_2025_TRUE_FALSE_SCORING } : {}),
  };
}

/** Tests drawn from question banks by a specification matrix ("ma trận đề"), kept so they can be exported later. */
export class ExamService {
  constructor(
    private readonly exams: ExamRepository,
    private readonly questionRows: QuestionRepository,
    private readonly questions: QuestionService,
    private readonly materials: MaterialService,
  ) {}

  async generate(principal: Principal | null, spec: GenerateSpec) {
    if (!principal) throw new AppError('UNAUTHENTICATED');
    const banks = await Promise.all(spec.banks.map((id) => this.materials.readable(principal, id)));
    if (banks.some((b) => b.material.type !== 'question-bank')) throw new AppError('NOT_A_QUESTION_BANK');
    const versionIds = banks.map((b) => b.version.id);
    const thpt = spec.format === 'thpt-2025';
    if (thpt) {
      const misplaced = spec.matrix.findIndex((cell) => !cell.type || !partOfType(cell.type));
      if (misplaced >= 0) throw new AppError('MATRIX_CELL_INVALID', { cell: misplaced + 1 });
    }

    const candidates = await Promise.all(spec.matrix.map((cell) =>
      this.questionRows.matchingIds(versionIds, { type: cell.type, cognitiveLevel: cell.cognitiveLevel, topic: cell.topic?.normalize('NFC') })));
    const seed = spec.seed ?? randomBytes(6).toString('hex');
    const drawn = drawVariants(spec.matrix.map((cell, i) => ({ candidates: candidates[i]!, count: cell.count })), spec.variants, seed);
    if (!drawn.ok) {
      const cell = spec.matrix[drawn.cell]!;
      throw new AppError('MATRIX_CELL_UNFILLABLE', { cell: drawn.cell + 1, description: describeCell(cell), requested: cell.count, available: drawn.available },
        { cell: drawn.cell + 1, requested: cell.count, available: drawn.available });
    }

    const rows = new Map((await this.questionRows.byIds([...new Set(drawn.variants.flat(2))])).map((r) => [r.id, r]));
    const subject = banks[0]!.version.subject;
    const variants: GeneratedVariant[] = drawn.variants.map((cells, v) => {
      const random = seededRandom(`${seed}/options/${v}`);
      const entry = (id: string, cell: MatrixCell) => {
        const row = rows.get(id)!;
        const points = thpt ? partOfType(row.type)!.points(subject) : cell.points ?? row.points / 1000;
        const optionOrder = spec.shuffleOptions && SHUFFLED_TYPES.has(row.type) ? shuffled(row.options.map((o) => o.id), random) : undefined;
        return { questionId: id, points, ...(optionOrder ? { optionOrder } : {}) };
      };
      const picked = cells.flatMap((ids, c) => ids.map((id) => entry(id, spec.matrix[c]!)));
      const sections = thpt
        ? THPT_2025_PARTS.map((part) => {
            const questions = picked.filter((q) => part.types.includes(rows.get(q.questionId)!.type));
            return { title: part.title, instructions: part.instructions(questions.length), questions };
          }).filter((s) => s.questions.length > 0)
        : [{ title: spec.title, questions: picked }];
      return { code: String(101 + v), sections };
    });
    const row = await this.exams.insert({ ownerId: principal.id, title: spec.title, spec: { ...spec, seed }, variants });
    return this.present(row, rows);
  }

  async get(principal: Principal | null, id: string) {
    const row = await this.owned(principal, id);
    return this.present(row, await this.rowsOf(row.variants));
  }

  async export(principal: Principal | null, id: string, format: ExportFormat | 'docx', variantCode?: string) {
    const test = await this.owned(principal, id);
    const variant = variantCode ? test.variants.find((v) => v.code === variantCode) : test.variants[0];
    if (!variant) throw AppError.notFound('variant');
    // Only this variant's questions, and only their pictures, are read.
    const rows = await this.rowsOf([variant]);
    const ids = [...rows.keys()];
    const models = new Map((await this.questions.withAssets([...rows.values()])).map((q, i) => [ids[i]!, q]));
    const thpt = test.spec.format === 'thpt-2025';
    const sections = variant.sections.map((section) => ({
      title: section.title, instructions: section.instructions,
      questions: section.questions.map((entry): Question => ({ ...asDrawn(models.get(entry.questionId)!, entry, thpt), ...(entry.optionOrder ? { shuffle: false } : {}) })),
    }));
    const name = `${test.title} - ${variant.code}`;
    if (format === 'docx') {
      const paper: ExamPaper = { title: test.title, header: (test.spec.header as ExamPaper['header'] | undefined) ?? {}, variantCode: variant.code, sections };
      return { ...(await exportExamDocxWithReport(paper)), contentType: DOCX, extension: 'docx', name };
    }
    return { ...(await EXPORTERS[format](sections.flatMap((s) => s.questions), { title: name })), name };
  }

  private async owned(principal: Principal | null, id: string): Promise<GeneratedTestRow> {
    if (!principal) throw new AppError('UNAUTHENTICATED');
    const row = await this.exams.find(id);
    // A test is its author's until it is handed out: nobody else learns that it exists.
    if (!row || row.ownerId !== principal.id) throw AppError.notFound('test');
    return row;
  }

  private async rowsOf(variants: GeneratedVariant[]): Promise<Map<string, QuestionRow>> {
    const ids = [...new Set(variants.flatMap((v) => v.sections.flatMap((s) => s.questions.map((q) => q.questionId))))];
    return new Map((await this.questionRows.byIds(ids)).map((r) => [r.id, r]));
  }

  private present(test: GeneratedTestRow, rows: Map<string, QuestionRow>) {
    const thpt = test.spec.format === 'thpt-2025';
    return {
      id: test.id, title: test.title, seed: test.spec.seed, format: test.spec.format ?? null, createdAt: test.createdAt,
      variants: test.variants.map((variant) => ({
        code: variant.code,
        totalPoints: Math.round(variant.sections.reduce((sum, s) => sum + s.questions.reduce((t, q) => t + q.points, 0), 0) * 1000) / 1000,
        sections: variant.sections.map((section) => ({
          title: section.title, instructions: section.instructions,
          questions: section.questions.map((entry) => asDrawn(presentQuestion(rows.get(entry.questionId)!), entry, thpt)),
        })),
      })),
    };
  }
}

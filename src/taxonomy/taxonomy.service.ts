import { sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { taxonomyTerms } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import seed from './seed.json' with { type: 'json' };

type TermKind = (typeof taxonomyTerms.$inferSelect)['kind'];

interface SeedFile {
  source: string;
  levels: Array<{ code: string; name: string; grades: number[] }>;
  grades: Array<{ code: string; name: string; levels: string[] }>;
  subjects: Array<{ code: string; name: string; grades: number[]; level?: string; aliases: string[] }>;
  series: Array<{ code: string; name: string; grades: number[]; publisher?: string; aliases: string[] }>;
  materialTypes: Array<{ code: string; name: string }>;
  licenses: Array<{ code: string; name: string }>;
  departments: Array<{ code: string; name: string; reviewScope: { levels?: string[]; subjects?: string[] } }>;
  provinces: Array<{ code: string; name: string; adminCode: string }>;
}

export const TAXONOMY_SEED: SeedFile = seed;

interface Term {
  code: string;
  name: string;
  data: Record<string, unknown>;
  retired: boolean;
}

export interface MaterialClassification {
  type: string;
  level: string;
  grades: number[];
  subject: string;
  series?: string | null;
  license: string;
}

const SEED_GROUPS: Array<[TermKind, keyof SeedFile]> = [
  ['level', 'levels'], ['grade', 'grades'], ['subject', 'subjects'], ['series', 'series'], ['material-type', 'materialTypes'], ['license', 'licenses'],
];

/**
 * Levels, grades, subjects, textbook series, material types and licences. They are rows
 * (a decree can retire or add one); the service keeps them in memory for validation.
 */
export class TaxonomyService {
  private terms = new Map<TermKind, Map<string, Term>>();

  constructor(private readonly db: Database) {}

  /** Inserts new seed terms and refreshes names; terms already retired in the database stay retired. */
  async seed(): Promise<void> {
    const rows = SEED_GROUPS.flatMap(([kind, key]) =>
      (TAXONOMY_SEED[key] as Array<{ code: string; name: string }>).map(({ code, name, ...data }, position) => ({ kind, code, name, position, data })));
    await this.db.insert(taxonomyTerms).values(rows).onConflictDoUpdate({
      target: [taxonomyTerms.kind, taxonomyTerms.code],
      set: { name: sql`excluded.name`, position: sql`excluded.position`, data: sql`excluded.data` },
    });
  }

  async load(): Promise<void> {
    const rows = await this.db.select().from(taxonomyTerms).orderBy(taxonomyTerms.kind, taxonomyTerms.position);
    const terms = new Map<TermKind, Map<string, Term>>();
    for (const row of rows) {
      if (!terms.has(row.kind)) terms.set(row.kind, new Map());
      terms.get(row.kind)!.set(row.code, { code: row.code, name: row.name, data: row.data, retired: row.validUntil !== null && row.validUntil < new Date() });
    }
    this.terms = terms;
  }

  /** The current Vietnamese name of a term, or undefined for an unknown code. */
  name(kind: TermKind, code: string): string | undefined {
    return this.terms.get(kind)?.get(code)?.name;
  }

  private list(kind: TermKind) {
    return [...(this.terms.get(kind)?.values() ?? [])].filter((t) => !t.retired).map((t) => ({ code: t.code, name: t.name, ...t.data }));
  }

  document() {
    return {
      levels: this.list('level'),
      grades: this.list('grade').map(({ code, ...rest }) => ({ grade: Number(code), ...rest })),
      subjects: this.list('subject'),
      series: this.list('series'),
      materialTypes: this.list('material-type'),
      licenses: this.list('license'),
    };
  }

  has(kind: TermKind, code: string): boolean {
    const term = this.terms.get(kind)?.get(code);
    return !!term && !term.retired;
  }

  /** Throws a 400 naming the first code that is unknown or a grade that does not fit. */
  validate(input: Partial<MaterialClassification>): void {
    const checks: Array<[TermKind, string, string | null | undefined]> = [
      ['material-type', 'type', input.type], ['level', 'level', input.level], ['subject', 'subject', input.subject],
      ['series', 'series', input.series], ['license', 'license', input.license],
    ];
    for (const [kind, field, code] of checks) {
      if (code != null && !this.has(kind, code)) throw new AppError('UNKNOWN_TAXONOMY_CODE', { field, code }, [{ field, message: `unknown code ${code}` }]);
    }
    if (!input.level || !input.subject || !input.grades) return;
    const level = this.terms.get('level')!.get(input.level)!;
    const subject = this.terms.get('subject')!.get(input.subject)!;
    const levelGrades = level.data.grades as number[];
    const subjectGrades = subject.data.grades as number[];
    const subjectLevel = subject.data.level as string | undefined;
    if (subjectLevel && subjectLevel !== input.level) {
      throw new AppError('UNKNOWN_TAXONOMY_CODE', { field: 'subject', code: input.subject }, [{ field: 'subject', message: `subject belongs to level ${subjectLevel}` }]);
    }
    for (const grade of input.grades) {
      if (!levelGrades.includes(grade)) throw new AppError('GRADE_OUTSIDE_LEVEL', { grade, level: input.level }, [{ field: 'grades', message: `grade ${grade} not in level` }]);
      if (!subjectGrades.includes(grade)) throw new AppError('GRADE_OUTSIDE_SUBJECT', { grade, subject: input.subject }, [{ field: 'grades', message: `grade ${grade} not in subject` }]);
    }
  }
}

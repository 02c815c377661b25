import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { packageAttempts, packageProcessing, type PackageKind } from '../core/db/schema.js';

export type PackageRow = typeof packageProcessing.$inferSelect;
export type AttemptRow = typeof packageAttempts.$inferSelect;
export type AttemptValues = Pick<AttemptRow, 'scormVersion' | 'completionStatus' | 'successStatus' | 'scoreRaw' | 'scoreScaled' | 'location' | 'suspendData' | 'totalSeconds'>;

export class PackageRepository {
  constructor(private readonly db: Database) {}

  /** Marks content for checking and unpacking; true when a job must be enqueued (new, or failed before). */
  async queue(sha256: string, db: Database): Promise<boolean> {
    const result = await db.execute(sql`
      INSERT INTO package_processing (sha256) VALUES (${sha256})
      ON CONFLICT (sha256) DO UPDATE SET state = 'queued', error = NULL, updated_at = now()
        WHERE package_processing.state = 'failed'
      RETURNING sha256`);
    return (result.rowCount ?? 0) > 0;
  }

  async get(sha256: string, db: Database = this.db, options: { forUpdate?: boolean } = {}): Promise<PackageRow | null> {
    const query = db.select().from(packageProcessing).where(eq(packageProcessing.sha256, sha256));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row ?? null;
  }

  async start(sha256: string): Promise<void> {
    await this.db.update(packageProcessing).set({ state: 'running', error: null, attempts: sql`${packageProcessing.attempts} + 1`, updatedAt: sql`now()` })
      .where(eq(packageProcessing.sha256, sha256));
  }

  async fail(sha256: string, error: string): Promise<void> {
    await this.db.update(packageProcessing).set({ state: 'failed', error: error.slice(0, 4000), updatedAt: sql`now()` })
      .where(eq(packageProcessing.sha256, sha256));
  }

  async finish(sha256: string, done: { kind: PackageKind; launchPath: string; storagePrefix: string; title: string | null; entries: number; unpackedBytes: number }, db: Database): Promise<void> {
    await db.update(packageProcessing).set({ ...done, state: 'ready', error: null, updatedAt: sql`now()` }).where(eq(packageProcessing.sha256, sha256));
  }

  async attempt(userId: string, sha256: string): Promise<AttemptRow | null> {
    const [row] = await this.db.select().from(packageAttempts).where(and(eq(packageAttempts.userId, userId), eq(packageAttempts.sha256, sha256)));
    return row ?? null;
  }

  /** The learner's attempt as the SCO last committed it; the first commit creates it. */
  async commit(userId: string, sha256: string, values: AttemptValues): Promise<AttemptRow> {
    const [row] = await this.db.insert(packageAttempts).values({ userId, sha256, ...values, commits: 1 })
      .onConflictDoUpdate({
        target: [packageAttempts.userId, packageAttempts.sha256],
        set: { ...values, commits: sql`${packageAttempts.commits} + 1`, updatedAt: sql`now()` },
      }).returning();
    return row!;
  }
}

import { eq } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { generatedTests, type GeneratedVariant } from '../core/db/schema.js';

export type GeneratedTestRow = typeof generatedTests.$inferSelect;

export class ExamRepository {
  constructor(private readonly db: Database) {}

  async insert(values: { ownerId: string; title: string; spec: Record<string, unknown>; variants: GeneratedVariant[] }): Promise<GeneratedTestRow> {
    const [row] = await this.db.insert(generatedTests).values(values).returning();
    return row!;
  }

  async find(id: string): Promise<GeneratedTestRow | undefined> {
    const [row] = await this.db.select().from(generatedTests).where(eq(generatedTests.id, id));
    return row;
  }
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Db } from './client.js';

/** migrations/ at the project root, whether this module runs from src/ (tests) or dist/src/ (npm start). */
function migrationsFolder(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'migrations', 'meta', '_journal.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('migrations/ not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return path.join(dir, 'migrations');
}
// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK = 7_310_042;

/** Applies pending migrations; an advisory lock lets an API and a worker start at the same time. */
export async function runMigrations(db: Db): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder: migrationsFolder() });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

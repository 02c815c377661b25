import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

/** The account a process runs as: Postgres refuses to run as root, so as root it runs as `postgres`. */
export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

const POSTGRES = 'postgres';

/**
 * As root, the `postgres` system user the embedded database runs as, created (a system account
 * without a home or a shell) if the machine has none; otherwise null: Postgres runs as we do.
 */
export function postgresSystemUser(): SystemUser | null {
  if (process.getuid?.() !== 0) return null;
  const existing = idsOf(POSTGRES);
  if (existing) return existing;
  if (!groupExists(POSTGRES)) execFileSync('groupadd', ['--system', POSTGRES], { stdio: 'ignore' });
  execFileSync('useradd', ['--system', '--gid', POSTGRES, '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', POSTGRES], { stdio: 'ignore' });
  const created = idsOf(POSTGRES);
  if (!created) throw new Error(`could not create the ${POSTGRES} system user`);
  return created;
}

function idsOf(name: string): SystemUser | null {
  const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function groupExists(name: string): boolean {
  return spawnSync('getent', ['group', name], { stdio: 'ignore' }).status === 0;
}

/**
 * Whether `user` can enter a directory (`enter`: it and every folder above it searchable),
 * also create files in it (`write`), or run a program (`execute`). Asked of a shell started as
 * that user, the way Postgres itself is started, so it answers for ACLs, groups and mounts alike.
 */
export function userCan(user: SystemUser, target: string, access: 'enter' | 'write' | 'execute'): boolean {
  const test = { enter: 'test -d "$1" && test -x "$1"', write: 'test -d "$1" && test -x "$1" && test -w "$1"', execute: 'test -f "$1" && test -x "$1"' }[access];
  return spawnSync('/bin/sh', ['-c', test, 'sh', target], { uid: user.uid, gid: user.gid, stdio: 'ignore', cwd: '/' }).status === 0;
}

/** The deepest folder of `target` (itself or an ancestor) that exists: where a check can start before it is created. */
export async function nearestExisting(target: string): Promise<string> {
  let candidate = path.resolve(target);
  while (!(await fs.stat(candidate).then(() => true, () => false))) candidate = path.dirname(candidate);
  return candidate;
}

/** A folder made by root for other users to read: created if missing, mode 0755 whatever the umask. */
export async function sharedFolder(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.chmod(dir, 0o755);
}

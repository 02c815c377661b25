import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config.js';
import { nearestExisting, sharedFolder, userCan, type SystemUser } from './system-user.js';

/** Where the embedded database goes when its system user cannot reach DATA_DIR, and its binaries when it cannot reach the project. */
export const SHARED_DIR = '/var/lib/hoclieu';

export interface EmbeddedLocation {
  dir: string;
  /** Why the cluster is not in DATA_DIR, for the start-up log; null when it is. */
  moved: string | null;
}

/**
 * Where the embedded cluster can live. As root, Postgres runs as its own system user, which must
 * be able to enter the folder above the cluster: a project in /root, or a DATA_DIR from
 * `mktemp -d` (0700), is out of its reach. The default DATA_DIR then gives way to a folder under
 * `shared` (/var/lib/hoclieu/pg); a DATA_DIR the operator chose is a configuration error, told
 * in one line with its fix.
 */
export async function embeddedLocation(options: { dir: string; dataDirSet: boolean; user: SystemUser | null; shared?: string }): Promise<EmbeddedLocation> {
  const { dir, user } = options;
  if (!user) return { dir, moved: null };
  const parent = path.dirname(dir);
  // Made now (as root, 0755 with the usual umask) so the check sees the folders Postgres will walk.
  await fs.mkdir(parent, { recursive: true }).catch(() => undefined);
  const existing = await nearestExisting(parent);
  if (existing === parent && userCan(user, parent, 'enter')) return { dir, moved: null };
  const blocking = await firstClosedFolder(user, existing);
  const stat = await fs.stat(blocking);
  const why = `the ${user.name} system user the embedded PostgreSQL runs as cannot enter ${blocking} (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}, owner uid ${stat.uid})`;
  if (options.dataDirSet) {
    throw new ConfigError(`DATA_DIR=${parent}: ${why}; let it in (chmod o+x ${blocking}), choose a DATA_DIR it can reach, or set DATABASE_URL`);
  }
  const shared = options.shared ?? SHARED_DIR;
  await sharedFolder(shared);
  return { dir: path.join(shared, 'pg'), moved: `${why}, which holds ${parent}` };
}

/** The first folder from the root down to `target` that `user` cannot enter. */
async function firstClosedFolder(user: SystemUser, target: string): Promise<string> {
  const parts = target.split(path.sep).filter(Boolean);
  for (let depth = 1; depth <= parts.length; depth++) {
    const folder = path.join(path.sep, ...parts.slice(0, depth));
    if (!userCan(user, folder, 'enter')) return folder;
  }
  return target;
}

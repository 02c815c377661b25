import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/config.js';
import { embeddedLocation } from '../../src/core/db/embedded-location.js';
import { postgresSystemUser, userCan, type SystemUser } from '../../src/core/db/system-user.js';

// As root (CI, containers) Postgres runs as the `postgres` system user: a root-owned 0700 folder
// (like /root or a `mktemp -d` one) is closed to it. Run as another user, Postgres runs as that
// user, and a folder of its own with mode 0000 is the closed one.
const asRoot = process.getuid!() === 0;
const user: SystemUser = postgresSystemUser() ?? { name: os.userInfo().username, uid: process.getuid!(), gid: process.getgid!() };
const CLOSED_MODE = asRoot ? 0o700 : 0o000;
const SHOWN_MODE = asRoot ? '0700' : '0000';

let root: string;
let open: string;
let closed: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-location-'));
  await fs.chmod(root, 0o755);
  open = path.join(root, 'open');
  closed = path.join(root, 'closed');
  await fs.mkdir(open, { mode: 0o755 });
  await fs.mkdir(path.join(closed, 'project'), { recursive: true });
  await fs.writeFile(path.join(closed, 'project', 'initdb'), '#!/bin/sh\n', { mode: 0o755 });
  await fs.chmod(closed, CLOSED_MODE);
});
afterAll(async () => {
  await fs.chmod(closed, 0o700);
  await fs.rm(root, { recursive: true, force: true });
});

describe('what the database user can reach', () => {
  it('is asked of a shell running as that user: a closed folder and everything under it are out of reach', () => {
    expect(userCan(user, open, 'enter')).toBe(true);
    expect(userCan(user, open, 'write')).toBe(asRoot ? false : true);
    expect(userCan(user, closed, 'enter')).toBe(false);
    expect(userCan(user, path.join(closed, 'project'), 'enter')).toBe(false);
    expect(userCan(user, path.join(closed, 'project', 'initdb'), 'execute')).toBe(false);
    expect(userCan(user, '/bin/sh', 'execute')).toBe(true);
  });
});

describe('where the embedded cluster goes', () => {
  it('stays in DATA_DIR when its user can enter it, and always when Postgres runs as this process', async () => {
    expect(await embeddedLocation({ dir: path.join(open, 'var', 'pg'), dataDirSet: true, user })).toEqual({ dir: path.join(open, 'var', 'pg'), moved: null });
    expect(await embeddedLocation({ dir: path.join(open, 'other', 'pg'), dataDirSet: false, user: null })).toEqual({ dir: path.join(open, 'other', 'pg'), moved: null });
  });

  it('moves out of an unreachable default DATA_DIR into a folder under the shared one, saying why', async () => {
    const shared = path.join(root, 'var-lib-hoclieu');
    const location = await embeddedLocation({ dir: path.join(closed, 'project', 'var', 'pg'), dataDirSet: false, user, shared });
    expect(location.dir).toBe(path.join(shared, 'pg'));
    expect(location.moved).toContain(`cannot enter ${closed} (mode ${SHOWN_MODE}`);
    expect((await fs.stat(shared)).mode & 0o777).toBe(0o755);
    expect(userCan(user, shared, 'enter')).toBe(true);
  });

  it('refuses a chosen DATA_DIR it cannot reach in one line that names the folder and the fix', async () => {
    const dataDir = path.join(closed, 'project', 'data');
    const refusal = await embeddedLocation({ dir: path.join(dataDir, 'pg'), dataDirSet: true, user }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConfigError);
    const message = (refusal as ConfigError).message;
    expect(message).not.toContain('\n');
    expect(message).toBe(`DATA_DIR=${dataDir}: the ${user.name} system user the embedded PostgreSQL runs as cannot enter ${closed} `
      + `(mode ${SHOWN_MODE}, owner uid ${process.getuid!()}); let it in (chmod o+x ${closed}), choose a DATA_DIR it can reach, or set DATABASE_URL`);
  });
});

import { spawnSync } from 'node:child_process';

/** Where the job's folder is seen inside the sandbox. */
export const SANDBOX_JOB_DIR = '/job';

/**
 * bubblewrap arguments that run a command with no network (its own, empty network namespace),
 * no view of other processes, no capabilities, as nobody, seeing the system's programs, libraries
 * and /etc read-only and nothing of the application (its data folder, its secret key) but the
 * job's folder, the only place it may write. The sandbox dies with its parent.
 */
export function sandboxArgs(jobDir: string, command: string[], env: Record<string, string>, readOnly: string[] = []): string[] {
  return [
    '--unshare-all', '--unshare-user', '--uid', '65534', '--gid', '65534', '--cap-drop', 'ALL', '--die-with-parent', '--new-session',
    '--ro-bind', '/usr', '/usr', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/sbin', '/sbin',
    '--ro-bind', '/etc', '/etc', '--ro-bind-try', '/var/cache/fontconfig', '/var/cache/fontconfig', '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
    ...readOnly.flatMap((dir) => ['--ro-bind', dir, dir]),
    '--bind', jobDir, SANDBOX_JOB_DIR, '--chdir', SANDBOX_JOB_DIR,
    '--clearenv', ...Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value]),
    '--', ...command,
  ];
}

/**
 * Whether bubblewrap runs here with the namespaces above: missing in some images, and refused
 * where unprivileged user namespaces are off or a container's seccomp profile forbids them.
 */
export function sandboxWorks(): boolean {
  const probe = spawnSync('bwrap', sandboxArgs('/tmp', ['true'], {}), { stdio: 'ignore', timeout: 10_000 });
  return probe.status === 0;
}

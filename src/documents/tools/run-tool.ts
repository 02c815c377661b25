import { spawn } from 'node:child_process';

/** Why a document tool did not finish: it refused the input, ran out of time, or out of memory. */
export class ToolError extends Error {
  constructor(message: string, readonly kind: 'failed' | 'timeout' | 'memory', readonly tool: string, readonly stderrTail = '') {
    super(message);
  }
}

export interface ToolLimits {
  timeoutMs: number;
  /** Address space of the process and each of its children (RLIMIT_AS through prlimit). */
  memoryBytes: number;
  /** Largest file the process may write (RLIMIT_FSIZE): a bomb cannot fill the disk. */
  maxFileBytes?: number;
}

const TAIL = 4000;

/**
 * Runs one command in a process group of its own, under prlimit's memory and file-size limits.
 * At the time limit the whole group is killed (LibreOffice's launcher forks soffice.bin; poppler
 * does not, but the same rule holds). The only place in documents/ that spawns a process.
 */
export function runTool(command: string, args: string[], limits: ToolLimits, options: { cwd?: string; env?: NodeJS.ProcessEnv; tool?: string } = {}): Promise<{ stdout: string; stderr: string }> {
  const tool = options.tool ?? command;
  const limited = ['--as=' + limits.memoryBytes, ...(limits.maxFileBytes ? ['--fsize=' + limits.maxFileBytes] : []), '--', command, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('prlimit', limited, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    };
    const timer = setTimeout(() => { timedOut = true; killGroup(); }, limits.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => { stdout = (stdout + chunk.toString()).slice(-20_000_000); });
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-TAIL); });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ToolError(`cannot run ${tool}: ${error.message}`, 'failed', tool));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Whatever the leader did, nothing of the group outlives the call.
      killGroup();
      const tail = stderr.trim();
      if (timedOut) return reject(new ToolError(`${tool} ran past its time limit (${Math.round(limits.timeoutMs / 1000)} s) and was killed`, 'timeout', tool, tail));
      if (code !== 0) {
        const outOfMemory = /std::bad_alloc|out of memory|cannot allocate|Cannot allocate/i.test(tail) || signal === 'SIGSEGV' || signal === 'SIGABRT';
        return reject(new ToolError(`${tool} exited with ${signal ?? `code ${code}`}`, outOfMemory ? 'memory' : 'failed', tool, tail));
      }
      resolve({ stdout, stderr });
    });
  });
}

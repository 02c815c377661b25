import { spawn } from 'node:child_process';

export class FfmpegError extends Error {
  constructor(message: string, readonly stderrTail: string, readonly kind: 'failed' | 'timeout' | 'stalled') {
    super(message);
  }
}

export interface RunOptions {
  /** Kill the process when it has run this long. */
  timeoutMs: number;
  /** Kill the process when it reports no progress for this long (a stuck ffmpeg). */
  stallMs?: number;
  /** Called with seconds of output produced (ffmpeg -progress pipe:1). */
  onProgress?: (seconds: number) => void;
  /** Receives stdout when the command writes data there instead of progress. */
  onStdout?: (chunk: Buffer) => void;
  /** Receives every line of stderr (analysis filters report there), not only the kept tail. */
  onStderrLine?: (line: string) => void;
}

const TAIL = 4000;

/**
 * Runs ffmpeg or ffprobe with an argument list (built by the pure functions beside this file).
 * The only place that spawns them: a remote worker runs exactly this code.
 */
export function runFfmpeg(binary: string, args: string[], options: RunOptions): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    let killedFor: FfmpegError['kind'] | null = null;
    const kill = (reason: FfmpegError['kind']) => {
      killedFor = reason;
      child.kill('SIGKILL');
    };
    const timeout = setTimeout(() => kill('timeout'), options.timeoutMs);
    let stall = options.stallMs ? setTimeout(() => kill('stalled'), options.stallMs) : null;
    let partialLine = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderr = (stderr + text).slice(-TAIL * 4);
      if (options.onStderrLine) {
        const lines = (partialLine + text).split(/\r?\n|\r/);
        partialLine = lines.pop() ?? '';
        for (const line of lines) options.onStderrLine(line);
      }
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.onStdout) return options.onStdout(chunk);
      const text = chunk.toString();
      stdout = (stdout + text).slice(-1_000_000);
      const match = /out_time_(?:us|ms)=(\d+)\s*$/m.exec(text) ?? [...text.matchAll(/out_time_(?:us|ms)=(\d+)/g)].pop();
      if (match && options.onProgress) options.onProgress(Number(match[1]) / 1e6);
      if (stall && options.stallMs) {
        clearTimeout(stall);
        stall = setTimeout(() => kill('stalled'), options.stallMs);
      }
    });
    child.on('error', (error) => {
      clearTimeout(timeout);
      if (stall) clearTimeout(stall);
      reject(new FfmpegError(`cannot run ${binary}: ${error.message}`, '', 'failed'));
    });
    child.on('close', (code) => {
      if (partialLine && options.onStderrLine) options.onStderrLine(partialLine);
      clearTimeout(timeout);
      if (stall) clearTimeout(stall);
      const tail = stderr.slice(-TAIL).trim();
      if (killedFor) return reject(new FfmpegError(`ffmpeg ${killedFor === 'timeout' ? 'ran past its time limit' : 'stopped making progress'} and was killed`, tail, killedFor));
      if (code !== 0) return reject(new FfmpegError(`ffmpeg exited with code ${code}: ${lastLine(tail)}`, tail, 'failed'));
      resolve({ stdout, stderr });
    });
  });
}

function lastLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? '';
}

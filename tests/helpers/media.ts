import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { mediaBinaries } from '../../src/media/ffmpeg/binaries.js';

const run = promisify(execFile);
export const { ffmpeg, ffprobe } = mediaBinaries();

/** Generates a media file with ffmpeg's own test sources (lavfi), for tests. */
export async function generate(name: string, args: string[]): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-gen-'));
  const file = path.join(dir, name);
  await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args, file]);
  const bytes = await fs.readFile(file);
  await fs.rm(dir, { recursive: true, force: true });
  return bytes;
}

export const testVideo = (seconds: number, size = '1280x720', rate = 25) => generate('clip.mp4', [
  '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
  '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-metadata', 'title=secret-title', '-shortest',
]);

export async function probeJson(bytes: Buffer, name = 'x.mp4'): Promise<any> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-probe-'));
  const file = path.join(dir, name);
  await fs.writeFile(file, bytes);
  const { stdout } = await run(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  await fs.rm(dir, { recursive: true, force: true });
  return JSON.parse(stdout);
}

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * ffmpeg and ffprobe: FFMPEG_PATH / FFPROBE_PATH when set (the Docker image uses Debian's),
 * otherwise the static builds shipped inside the @ffmpeg-installer/@ffprobe-installer packages.
 */
export function mediaBinaries(env: NodeJS.ProcessEnv = process.env): { ffmpeg: string; ffprobe: string } {
  return {
    ffmpeg: env.FFMPEG_PATH || (require('@ffmpeg-installer/ffmpeg') as { path: string }).path,
    ffprobe: env.FFPROBE_PATH || (require('@ffprobe-installer/ffprobe') as { path: string }).path,
  };
}

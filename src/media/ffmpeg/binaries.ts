import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * ffmpeg and ffprobe: FFMPEG_PATH / FFPROBE_PATH when set (the Docker image uses Debian's),
 * otherwise the static builds shipped inside the @ffmpeg-installer/@ffprobe-installer packages.
 */
export function mediaBinaries(paths: { ffmpegPath?: string; ffprobePath?: string } = {}): { ffmpeg: string; ffprobe: string } {
  return {
    ffmpeg: paths.ffmpegPath ?? (require('@ffmpeg-installer/ffmpeg') as { path: string }).path,
    ffprobe: paths.ffprobePath ?? (require('@ffprobe-installer/ffprobe') as { path: string }).path,
  };
}

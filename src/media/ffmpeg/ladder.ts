import type { ProbeResult } from './probe.js';

/**
 * Pure builders of ffmpeg argument lists: probe result + settings → args. Unit tests check them
 * without running ffmpeg; runner.ts runs them.
 */

export interface Rung {
  /** Short side of the picture: 1080 for 1920×1080 and for a portrait 1080×1920 alike. */
  shortSide: number;
  maxrateKbps: number;
}

export const LADDER: readonly Rung[] = [
  { shortSide: 1080, maxrateKbps: 5000 },
  { shortSide: 720, maxrateKbps: 2800 },
  { shortSide: 480, maxrateKbps: 1400 },
  { shortSide: 360, maxrateKbps: 800 },
  { shortSide: 240, maxrateKbps: 400 },
];

export const AUDIO_KBPS = 128;
export const SEGMENT_SECONDS = 4;
export const GOP_SECONDS = 2;

/** `slides`: lecture videos, mostly still pictures; `motion`: everything else. */
export type VideoProfile = 'motion' | 'slides';

export interface Variant {
  index: number;
  width: number;
  height: number;
  maxrateKbps: number;
  level: string;
  codecs: string;
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/** Frame rate of the outputs: the source's, rounded, at most 60; 25 when unknown. */
export function outputFps(probe: ProbeResult): number {
  const fps = probe.video?.fps;
  return fps ? Math.min(60, Math.max(1, Math.round(fps))) : 25;
}

/** H.264 level for a picture size and rate, and the RFC 6381 codec string for the playlist. */
function h264Level(width: number, height: number, fps: number): { level: string; idc: number } {
  const macroblocksPerSecond = Math.ceil(width / 16) * Math.ceil(height / 16) * fps;
  const levels: Array<[number, string, number]> = [[40_500, '3.0', 30], [108_000, '3.1', 31], [216_000, '3.2', 32], [245_760, '4.0', 40], [522_240, '4.2', 42], [983_040, '5.1', 51]];
  const [, level, idc] = levels.find(([limit]) => macroblocksPerSecond <= limit) ?? levels[levels.length - 1]!;
  return { level, idc };
}

/** The rungs at or below the source (never upscaled); a tiny source gets one rung of its own size. */
export function chooseVariants(probe: ProbeResult): Variant[] {
  const video = probe.video;
  if (!video) return [];
  const portrait = video.height > video.width;
  const sourceShort = Math.min(video.width, video.height);
  const rungs = LADDER.filter((r) => r.shortSide <= sourceShort);
  const chosen = rungs.length ? rungs : [{ shortSide: even(sourceShort), maxrateKbps: LADDER[LADDER.length - 1]!.maxrateKbps }];
  const fps = outputFps(probe);
  return chosen.map((rung, index) => {
    const long = even((rung.shortSide * Math.max(video.width, video.height)) / sourceShort);
    const width = portrait ? rung.shortSide : long;
    const height = portrait ? long : rung.shortSide;
    const { level, idc } = h264Level(width, height, fps);
    const audio = probe.audio ? ',mp4a.40.2' : '';
    return { index, width, height, maxrateKbps: rung.maxrateKbps, level, codecs: `avc1.6400${idc.toString(16).padStart(2, '0')}${audio}` };
  });
}

/**
 * One ffmpeg run: decode once, split, scale and encode every rung; HLS VOD with fMP4 segments,
 * closed 2-second GOPs aligned across rungs (keyframes forced by time), AAC stereo 48 kHz
 * normalised for the web, no metadata carried over.
 */
export function hlsArgs(options: { input: string; outDir: string; probe: ProbeResult; variants: Variant[]; profile: VideoProfile }): string[] {
  const { input, outDir, probe, variants, profile } = options;
  const fps = outputFps(probe);
  const n = variants.length;
  const scaled = variants.map((v) => `[v${v.index}]scale=${v.width}:${v.height}:flags=bicubic,setsar=1,format=yuv420p[vout${v.index}]`);
  const filters = [`[0:v:0]fps=${fps},split=${n}${variants.map((v) => `[v${v.index}]`).join('')}`, ...scaled];
  if (probe.audio) {
    filters.push(`[0:a:0]loudnorm=I=-16:TP=-1.5:LRA=11,aresample=48000,asplit=${n}${variants.map((v) => `[a${v.index}]`).join('')}`);
  }
  const args = ['-hide_banner', '-nostdin', '-y', '-i', input, '-filter_complex', filters.join(';')];
  for (const v of variants) {
    args.push('-map', `[vout${v.index}]`);
    if (probe.audio) args.push('-map', `[a${v.index}]`);
  }
  // Slides barely change: a higher CRF and x264's still-image tuning cut the bytes per hour.
  const crf = profile === 'slides' ? 28 : 23;
  args.push('-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-crf', String(crf));
  if (profile === 'slides') args.push('-tune', 'stillimage');
  for (const v of variants) {
    const maxrate = profile === 'slides' ? Math.round(v.maxrateKbps * 0.6) : v.maxrateKbps;
    args.push(`-maxrate:v:${v.index}`, `${maxrate}k`, `-bufsize:v:${v.index}`, `${maxrate * 2}k`, `-level:v:${v.index}`, v.level);
  }
  const gop = fps * GOP_SECONDS;
  args.push('-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0', '-flags', '+cgop',
    '-force_key_frames', `expr:gte(t,n_forced*${GOP_SECONDS})`);
  if (probe.audio) args.push('-c:a', 'aac', '-b:a', `${AUDIO_KBPS}k`, '-ac', '2', '-ar', '48000');
  args.push('-map_metadata', '-1', '-map_chapters', '-1',
    '-f', 'hls', '-hls_time', String(SEGMENT_SECONDS), '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4',
    '-hls_flags', 'independent_segments', '-hls_fmp4_init_filename', 'init.mp4',
    '-var_stream_map', variants.map((v) => (probe.audio ? `v:${v.index},a:${v.index}` : `v:${v.index}`)).join(' '),
    '-hls_segment_filename', `${outDir}/v%v/seg_%05d.m4s`,
    '-progress', 'pipe:1', '-nostats', `${outDir}/v%v/index.m3u8`);
  return args;
}

/** The master playlist, written by us so that BANDWIDTH, RESOLUTION and CODECS are always there. */
export function masterPlaylist(variants: Variant[], hasAudio: boolean): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const v of [...variants].sort((a, b) => b.maxrateKbps - a.maxrateKbps)) {
    const bandwidth = (v.maxrateKbps + (hasAudio ? AUDIO_KBPS : 0)) * 1000;
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${bandwidth},RESOLUTION=${v.width}x${v.height},CODECS="${v.codecs}"`, `v${v.index}/index.m3u8`);
  }
  return lines.join('\n') + '\n';
}

/** The download MP4: the 720p (or best lower) rung's segments, remuxed with faststart: no second encode. */
export function downloadMp4Args(playlist: string, output: string): string[] {
  return ['-hide_banner', '-nostdin', '-y', '-i', playlist, '-map', '0', '-c', 'copy', '-map_metadata', '-1', '-movflags', '+faststart', output];
}

export function downloadVariant(variants: Variant[]): Variant | undefined {
  return variants.find((v) => Math.min(v.width, v.height) <= 720);
}

/**
 * A representative frame: from a window after the opening (titles and fades), ffmpeg's thumbnail
 * filter picks the frame closest to the window's average, which is neither black nor a fade.
 */
export function posterFrameArgs(input: string, durationSeconds: number | null, output: string): string[] {
  const start = durationSeconds ? Math.min(durationSeconds * 0.1, 30) : 0;
  return ['-hide_banner', '-nostdin', '-y', '-ss', start.toFixed(2), '-i', input, '-vf', 'thumbnail=100', '-frames:v', '1', '-map_metadata', '-1', output];
}

/** AAC in M4A, loudness normalised, faststart. */
export function audioArgs(input: string, output: string): string[] {
  return ['-hide_banner', '-nostdin', '-y', '-i', input, '-vn', '-map', '0:a:0', '-af', 'loudnorm=I=-16:TP=-1.5:LRA=11,aresample=48000',
    '-c:a', 'aac', '-b:a', `${AUDIO_KBPS}k`, '-ac', '2', '-ar', '48000', '-map_metadata', '-1', '-movflags', '+faststart', '-progress', 'pipe:1', '-nostats', output];
}

export const PEAKS_SAMPLE_RATE = 8000;

/** Mono 16-bit PCM on stdout at a low rate, enough for waveform peaks. */
export function pcmArgs(input: string): string[] {
  return ['-hide_banner', '-nostdin', '-i', input, '-vn', '-map', '0:a:0', '-ac', '1', '-ar', String(PEAKS_SAMPLE_RATE), '-f', 's16le', 'pipe:1'];
}

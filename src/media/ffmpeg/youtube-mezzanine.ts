import type { ProbeResult } from './probe.js';

/**
 * The file uploaded to YouTube: the source itself when it already follows YouTube's recommended
 * upload encoding, else an MP4 "mezzanine" made for it. Pure argument builders, like ladder.ts.
 *
 * YouTube's recommendation (Help Center, "Recommended upload encoding settings"): MP4 with the
 * moov atom at the front and no edit lists; H.264 High profile, progressive, 4:2:0, two
 * consecutive B-frames, closed GOP of half the frame rate, variable bitrate, the frame rate it
 * was recorded at (interlaced video deinterlaced to one frame per field pair: 1080i50 → 1080p25);
 * AAC-LC, stereo or 5.1, 48 or 96 kHz.
 *
 * What our probe tells, and so what is checked: container family, video codec, chroma
 * subsampling (pixel format), scan type (field order), audio codec, channels and sample rate.
 * What it does not tell, and so is not checked: H.264 profile, GOP structure and B-frames, moov
 * position, edit lists, AAC profile (LC or HE). None of those stops YouTube from processing an
 * upload — it re-encodes everything — and re-encoding a good source only to change them would
 * cost a generation of quality for nothing the viewer sees.
 */

/** What keeps a source from being uploaded as it is, in Vietnamese, per part; all empty: upload the source. */
export interface RecommendationGaps {
  container: string[];
  video: string[];
  audio: string[];
}

/** Recommended SDR upload bitrates (kb/s), standard (24–30 fps) and high (48–60 fps) frame rates, by picture size. */
export const YOUTUBE_BITRATES: ReadonlyArray<{ name: string; width: number; height: number; standardKbps: number; highKbps: number }> = [
  { name: '360p', width: 640, height: 360, standardKbps: 1_000, highKbps: 1_500 },
  { name: '480p', width: 854, height: 480, standardKbps: 2_500, highKbps: 4_000 },
  { name: '720p', width: 1280, height: 720, standardKbps: 5_000, highKbps: 7_500 },
  { name: '1080p', width: 1920, height: 1080, standardKbps: 8_000, highKbps: 12_000 },
  { name: '1440p', width: 2560, height: 1440, standardKbps: 16_000, highKbps: 24_000 },
  // YouTube gives 35–45 and 53–68 Mb/s for 4K: the top of the range caps the CRF least.
  { name: '2160p', width: 3840, height: 2160, standardKbps: 45_000, highKbps: 68_000 },
];

export const MEZZANINE_CRF = 18;
export const MEZZANINE_AUDIO = { stereoKbps: 384, surroundKbps: 512, sampleRate: 48_000 } as const;

const FOUR_TWO_ZERO = new Set(['yuv420p', 'yuvj420p']);
const AUDIO_RATES = new Set([48_000, 96_000]);
// Mono is outside "stereo or 5.1" but YouTube lists a bitrate for it: it plays as it is.
const AUDIO_CHANNELS = new Set([1, 2, 6]);

export function youtubeRecommendationGaps(probe: ProbeResult): RecommendationGaps {
  const gaps: RecommendationGaps = { container: [], video: [], audio: [] };
  // ffprobe names MP4 and QuickTime as one family ("mov,mp4,m4a,…"): both are ISO media files
  // YouTube reads, and a mezzanine would only rewrap the same streams.
  if (!probe.formatName.split(',').includes('mp4')) gaps.container.push(`định dạng tệp ${probe.formatName}, YouTube khuyến nghị MP4`);

  const video = probe.video;
  if (!video) {
    gaps.video.push('tệp không có hình');
  } else {
    if (video.codec !== 'h264') gaps.video.push(`mã hoá hình ${video.codec}, YouTube khuyến nghị H.264`);
    if (!video.pixelFormat || !FOUR_TWO_ZERO.has(video.pixelFormat)) gaps.video.push(`định dạng điểm ảnh ${video.pixelFormat ?? 'không rõ'}, YouTube khuyến nghị 4:2:0 (yuv420p)`);
    if (video.fieldOrder !== 'progressive') gaps.video.push(`kiểu quét ${video.fieldOrder ?? 'không rõ'}, YouTube khuyến nghị quét liên tục (progressive)`);
  }

  const audio = probe.audio;
  if (audio) {
    if (audio.codec !== 'aac') gaps.audio.push(`mã hoá tiếng ${audio.codec}, YouTube khuyến nghị AAC-LC`);
    if (!AUDIO_CHANNELS.has(audio.channels)) gaps.audio.push(`${audio.channels} kênh tiếng, YouTube khuyến nghị stereo hoặc 5.1`);
    if (!AUDIO_RATES.has(audio.sampleRate)) gaps.audio.push(`tần số lấy mẫu ${audio.sampleRate} Hz, YouTube khuyến nghị 48 kHz hoặc 96 kHz`);
  }
  return gaps;
}

/** Whether the source can be uploaded to YouTube as it is (see the rule at the top of this file). */
export function meetsYouTubeRecommendation(probe: ProbeResult): boolean {
  const gaps = youtubeRecommendationGaps(probe);
  return !gaps.container.length && !gaps.video.length && !gaps.audio.length;
}

/** Sample (pixel) aspect ratio from the display aspect ratio and the coded size; 1 when unknown. */
function sampleAspectRatio(video: NonNullable<ProbeResult['video']>): number {
  const match = /^(\d+):(\d+)$/.exec(video.displayAspectRatio ?? '');
  if (!match || !Number(match[1]) || !Number(match[2])) return 1;
  // The probe reports the displayed (rotated) size; the aspect ratio is of the coded picture.
  const [codedWidth, codedHeight] = video.rotation % 180 === 0 ? [video.width, video.height] : [video.height, video.width];
  return (Number(match[1]) / Number(match[2])) / (codedWidth / codedHeight);
}

/**
 * The recommended bitrate for a picture: the row of the smallest 16:9 size with at least as
 * many pixels (square pixels, so 1440×1080 anamorphic counts as 1920×1080; portrait 1080×1920
 * as 1080p), the high column above 30 frames per second; the 4K row for anything larger.
 */
export function youtubeMaxrateKbps(probe: ProbeResult): number {
  const video = probe.video;
  if (!video) throw new Error('youtubeMaxrateKbps: the probe has no video stream');
  const pixels = video.width * video.height * sampleAspectRatio(video);
  const row = YOUTUBE_BITRATES.find((r) => r.width * r.height >= pixels * 0.999) ?? YOUTUBE_BITRATES[YOUTUBE_BITRATES.length - 1]!;
  return Math.round(video.fps ?? 25) > 30 ? row.highKbps : row.standardKbps;
}

/** Frames per closed GOP: half the frame rate (12 at 25 fps, 15 at 29.97 or 30, 25 at 50). */
export function youtubeGopFrames(probe: ProbeResult): number {
  return Math.max(1, Math.floor(Math.round(probe.video?.fps ?? 25) / 2));
}

/**
 * ffmpeg arguments for the MP4 uploaded to YouTube. A part that already follows the
 * recommendation is copied (no second generation); the other is encoded:
 * - video: deinterlaced when not known to be progressive (yadif only touches frames flagged
 *   interlaced, one frame per field pair), square pixels with even sides, yuv420p, libx264 High,
 *   CRF 18 capped by YouTube's recommended bitrate for the size and rate, closed GOP of half the
 *   frame rate with 2 B-frames, timestamps passed through so the recorded frame rate is kept;
 * - audio: AAC-LC at 48 kHz, stereo at 384 kb/s (5.1 kept as 5.1 at 512 kb/s), not
 *   loudness-normalised: YouTube normalises playback itself, and TV lessons are already checked
 *   at −23 LUFS;
 * - container: MP4, moov first (faststart), file-level metadata dropped (phones store the GPS
 *   position there) while stream metadata such as the rotation of copied video is kept. The one
 *   edit list ffmpeg writes to start B-frame video at zero is kept, although YouTube advises
 *   against edit lists: without it the picture runs two frames behind the sound, and the
 *   alternative (negative composition offsets) makes the ffmpeg we ship hold the first frame
 *   three frames long.
 */
export function youtubeMezzanineArgs(input: string, output: string, probe: ProbeResult): string[] {
  const video = probe.video;
  if (!video) throw new Error('youtubeMezzanineArgs: the probe has no video stream');
  const gaps = youtubeRecommendationGaps(probe);
  // 0:V excludes cover art and thumbnails stored as video streams.
  const args = ['-hide_banner', '-nostdin', '-y', '-i', input, '-map', '0:V:0'];
  if (probe.audio) args.push('-map', '0:a:0');

  if (!gaps.video.length) {
    args.push('-c:v', 'copy');
  } else {
    const filters = [
      ...(video.fieldOrder === 'progressive' ? [] : ['yadif=mode=send_frame:parity=auto:deint=interlaced']),
      'scale=trunc(iw*sar/2)*2:trunc(ih/2)*2', 'setsar=1', 'format=yuv420p',
    ];
    const maxrate = youtubeMaxrateKbps(probe);
    args.push('-vf', filters.join(','), '-vsync', 'passthrough',
      '-c:v', 'libx264', '-preset', 'medium', '-profile:v', 'high', '-crf', String(MEZZANINE_CRF),
      '-maxrate', `${maxrate}k`, '-bufsize', `${maxrate * 2}k`,
      '-g', String(youtubeGopFrames(probe)), '-bf', '2', '-flags', '+cgop');
  }

  if (probe.audio) {
    if (!gaps.audio.length) {
      args.push('-c:a', 'copy');
    } else {
      const surround = probe.audio.channels === 6;
      args.push('-c:a', 'aac', '-profile:a', 'aac_low',
        '-b:a', `${surround ? MEZZANINE_AUDIO.surroundKbps : MEZZANINE_AUDIO.stereoKbps}k`,
        '-ac', surround ? '6' : '2', '-ar', String(MEZZANINE_AUDIO.sampleRate));
    }
  }

  args.push('-map_metadata:g', '-1', '-map_chapters', '-1',
    '-movflags', '+faststart',
    '-f', 'mp4', '-progress', 'pipe:1', '-nostats', output);
  return args;
}

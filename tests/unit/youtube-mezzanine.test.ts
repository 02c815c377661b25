import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/media/ffmpeg/probe.js';
import {
  meetsYouTubeRecommendation, youtubeGopFrames, youtubeMaxrateKbps, youtubeMezzanineArgs, youtubeRecommendationGaps,
} from '../../src/media/ffmpeg/youtube-mezzanine.js';

type Video = NonNullable<ProbeResult['video']>;
type Audio = NonNullable<ProbeResult['audio']>;

/** A TV lesson as YouTube recommends it: MP4, H.264 4:2:0 progressive 1080p25, AAC stereo 48 kHz. */
const probe = (video: Partial<Video> = {}, audio: Partial<Audio> | null = {}, formatName = 'mov,mp4,m4a,3gp,3g2,mj2'): ProbeResult => ({
  formatName, durationSeconds: 1500, bitrate: 8_000_000,
  video: { codec: 'h264', width: 1920, height: 1080, fps: 25, pixelFormat: 'yuv420p', displayAspectRatio: '16:9', fieldOrder: 'progressive', rotation: 0, ...video },
  audio: audio ? { codec: 'aac', channels: 2, sampleRate: 48000, bitrate: 192000, ...audio } : null,
});

/** The value after a flag, as ffmpeg reads it. */
const option = (args: string[], flag: string) => {
  const at = args.indexOf(flag);
  return at === -1 ? undefined : args[at + 1];
};

describe("YouTube's recommended upload encoding", () => {
  it('accepts a source that follows it, with or without sound, in 5.1 or at 96 kHz', () => {
    expect(meetsYouTubeRecommendation(probe())).toBe(true);
    expect(meetsYouTubeRecommendation(probe({}, null))).toBe(true);
    expect(meetsYouTubeRecommendation(probe({ pixelFormat: 'yuvj420p', fps: 29.97, width: 1080, height: 1920, rotation: 90 }, { channels: 6, sampleRate: 96000 }))).toBe(true);
  });

  it('names, in Vietnamese, every part that keeps a source from being uploaded as it is', () => {
    const gaps = youtubeRecommendationGaps(probe(
      { codec: 'mpeg2video', pixelFormat: 'yuv422p', fieldOrder: 'tt' },
      { codec: 'mp2', channels: 4, sampleRate: 44100 },
      'mpegts',
    ));
    expect(gaps.container).toEqual(['định dạng tệp mpegts, YouTube khuyến nghị MP4']);
    expect(gaps.video).toEqual([
      'mã hoá hình mpeg2video, YouTube khuyến nghị H.264',
      'định dạng điểm ảnh yuv422p, YouTube khuyến nghị 4:2:0 (yuv420p)',
      'kiểu quét tt, YouTube khuyến nghị quét liên tục (progressive)',
    ]);
    expect(gaps.audio).toEqual([
      'mã hoá tiếng mp2, YouTube khuyến nghị AAC-LC',
      '4 kênh tiếng, YouTube khuyến nghị stereo hoặc 5.1',
      'tần số lấy mẫu 44100 Hz, YouTube khuyến nghị 48 kHz hoặc 96 kHz',
    ]);
    expect(meetsYouTubeRecommendation(probe({}, {}, 'matroska,webm'))).toBe(false);
  });

  it('does not take an unknown scan type or pixel format for progressive 4:2:0', () => {
    expect(meetsYouTubeRecommendation(probe({ fieldOrder: null }))).toBe(false);
    expect(meetsYouTubeRecommendation(probe({ fieldOrder: 'unknown' }))).toBe(false);
    expect(meetsYouTubeRecommendation(probe({ pixelFormat: null }))).toBe(false);
    expect(meetsYouTubeRecommendation(probe({ pixelFormat: 'yuv420p10le' }))).toBe(false);
    expect(meetsYouTubeRecommendation({ ...probe(), video: null })).toBe(false);
  });
});

describe('YouTube bitrates and GOP', () => {
  it("caps the CRF at YouTube's recommended bitrate for the picture size and frame rate", () => {
    expect(youtubeMaxrateKbps(probe())).toBe(8_000);
    expect(youtubeMaxrateKbps(probe({ fps: 50 }))).toBe(12_000);
    expect(youtubeMaxrateKbps(probe({ width: 1280, height: 720 }))).toBe(5_000);
    expect(youtubeMaxrateKbps(probe({ width: 1280, height: 720, fps: 59.94 }))).toBe(7_500);
    expect(youtubeMaxrateKbps(probe({ width: 854, height: 480, fps: 30 }))).toBe(2_500);
    expect(youtubeMaxrateKbps(probe({ width: 640, height: 360 }))).toBe(1_000);
    expect(youtubeMaxrateKbps(probe({ width: 176, height: 144 }))).toBe(1_000);
    expect(youtubeMaxrateKbps(probe({ width: 2560, height: 1440, fps: 60 }))).toBe(24_000);
    expect(youtubeMaxrateKbps(probe({ width: 3840, height: 2160 }))).toBe(45_000);
    expect(youtubeMaxrateKbps(probe({ width: 7680, height: 4320, fps: 60 }))).toBe(68_000);
  });

  it('counts pixels as displayed: portrait, rotated and anamorphic pictures', () => {
    expect(youtubeMaxrateKbps(probe({ width: 1080, height: 1920, displayAspectRatio: '9:16' }))).toBe(8_000);
    // A phone's portrait video: landscape coding plus a rotation; the probe reports the displayed size.
    expect(youtubeMaxrateKbps(probe({ width: 720, height: 1280, rotation: 90, displayAspectRatio: '16:9' }))).toBe(5_000);
    // HDV 1440×1080 with 4:3 pixels is 1920×1080 once its pixels are square.
    expect(youtubeMaxrateKbps(probe({ width: 1440, height: 1080, displayAspectRatio: '16:9' }))).toBe(8_000);
    // PAL 16:9 (720×576, wide pixels) becomes 1024×576: more than 480p.
    expect(youtubeMaxrateKbps(probe({ width: 720, height: 576, displayAspectRatio: '16:9' }))).toBe(5_000);
  });

  it('closes a GOP every half second of frames', () => {
    expect(youtubeGopFrames(probe())).toBe(12);
    expect(youtubeGopFrames(probe({ fps: 29.97 }))).toBe(15);
    expect(youtubeGopFrames(probe({ fps: 50 }))).toBe(25);
    expect(youtubeGopFrames(probe({ fps: 23.976 }))).toBe(12);
    expect(youtubeGopFrames(probe({ fps: null }))).toBe(12);
    expect(youtubeGopFrames(probe({ fps: 1 }))).toBe(1);
  });
});

describe('the MP4 mezzanine made for YouTube', () => {
  it('encodes an interlaced broadcast master as YouTube recommends', () => {
    const source = probe({ codec: 'mpeg2video', pixelFormat: 'yuv422p', fieldOrder: 'tt', fps: 25 }, { codec: 'pcm_s24le', sampleRate: 48000 }, 'mxf');
    const args = youtubeMezzanineArgs('master.mxf', 'youtube.mp4', source);
    expect(args.slice(0, 9)).toEqual(['-hide_banner', '-nostdin', '-y', '-i', 'master.mxf', '-map', '0:V:0', '-map', '0:a:0']);
    // 1080i50 becomes 1080p25 (one frame per field pair), square pixels, even sides, 4:2:0.
    expect(option(args, '-vf')).toBe('yadif=mode=send_frame:parity=auto:deint=interlaced,scale=trunc(iw*sar/2)*2:trunc(ih/2)*2,setsar=1,format=yuv420p');
    expect(option(args, '-vsync')).toBe('passthrough');
    expect(args).not.toContain('-r');
    expect(args.join(' ')).toContain('-c:v libx264 -preset medium -profile:v high -crf 18 -maxrate 8000k -bufsize 16000k -g 12 -bf 2 -flags +cgop');
    expect(args.join(' ')).toContain('-c:a aac -profile:a aac_low -b:a 384k -ac 2 -ar 48000');
    expect(args.join(' ')).toContain('-map_metadata:g -1 -map_chapters -1 -movflags +faststart -f mp4');
    expect(args.at(-1)).toBe('youtube.mp4');
    expect(option(args, '-progress')).toBe('pipe:1');
  });

  it('deinterlaces only frames flagged interlaced when the scan type is unknown, and not at all when progressive', () => {
    expect(option(youtubeMezzanineArgs('in.avi', 'out.mp4', probe({ codec: 'mpeg4', fieldOrder: null })), '-vf')).toMatch(/^yadif=.*deint=interlaced,/);
    const progressive = youtubeMezzanineArgs('in.webm', 'out.mp4', probe({ codec: 'vp9', fps: 50 }, { codec: 'opus' }, 'matroska,webm'));
    expect(option(progressive, '-vf')).toBe('scale=trunc(iw*sar/2)*2:trunc(ih/2)*2,setsar=1,format=yuv420p');
    expect(option(progressive, '-maxrate')).toBe('12000k');
    expect(option(progressive, '-g')).toBe('25');
  });

  it('copies a part that already follows the recommendation instead of encoding it a second time', () => {
    // A phone video: H.264 fine, but 44.1 kHz sound in a QuickTime file.
    const phone = youtubeMezzanineArgs('clip.mov', 'out.mp4', probe({ width: 1080, height: 1920, rotation: 90, fps: 30 }, { sampleRate: 44100 }));
    expect(option(phone, '-c:v')).toBe('copy');
    expect(phone).not.toContain('-vf');
    expect(phone).not.toContain('libx264');
    expect(phone.join(' ')).toContain('-c:a aac -profile:a aac_low -b:a 384k -ac 2 -ar 48000');
    // File metadata (GPS position) goes; stream metadata (the rotation of the copied picture) stays.
    expect(phone).toContain('-map_metadata:g');
    expect(phone).not.toContain('-map_metadata');

    const mkv = youtubeMezzanineArgs('in.mkv', 'out.mp4', probe({}, {}, 'matroska,webm'));
    expect(option(mkv, '-c:v')).toBe('copy');
    expect(option(mkv, '-c:a')).toBe('copy');
    expect(mkv.join(' ')).toContain('-movflags +faststart -f mp4');

    const video = youtubeMezzanineArgs('in.mp4', 'out.mp4', probe({ pixelFormat: 'yuv444p' }));
    expect(option(video, '-c:v')).toBe('libx264');
    expect(option(video, '-c:a')).toBe('copy');
  });

  it('keeps 5.1 as 5.1 at 512 kb/s, turns mono into stereo, and maps no sound when there is none', () => {
    expect(youtubeMezzanineArgs('in.mxf', 'out.mp4', probe({}, { codec: 'pcm_s16le', channels: 6 }, 'mxf')).join(' ')).toContain('-b:a 512k -ac 6 -ar 48000');
    expect(youtubeMezzanineArgs('in.mp4', 'out.mp4', probe({}, { codec: 'mp3', channels: 1, sampleRate: 44100 })).join(' ')).toContain('-b:a 384k -ac 2 -ar 48000');
    const silent = youtubeMezzanineArgs('in.avi', 'out.mp4', probe({ codec: 'mjpeg', pixelFormat: 'yuvj422p' }, null, 'avi'));
    expect(silent).not.toContain('0:a:0');
    expect(silent.some((arg) => arg.startsWith('-c:a') || arg === '-ac' || arg === '-ar')).toBe(false);
  });

  it('refuses a probe without a picture', () => {
    expect(() => youtubeMezzanineArgs('in.m4a', 'out.mp4', { ...probe(), video: null })).toThrow(/no video stream/);
  });
});

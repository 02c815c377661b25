import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signPlaylist } from '../../src/media/routes/hls.js';
import { chooseVariants, downloadVariant, hlsArgs, masterPlaylist, posterFrameArgs } from '../../src/media/ffmpeg/ladder.js';
import { parseProbe, type ProbeResult } from '../../src/media/ffmpeg/probe.js';
import { FfmpegError, runFfmpeg } from '../../src/media/ffmpeg/runner.js';
import { signFile, verifyFileSignature } from '../../src/files/signed-url.js';

const probe = (over: Partial<NonNullable<ProbeResult['video']>> = {}, audio = true): ProbeResult => ({
  formatName: 'mov,mp4', durationSeconds: 600, bitrate: 8_000_000,
  video: { codec: 'h264', width: 1920, height: 1080, fps: 25, pixelFormat: 'yuv420p', displayAspectRatio: '16:9', fieldOrder: 'progressive', rotation: 0, ...over },
  audio: audio ? { codec: 'aac', channels: 2, sampleRate: 48000, bitrate: 128000 } : null,
});

describe('the adaptive ladder', () => {
  it('keeps every rung at or below the source and never upscales', () => {
    expect(chooseVariants(probe()).map((v) => `${v.width}x${v.height}`)).toEqual(['1920x1080', '1280x720', '854x480', '640x360', '426x240']);
    expect(chooseVariants(probe({ width: 1280, height: 720 })).map((v) => v.height)).toEqual([720, 480, 360, 240]);
    expect(chooseVariants(probe({ width: 3840, height: 2160 }))[0]).toMatchObject({ width: 1920, height: 1080 });
    expect(chooseVariants(probe({ width: 176, height: 144 })).map((v) => `${v.width}x${v.height}`)).toEqual(['176x144']);
    expect(chooseVariants(probe({ width: 1080, height: 1920 })).map((v) => `${v.width}x${v.height}`)[0]).toBe('1080x1920');
  });

  it('names the H.264 level and codecs each rung really has', () => {
    const [top, second] = chooseVariants(probe({ fps: 50 }));
    expect(top).toMatchObject({ level: '4.2', codecs: 'avc1.64002a,mp4a.40.2' });
    expect(second).toMatchObject({ level: '3.2', codecs: 'avc1.640020,mp4a.40.2' });
    expect(chooseVariants(probe({}, false))[1]!.codecs).toBe('avc1.64001f');
  });

  it('encodes all rungs in one run with aligned closed GOPs, capped CRF, fMP4 HLS and no metadata', () => {
    const p = probe();
    const variants = chooseVariants(p);
    const args = hlsArgs({ input: 'in.mp4', outDir: '/out', probe: p, variants, profile: 'motion' });
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    const filter = args[args.indexOf('-filter_complex') + 1]!;
    expect(filter).toContain('fps=25,split=5');
    expect(filter).toContain('[v1]scale=1280:720');
    expect(filter).toContain('loudnorm=I=-16');
    expect(args.join(' ')).toContain('-maxrate:v:0 5000k -bufsize:v:0 10000k');
    expect(args.join(' ')).toContain('-g 50 -keyint_min 50 -sc_threshold 0 -flags +cgop -force_key_frames expr:gte(t,n_forced*2)');
    expect(args.join(' ')).toContain('-c:a aac -b:a 128k -ac 2 -ar 48000');
    expect(args.join(' ')).toContain('-map_metadata -1');
    expect(args.join(' ')).toContain('-hls_time 4 -hls_playlist_type vod -hls_segment_type fmp4');
    expect(args[args.indexOf('-var_stream_map') + 1]).toBe('v:0,a:0 v:1,a:1 v:2,a:2 v:3,a:3 v:4,a:4');
  });

  it('uses still-image settings for lecture slides and maps no audio when there is none', () => {
    const p = probe({}, false);
    const args = hlsArgs({ input: 'in.mp4', outDir: '/out', probe: p, variants: chooseVariants(p), profile: 'slides' });
    expect(args.join(' ')).toContain('-crf 28 -tune stillimage');
    expect(args.join(' ')).toContain('-maxrate:v:0 3000k');
    expect(args.join(' ')).not.toContain('-c:a');
    expect(args[args.indexOf('-var_stream_map') + 1]).toBe('v:0 v:1 v:2 v:3 v:4');
  });

  it('writes a master playlist with BANDWIDTH, RESOLUTION and CODECS, best first', () => {
    const variants = chooseVariants(probe({ width: 1280, height: 720 }));
    const master = masterPlaylist(variants, true);
    expect(master.split('\n').slice(0, 5)).toEqual([
      '#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-STREAM-INF:BANDWIDTH=2928000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"', 'v0/index.m3u8',
    ]);
    expect(downloadVariant(chooseVariants(probe()))).toMatchObject({ height: 720 });
  });

  it('takes the poster from after the opening', () => {
    expect(posterFrameArgs('in', 600, 'out.png').slice(3, 5)).toEqual(['-ss', '30.00']);
    expect(posterFrameArgs('in', 20, 'out.png').slice(3, 5)).toEqual(['-ss', '2.00']);
  });
});

describe('ffprobe output', () => {
  it('reports a rotated phone video as portrait and ignores cover art', () => {
    const parsed = parseProbe(JSON.stringify({
      format: { format_name: 'mov,mp4', duration: '12.5', bit_rate: '900000' },
      streams: [
        { codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '30000/1001', side_data_list: [{ rotation: -90 }] },
        { codec_type: 'audio', codec_name: 'aac', channels: 1, sample_rate: '44100' },
        { codec_type: 'video', codec_name: 'mjpeg', width: 300, height: 300, disposition: { attached_pic: 1 } },
      ],
    }));
    expect(parsed.video).toMatchObject({ width: 1080, height: 1920, fps: 29.97, rotation: 270 });
    expect(parsed.audio).toMatchObject({ channels: 1, sampleRate: 44100 });
    expect(parsed.durationSeconds).toBe(12.5);
    const audioOnly = parseProbe(JSON.stringify({ format: { duration: '3' }, streams: [{ codec_type: 'video', codec_name: 'png', width: 1, height: 1, disposition: { attached_pic: 1 } }, { codec_type: 'audio', codec_name: 'mp3', channels: 2, sample_rate: '44100' }] }));
    expect(audioOnly.video).toBeNull();
  });
});

describe('signed HLS URLs', () => {
  it('signs every URI of a playlist and verifies signatures and expiry', () => {
    const signed = signPlaylist('#EXTM3U\n#EXT-X-MAP:URI="init_0.mp4"\n#EXTINF:4.0,\nseg_00000.m4s\n#EXT-X-ENDLIST\n', 'exp=1&sig=abc');
    expect(signed).toBe('#EXTM3U\n#EXT-X-MAP:URI="init_0.mp4?exp=1&sig=abc"\n#EXTINF:4.0,\nseg_00000.m4s?exp=1&sig=abc\n#EXT-X-ENDLIST\n');
    const query = Object.fromEntries(new URLSearchParams(signFile('k'.repeat(32), 'file-1')));
    expect(verifyFileSignature('k'.repeat(32), 'file-1', query)).toBe(true);
    expect(verifyFileSignature('k'.repeat(32), 'file-2', query)).toBe(false);
    expect(verifyFileSignature('x'.repeat(32), 'file-1', query)).toBe(false);
    expect(verifyFileSignature('k'.repeat(32), 'file-1', query, Date.now() + 7 * 3600_000)).toBe(false);
  });
});

describe('the ffmpeg runner', () => {
  it('kills a process that stops making progress and keeps the tail of its stderr', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-stuck-'));
    const script = path.join(dir, 'stuck-ffmpeg');
    await fs.writeFile(script, '#!/bin/sh\necho "Stream #0:0: Video: h264" >&2\necho "waiting for input" >&2\nexec sleep 30\n', { mode: 0o755 });
    const error = await runFfmpeg(script, [], { timeoutMs: 20_000, stallMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    expect((error as FfmpegError).kind).toBe('stalled');
    expect((error as FfmpegError).stderrTail).toContain('waiting for input');
    await fs.rm(dir, { recursive: true, force: true });
  });
});

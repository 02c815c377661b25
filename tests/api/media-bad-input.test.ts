import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';
import { generate, probeJson, testVideo } from '../helpers/media.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1']);
});
afterAll(async () => server?.close());

async function outcome(type: string, bytes: Buffer, name: string) {
  const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type }).expect(201)).body;
  const file = (await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', bytes, name).expect(201)).body;
  const processing = await eventually(async () => {
    const res = await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200);
    const state = res.body.files[0].processing;
    return state?.state === 'ready' || state?.state === 'failed' ? state : null;
  }, 180_000);
  const renditions = (await server.http.get(`/api/v1/files/${file.id}/renditions`).set(auth('teacherA1')).expect(200)).body as Array<{ kind: string; width: number | null; height: number | null }>;
  return { processing, renditions: renditions as Array<{ kind: string; width: number | null; height: number | null; url: string }>, file };
}

/** A PNG whose header claims `width`×`height` pixels: what a decompression bomb looks like to a decoder. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4); length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

describe('bad and unusual media input ends in a clear state, never a stuck job', () => {
  it('a file that is only an MP4 header fails with a reason', async () => {
    const header = (await testVideo(2)).subarray(0, 48);
    const { processing, renditions } = await outcome('video', header, 'header.mp4');
    expect(processing.state).toBe('failed');
    expect(processing.error).toMatch(/ffprobe|ffmpeg|luồng|đọc/);
    expect(renditions).toEqual([]);
  });

  it('a video without audio gets a silent ladder; an MP4 with only audio gets an audio rendition', async () => {
    const silent = await outcome('video', await generate('v.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']), 'v.mp4');
    expect(silent.processing.state).toBe('ready');
    expect(silent.renditions.map((r) => r.kind)).toContain('hls');
    const audioOnly = await outcome('video', await generate('a.mp4', ['-f', 'lavfi', '-i', 'sine=frequency=400:sample_rate=44100', '-t', '3', '-c:a', 'aac']), 'a.mp4');
    expect(audioOnly.processing.state).toBe('ready');
    expect(audioOnly.renditions.map((r) => r.kind)).toEqual(['audio']);
  });

  it('a 10-second 4K clip is brought down the ladder from 1080p, never kept at 4K', async () => {
    const uhd = await generate('4k.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=3840x2160:rate=25', '-t', '10', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']);
    const { processing, renditions } = await outcome('video', uhd, '4k.mp4');
    expect(processing.state).toBe('ready');
    expect(renditions.find((r) => r.kind === 'hls')).toMatchObject({ width: 1920, height: 1080 });
    expect(renditions.find((r) => r.kind === 'mp4')).toMatchObject({ width: 1280, height: 720 });
  }, 300_000);

  it('variable frame rate comes out at a constant rate', async () => {
    const vfr = await generate('vfr.mp4', ['-f', 'lavfi', '-i', "testsrc2=size=640x360:rate=30,setpts='if(lt(N,30),N/30/TB,(N*2)/30/TB)'", '-t', '4', '-c:v', 'libx264', '-vsync', 'vfr', '-pix_fmt', 'yuv420p']);
    const { processing, renditions } = await outcome('video', vfr, 'vfr.mp4');
    expect(processing.state).toBe('ready');
    const mp4 = renditions.find((r) => r.kind === 'mp4')!;
    const bytes = (await server.http.get(mp4.url).set(auth('teacherA1')).buffer(true)
      .parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); }).expect(200)).body as Buffer;
    const video = (await probeJson(bytes)).streams.find((s: { codec_type: string }) => s.codec_type === 'video');
    expect(video.avg_frame_rate).toBe(video.r_frame_rate);
  });

  it('an image claiming 30000×30000 pixels is refused by the pixel limit', async () => {
    const { processing, renditions } = await outcome('image', pngClaiming(30000, 30000), 'bom.png');
    expect(processing.state).toBe('failed');
    expect(processing.error).toMatch(/pixel/i);
    expect(renditions).toEqual([]);
  });
});

import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';
import { generate, probeJson, testVideo } from '../helpers/media.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1', 'teacherB1', 'reviewerA1']);
});
afterAll(async () => server?.close());

async function upload(type: string, bytes: Buffer, name: string) {
  const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type }).expect(201)).body;
  const file = (await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', bytes, name).expect(201)).body;
  return { material, file };
}

async function processed(materialId: string) {
  return eventually(async () => {
    const res = await server.http.get(`/api/v1/materials/${materialId}`).set(auth('teacherA1')).expect(200);
    const state = res.body.files[0].processing?.state;
    return state === 'ready' || state === 'failed' ? res.body.files[0] : null;
  }, 120_000);
}

describe('video processing', () => {
  it('makes an HLS ladder up to the source height, a download MP4 and posters, with signed URLs for unpublished material', async () => {
    const { material, file } = await upload('video', await testVideo(9), 'bài giảng.mp4');
    const shown = await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200);
    expect(['queued', 'running', 'ready']).toContain(shown.body.files[0].processing.state);
    const done = await processed(material.id);
    expect(done.processing).toEqual({ state: 'ready', progress: 100 });

    const list = await server.http.get(`/api/v1/files/${file.id}/renditions`).set(auth('teacherA1')).expect(200);
    const kinds = list.body.map((r: { kind: string; format: string; width: number }) => `${r.kind}:${r.format}:${r.width}`).sort();
    expect(kinds).toEqual(['hls:m3u8:1280', 'mp4:mp4:1280', 'poster:jpeg:1280', 'poster:webp:1280', 'thumbnail:jpeg:320', 'thumbnail:jpeg:640', 'thumbnail:webp:320', 'thumbnail:webp:640']);
    await server.http.get(`/api/v1/files/${file.id}/renditions`).expect(404);
    await server.http.get(`/api/v1/files/${file.id}/renditions`).set(auth('teacherB1')).expect(404);

    // A player with only the signed URL (no token) plays the whole ladder.
    const masterUrl: string = list.body.find((r: { kind: string }) => r.kind === 'hls').url;
    expect(masterUrl).toMatch(/\/hls\/master\.m3u8\?exp=\d+&sig=/);
    const master = await server.http.get(masterUrl).expect(200);
    expect(master.headers['content-type']).toContain('application/vnd.apple.mpegurl');
    const streams = master.text.split('\n').filter((l) => l.startsWith('#EXT-X-STREAM-INF'));
    expect(streams.map((l) => /RESOLUTION=(\d+x\d+)/.exec(l)![1])).toEqual(['1280x720', '854x480', '640x360', '426x240']);
    for (const line of streams) expect(line).toMatch(/BANDWIDTH=\d+,RESOLUTION=\d+x\d+,CODECS="avc1\.6400[0-9a-f]{2},mp4a\.40\.2"/);
    const variantUrl = master.text.split('\n').find((l) => l.startsWith('v0/'))!;
    expect(variantUrl).toContain('sig=');
    const variant = await server.http.get(`/api/v1/files/${file.id}/hls/${variantUrl}`).expect(200);
    expect(variant.text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(variant.text).toMatch(/#EXT-X-MAP:URI="init(_\d+)?\.mp4\?exp=\d+&sig=[^"]+"/);
    const durations = [...variant.text.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
    expect(durations.slice(0, -1).every((d) => Math.abs(d - 4) < 0.05)).toBe(true);
    const segment = variant.text.split('\n').find((l) => l.startsWith('seg_'))!;
    const seg = await server.http.get(`/api/v1/files/${file.id}/hls/v0/${segment}`).buffer(true).parse(binary).expect(200);
    expect(seg.headers['content-type']).toBe('video/iso.segment');
    expect((seg.body as Buffer).length).toBeGreaterThan(1000);
    await server.http.get(`/api/v1/files/${file.id}/hls/v0/${segment.split('?')[0]}`).expect(404);
    await server.http.get(`/api/v1/files/${file.id}/hls/v0/${segment.split('?')[0]}?exp=9999999999&sig=forged`).expect(404);
    await server.http.get(`/api/v1/files/${file.id}/hls/../../blobs/x.mp4`).set(auth('teacherA1')).expect(404);

    // The download MP4: 720p H.264 yuv420p, AAC stereo 48 kHz, no metadata, faststart.
    const mp4Url: string = list.body.find((r: { kind: string }) => r.kind === 'mp4').url;
    const mp4 = await server.http.get(mp4Url).buffer(true).parse(binary).expect(200);
    const probe = await probeJson(mp4.body as Buffer);
    const video = probe.streams.find((s: any) => s.codec_type === 'video');
    const audio = probe.streams.find((s: any) => s.codec_type === 'audio');
    expect({ codec: video.codec_name, width: video.width, height: video.height, pix: video.pix_fmt }).toEqual({ codec: 'h264', width: 1280, height: 720, pix: 'yuv420p' });
    expect({ codec: audio.codec_name, channels: audio.channels, rate: audio.sample_rate }).toEqual({ codec: 'aac', channels: 2, rate: '48000' });
    expect(probe.format.tags?.title).toBeUndefined();
    const body = mp4.body as Buffer;
    expect(body.indexOf('moov')).toBeLessThan(body.indexOf('mdat'));

    const posterRes = await server.http.get(`/api/v1/files/${file.id}/poster?size=640`).set(auth('teacherA1')).set('accept', 'image/webp,*/*').buffer(true).parse(binary).expect(200);
    expect(posterRes.headers['content-type']).toBe('image/webp');
    const meta = await sharp(posterRes.body as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([640, 360]);
    const stats = await sharp(posterRes.body as Buffer).stats();
    expect(stats.channels[0]!.mean).toBeGreaterThan(20);
  });

  it('never upscales: a 320×240 source gets one rung of its own size; a portrait phone video keeps its orientation', async () => {
    const small = await upload('video', await generate('s.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']), 's.mp4');
    expect((await processed(small.material.id)).processing.state).toBe('ready');
    const smallList = (await server.http.get(`/api/v1/files/${small.file.id}/renditions`).set(auth('teacherA1')).expect(200)).body;
    expect(smallList.find((r: { kind: string }) => r.kind === 'hls')).toMatchObject({ width: 320, height: 240 });

    const portrait = await upload('video', await generate('p.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=720x1280:rate=30', '-t', '3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']), 'p.mp4');
    expect((await processed(portrait.material.id)).processing.state).toBe('ready');
    const master = await server.http.get(`/api/v1/files/${portrait.file.id}/hls/master.m3u8`).set(auth('teacherA1')).expect(200);
    expect([...master.text.matchAll(/RESOLUTION=(\d+x\d+)/g)].map((m) => m[1])).toEqual(['720x1280', '480x854', '360x640', '240x426']);
    expect(master.text).toMatch(/CODECS="avc1\.6400[0-9a-f]{2}"/);
  });

  it('ends bad input as a clear failed state, never a stuck job', async () => {
    const good = await testVideo(3);
    const truncated = await upload('video', good.subarray(0, Math.floor(good.length / 3)), 'cut.mp4');
    const failed = await processed(truncated.material.id);
    expect(failed.processing.state).toBe('failed');
    expect(failed.processing.error.length).toBeGreaterThan(10);
    const list = await server.http.get(`/api/v1/files/${truncated.file.id}/renditions`).set(auth('teacherA1')).expect(200);
    expect(list.body).toEqual([]);
    const keys: string[] = [];
    for await (const object of server.ctx.storage.list(`renditions/${truncated.file.sha256}/`)) keys.push(object.key);
    expect(keys).toEqual([]);
  });
});

describe('images and audio', () => {
  it('makes WebP and JPEG posters of a photo with EXIF and GPS stripped', async () => {
    const photo = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: { r: 200, g: 120, b: 40 } } })
      .jpeg().withExif({ IFD0: { Make: 'PhoneCam', ImageDescription: 'Học sinh lớp 8A' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '21/1 1/1 0/1' } }).toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const { material, file } = await upload('image', photo, 'anh.jpg');
    expect((await processed(material.id)).processing.state).toBe('ready');
    const list = (await server.http.get(`/api/v1/files/${file.id}/renditions`).set(auth('teacherA1')).expect(200)).body;
    expect(list.map((r: { width: number; height: number }) => `${r.width}x${r.height}`).sort()).toEqual(['240x180', '240x180', '480x360', '480x360', '960x720', '960x720']);
    for (const rendition of list) {
      const bytes = (await server.http.get(rendition.url).set(auth('teacherA1')).buffer(true).parse(binary).expect(200)).body as Buffer;
      const meta = await sharp(bytes).metadata();
      expect(meta.exif, rendition.format).toBeUndefined();
      expect(bytes.includes(Buffer.from('PhoneCam'))).toBe(false);
    }
  });

  it('refuses a decompression bomb and a corrupt JPEG with a failed state', async () => {
    const bomb = await sharp({ create: { width: 12000, height: 12000, channels: 3, background: 'black' } }).png({ compressionLevel: 9 }).toBuffer();
    const big = await upload('image', bomb, 'bom.png');
    const state = await processed(big.material.id);
    expect(state.processing.state).toBe('failed');
    expect(state.processing.error).toMatch(/pixel|ảnh/i);
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'white' } }).jpeg().toBuffer();
    const corrupt = Buffer.concat([jpeg.subarray(0, 200), Buffer.alloc(300, 0x55)]);
    const bad = await upload('image', corrupt, 'hong.jpg');
    expect((await processed(bad.material.id)).processing.state).toBe('failed');
  });

  it('normalises audio to AAC/M4A and computes waveform peaks', async () => {
    const mp3 = await generate('a.mp3', ['-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=44100', '-t', '4', '-c:a', 'libmp3lame']);
    const { material, file } = await upload('audio', mp3, 'bai-hat.mp3');
    expect((await processed(material.id)).processing.state).toBe('ready');
    const list = (await server.http.get(`/api/v1/files/${file.id}/renditions`).set(auth('teacherA1')).expect(200)).body;
    expect(list.map((r: { kind: string; format: string }) => `${r.kind}:${r.format}`)).toEqual(['audio:m4a']);
    const m4a = (await server.http.get(list[0].url).set(auth('teacherA1')).buffer(true).parse(binary).expect(200)).body as Buffer;
    const probe = await probeJson(m4a, 'a.m4a');
    expect(probe.streams[0]).toMatchObject({ codec_name: 'aac', channels: 2, sample_rate: '48000' });
    const row = await server.ctx.mediaRepository.get(file.sha256);
    expect(row!.peaks!.length).toBeGreaterThan(100);
    expect(Math.max(...row!.peaks!)).toBeGreaterThan(0.1);
    expect((row!.metadata as { durationSeconds: number }).durationSeconds).toBeCloseTo(4, 0);
  });
});

describe('job administration', () => {
  it('lists failed jobs to admins only and retries or cancels them', async () => {
    await server.http.get('/api/v1/jobs?state=failed').set(auth('teacherA1')).expect(403);
    await server.http.get('/api/v1/jobs?state=failed').expect(401);
    const completed = await server.http.get('/api/v1/jobs?state=completed').set(auth('admin')).expect(200);
    expect(completed.body.items.some((j: { name: string }) => j.name === 'media.process-file')).toBe(true);
    const job = completed.body.items[0];
    const refused = await server.http.post(`/api/v1/jobs/${job.id}/retry`).set(auth('admin')).expect(409);
    expect(refused.body.error.code).toBe('JOB_NOT_RETRYABLE');
    await server.http.post(`/api/v1/jobs/${job.id}/cancel`).set(auth('admin')).expect(409);
    await server.http.post('/api/v1/jobs/00000000-0000-4000-8000-000000000000/retry').set(auth('admin')).expect(404);
  });
});

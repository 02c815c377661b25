import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

// The default profile wants 10–45 minutes; the clips here last 12 s, so only that field changes.
const PROFILE = { durationSeconds: { min: 5, max: 60 }, edgeSeconds: 1 };
// A 1 kHz sine at -23 dBFS in both channels measures -23 LUFS (lavfi's sine is at -18 dBFS).
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000'];
const clip = (video: string, gainDb: number, extra: string[] = []) => generate('clip.mp4', [
  '-f', 'lavfi', '-i', video, ...TONE, '-t', '12',
  '-filter_complex', `[1:a]volume=${gainDb}dB,pan=stereo|c0=c0|c1=c0[a]`, '-map', '0:v', '-map', '[a]',
  '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '192k', ...extra,
]);

const CLIPS = {
  compliant: () => clip('testsrc2=size=1280x720:rate=25', -5),
  quiet: () => clip('testsrc2=size=1280x720:rate=25', -25),
  blackGap: () => clip("testsrc2=size=1280x720:rate=25,drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='between(t,4,9)'", -5),
  fourThree: () => clip('testsrc2=size=960x720:rate=25', -5),
  interlaced: () => clip('testsrc2=size=1280x720:rate=50,tinterlace=mode=interleave_top', -5, ['-flags', '+ilme+ildct', '-top', '1']),
};

beforeAll(async () => {
  server = await startTestServer({ env: { QC_PROFILE: JSON.stringify(PROFILE) } });
  world = await createWorld(server, ['teacherA1', 'reviewerA1']);
});
afterAll(async () => server?.close());

type Report = { status: string; checks: Array<{ check: string; status: string; measured: any; message: string; findings?: Array<{ start: number; end: number }> }> };

async function check(name: keyof typeof CLIPS): Promise<{ materialId: string; report: Report }> {
  const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'tv-lesson', title: `TV ${name}` }).expect(201)).body;
  const file = (await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', await CLIPS[name](), `${name}.mp4`).expect(201)).body;
  const view = await eventually(async () => {
    const res = await server.http.get(`/api/v1/files/${file.id}/qc`).set(auth('teacherA1')).expect(200);
    return res.body.state === 'ready' || res.body.state === 'failed' ? res.body : null;
  }, 120_000);
  expect(view.state, JSON.stringify(view)).toBe('ready');
  return { materialId: material.id, report: view.report };
}

const statusOf = (report: Report) => Object.fromEntries(report.checks.map((c) => [c.check, c.status]));

describe('the TV-lesson technical check', () => {
  it('passes a compliant lesson, which can be submitted and shows its summary in the review queue', async () => {
    const { materialId, report } = await check('compliant');
    expect(statusOf(report)).toEqual({ resolution: 'pass', aspectRatio: 'pass', frameRate: 'pass', scan: 'pass', duration: 'pass', audio: 'pass', loudness: 'pass', truePeak: 'pass', black: 'pass', silence: 'pass', frozen: 'pass' });
    expect(report.status).toBe('pass');
    expect(report.checks.find((c) => c.check === 'loudness')!.measured).toBeCloseTo(-23, 0);
    await server.http.post(`/api/v1/materials/${materialId}/submit`).set(auth('teacherA1')).expect(200);
    const tasks = await server.http.get('/api/v1/review/tasks').set(auth('reviewerA1')).expect(200);
    expect(tasks.body.items.find((t: { materialId: string }) => t.materialId === materialId).material.qc).toEqual({ state: 'ready', status: 'pass', failed: [], warnings: [] });
  });

  it('fails a quiet lesson on loudness and blocks its submission with the findings', async () => {
    const { materialId, report } = await check('quiet');
    expect(statusOf(report).loudness).toBe('fail');
    expect(report.checks.find((c) => c.check === 'loudness')!.measured).toBeLessThan(-40);
    expect(report.status).toBe('fail');
    const refused = await server.http.post(`/api/v1/materials/${materialId}/submit`).set(auth('teacherA1')).expect(422);
    expect(refused.body.error.code).toBe('QC_FAILED');
    expect(refused.body.error.message).toContain('LUFS');
    expect(refused.body.error.details[0].check).toBe('loudness');
  });

  it('finds a 5-second black gap with its timestamps (and calls the still picture a warning only)', async () => {
    const { report } = await check('blackGap');
    const black = report.checks.find((c) => c.check === 'black')!;
    expect(black.status).toBe('fail');
    expect(black.findings).toHaveLength(1);
    expect(black.findings![0]!.start).toBeCloseTo(4, 0);
    expect(black.findings![0]!.end).toBeCloseTo(9, 0);
    expect(black.message).toContain('4.0');
    expect(statusOf(report).frozen).toBe('warn');
    expect(statusOf(report).loudness).toBe('pass');
  });

  it('fails a 4:3 lesson on resolution and aspect ratio', async () => {
    const { report } = await check('fourThree');
    expect(statusOf(report)).toMatchObject({ resolution: 'fail', aspectRatio: 'fail', frameRate: 'pass', scan: 'pass' });
  });

  it('fails an interlaced lesson on scan type', async () => {
    const { report } = await check('interlaced');
    expect(statusOf(report)).toMatchObject({ scan: 'fail', resolution: 'pass', frameRate: 'pass' });
    expect(report.checks.find((c) => c.check === 'scan')!.measured.scan).toBe('interlaced');
  });
});

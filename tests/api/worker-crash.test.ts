import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';

let server: TestServer;
let world: World;
const workers: ChildProcess[] = [];
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const LEASE = { JOB_LEASE_SECONDS: '4', QUEUE_MAINTENANCE_SECONDS: '1' };

/** `npm run worker` as a process of its own (own process group, so a kill takes its ffmpeg too). */
function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['dist/workers/main.js'], {
    env: { ...process.env, DATABASE_URL: server.databaseUrl, DATA_DIR: server.dataDir, LOG_LEVEL: 'warn', ...LEASE },
    stdio: ['ignore', 'inherit', 'inherit'], detached: true,
  });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  // The API process runs no workers here: the worker processes do the work.
  server = await startTestServer({ workers: false, env: LEASE });
  world = await createWorld(server, ['teacherA1']);
});
afterAll(async () => {
  // Stop the workers before their database goes away.
  await Promise.all(workers.filter((child) => child.exitCode === null && child.signalCode === null).map((child) => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGKILL');
    return exited;
  }));
  await server?.close();
});

describe('a worker killed in the middle of a transcode', () => {
  it('loses nothing: after its lease the job goes to another worker, which finishes it once', async () => {
    const source = await generate('long.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=500:sample_rate=48000',
      '-t', '24', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest']);
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'video' }).expect(201)).body;
    const file = (await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', source, 'dai.mp4').expect(201)).body;

    const first = startWorker();
    await eventually(async () => {
      const row = await server.ctx.mediaRepository.get(file.sha256);
      return row?.state === 'running' && row.progress >= 5;
    }, 120_000);
    process.kill(-first.pid!, 'SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    expect((await server.ctx.mediaRepository.get(file.sha256))!.state).toBe('running');

    startWorker();
    const done = await eventually(async () => {
      const row = await server.ctx.mediaRepository.get(file.sha256);
      return row?.state === 'ready' || row?.state === 'failed' ? row : null;
    }, 240_000);
    expect(done.state).toBe('ready');
    expect(done.attempts).toBe(2);

    const renditions = await server.ctx.mediaRepository.renditions(file.sha256);
    expect(renditions.map((r) => `${r.kind}:${r.format}:${r.width}`).sort()).toEqual([
      'hls:m3u8:1920', 'mp4:mp4:1280', 'poster:jpeg:1280', 'poster:webp:1280', 'thumbnail:jpeg:320', 'thumbnail:jpeg:640', 'thumbnail:webp:320', 'thumbnail:webp:640',
    ]);
    // Every stored object belongs to the one run that became visible: the killed run left nothing.
    const prefixes = new Set<string>();
    for await (const object of server.ctx.storage.list(`renditions/${file.sha256}/`)) prefixes.add(object.key.split('/')[2]!);
    expect([...prefixes]).toEqual([renditions[0]!.storageKey.split('/')[2]]);
    const master = await server.http.get(`/api/v1/files/${file.id}/hls/master.m3u8`).set(auth('teacherA1')).expect(200);
    expect(master.text.match(/#EXT-X-STREAM-INF/g)).toHaveLength(5);
  }, 400_000);
});

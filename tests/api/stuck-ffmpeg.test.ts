import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testVideo } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';

let server: TestServer;
let world: World;
let scripts: string;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  // An ffmpeg that prints a little and then hangs, as a wedged decoder would.
  scripts = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-stuck-'));
  const stuck = path.join(scripts, 'ffmpeg');
  await fs.writeFile(stuck, '#!/bin/sh\necho "Input #0, mov,mp4: decoder wedged at frame 12" >&2\nexec sleep 600\n', { mode: 0o755 });
  server = await startTestServer({ env: { FFMPEG_PATH: stuck, FFMPEG_STALL_SECONDS: '5' } });
  world = await createWorld(server, ['teacherA1']);
});
afterAll(async () => {
  await server?.close();
  await fs.rm(scripts, { recursive: true, force: true });
});

describe('a stuck ffmpeg', () => {
  it('is killed, the file shows failed with the stderr tail, and an admin can cancel and retry the job', async () => {
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'video' }).expect(201)).body;
    await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', await testVideo(2), 'v.mp4').expect(201);
    const processing = await eventually(async () => {
      const res = await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200);
      return res.body.files[0].processing.state === 'failed' ? res.body.files[0].processing : null;
    }, 60_000);
    expect(processing.error).toContain('stopped making progress');
    expect(processing.error).toContain('decoder wedged at frame 12');

    // Killed by the watchdog, the job waits for its next attempt; an admin sees and cancels it, then retries it.
    const waiting = await eventually(async () => {
      const res = await server.http.get('/api/v1/jobs?state=retry').set(auth('admin')).expect(200);
      return res.body.items.find((j: { name: string }) => j.name === 'media.process-file');
    });
    expect(waiting.error).toContain('stopped making progress');
    await server.http.post(`/api/v1/jobs/${waiting.id}/cancel`).set(auth('admin')).expect(200);
    const cancelled = await server.http.get('/api/v1/jobs?state=cancelled').set(auth('admin')).expect(200);
    expect(cancelled.body.items.map((j: { id: string }) => j.id)).toContain(waiting.id);
    await server.http.post(`/api/v1/jobs/${waiting.id}/retry`).set(auth('teacherA1')).expect(403);
    await server.http.post(`/api/v1/jobs/${waiting.id}/retry`).set(auth('admin')).expect(200);
    // Back in the queue (waiting, or already taken by the worker).
    const states = await Promise.all(['created', 'retry', 'active'].map(async (state) =>
      (await server.http.get(`/api/v1/jobs?state=${state}`).set(auth('admin')).expect(200)).body.items.some((j: { id: string }) => j.id === waiting.id)));
    expect(states).toContain(true);
  }, 90_000);
});

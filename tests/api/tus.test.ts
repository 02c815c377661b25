import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createReadStream } from 'node:fs';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';
import { SweepExpiredUploadsJob } from '../../src/uploads/jobs/sweep-expired-uploads.job.js';

let server: TestServer;
let world: World;
let port: number;
let work: string;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const MIB = 1024 * 1024;

beforeAll(async () => {
  server = await startTestServer({ env: { MAX_UPLOAD_BYTES: String(100 * MIB) } });
  world = await createWorld(server, ['teacherA1', 'teacherA2']);
  await new Promise<void>((resolve) => server.app.server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.app.server.address() as AddressInfo).port;
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-tus-'));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.app.server.close(() => resolve()));
  await server?.close();
  await fs.rm(work, { recursive: true, force: true });
});

/** A TCP proxy that cuts every connection once it has carried the next random number of bytes. */
async function flakyProxy(cuts: number, maxOffset: number) {
  const cutAt = Array.from({ length: cuts }, () => Math.floor(Math.random() * maxOffset)).sort((a, b) => a - b);
  let forwarded = 0;
  let cutsDone = 0;
  const proxy = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    client.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
      if (cutsDone < cutAt.length && forwarded >= cutAt[cutsDone]!) {
        cutsDone++;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  return { port: (proxy.address() as AddressInfo).port, cuts: () => cutsDone, close: () => new Promise((resolve) => proxy.close(resolve)) };
}

function upload(file: string, options: { endpointPort: number; materialId?: string; token: string; size?: number }) {
  return new Promise<{ body: string; url: string }>((resolve, reject) => {
    const metadata: Record<string, string> = { filename: 'Bài giảng dài.pdf', filetype: 'application/pdf' };
    if (options.materialId) metadata.materialId = options.materialId;
    const job = new tus.Upload(createReadStream(file) as never, {
      endpoint: `http://127.0.0.1:${options.endpointPort}/api/v1/uploads`,
      uploadSize: options.size,
      metadata,
      headers: { authorization: `Bearer ${options.token}` },
      chunkSize: 4 * MIB,
      retryDelays: Array(30).fill(50),
      onSuccess: (payload) => resolve({ body: payload.lastResponse.getBody(), url: job.url! }),
      onError: reject,
    });
    job.start();
  });
}

async function tusDirEntries(): Promise<string[]> {
  return fs.readdir(path.join(server.dataDir, 'uploads')).catch(() => []);
}

describe('resumable uploads (tus)', () => {
  it('brings a 64 MiB file through at least three cut connections byte-identical', async () => {
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body;
    const file = path.join(work, 'big.pdf');
    const bytes = Buffer.concat([Buffer.from('%PDF-1.5\n'), randomBytes(64 * MIB - 9)]);
    await fs.writeFile(file, bytes);
    const proxy = await flakyProxy(3, 60 * MIB);
    const result = await upload(file, { endpointPort: proxy.port, materialId: material.id, token: world.tokens.teacherA1 });
    await proxy.close();
    expect(proxy.cuts()).toBeGreaterThanOrEqual(3);
    const stored = JSON.parse(result.body);
    expect(stored).toMatchObject({ name: 'Bài giảng dài.pdf', size: bytes.length, mime: 'application/pdf' });
    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const download = await server.http.get(`/api/v1/files/${stored.id}/content`).set(auth('teacherA1')).buffer(true)
      .parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); }).expect(200);
    expect(createHash('sha256').update(download.body as Buffer).digest('hex')).toBe(stored.sha256);
    // The same finalisation as the multipart route: history, and no resumable copy left behind.
    const history = await server.http.get(`/api/v1/materials/${material.id}/history`).set(auth('teacherA1')).expect(200);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['created', 'file_added']);
    expect(await tusDirEntries()).toEqual([]);
  }, 120_000);

  it('refuses at creation, before any byte: no materialId, a material of someone else, no token, too large', async () => {
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body;
    const create = (headers: Record<string, string>, metadata: string, length = 1000) => server.http.post('/api/v1/uploads')
      .set({ 'tus-resumable': '1.0.0', 'upload-length': String(length), 'upload-metadata': metadata, ...headers });
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const missing = await create(auth('teacherA1'), `filename ${b64('a.pdf')}`).expect(404);
    expect(JSON.parse(missing.text).error.code).toBe('NOT_FOUND');
    const foreign = await create(auth('teacherA2'), `materialId ${b64(material.id)},filename ${b64('a.pdf')}`);
    expect([403, 404]).toContain(foreign.status);
    await create({}, `materialId ${b64(material.id)}`).expect(401);
    const tooLarge = await create(auth('teacherA1'), `materialId ${b64(material.id)}`, 200 * MIB);
    expect(tooLarge.status).toBe(413);
    expect(await tusDirEntries()).toEqual([]);

    // A created upload is the creator's alone; termination removes it.
    const created = await create(auth('teacherA1'), `materialId ${b64(material.id)},filename ${b64('a.pdf')}`).expect(201);
    const location = created.headers.location!;
    const url = location.startsWith('http') ? new URL(location).pathname : location;
    await server.http.head(url).set({ 'tus-resumable': '1.0.0', ...auth('teacherA2') }).expect(404);
    const head = await server.http.head(url).set({ 'tus-resumable': '1.0.0', ...auth('teacherA1') }).expect(200);
    expect(head.headers['upload-offset']).toBe('0');
    await server.http.delete(url).set({ 'tus-resumable': '1.0.0', ...auth('teacherA1') }).expect(204);
    expect(await tusDirEntries()).toEqual([]);
  });

  it('runs the finished upload through sniffing: an executable is refused and not kept', async () => {
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body;
    const file = path.join(work, 'virus.pdf');
    await fs.writeFile(file, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), randomBytes(5000)]));
    const error = await upload(file, { endpointPort: port, materialId: material.id, token: world.tokens.teacherA1 }).catch((e: Error) => e);
    expect(String(error)).toContain('415');
    expect((await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1'))).body.files).toEqual([]);
    expect(await tusDirEntries()).toEqual([]);
  });

  it('deletes unfinished uploads once they expire, and keeps younger ones', async () => {
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body;
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const create = () => server.http.post('/api/v1/uploads').set({ 'tus-resumable': '1.0.0', 'upload-length': String(MIB), 'upload-metadata': `materialId ${b64(material.id)},filename ${b64('x.pdf')}`, ...auth('teacherA1') }).expect(201);
    const old = (await create()).headers.location!;
    const young = (await create()).headers.location!;
    await server.http.patch(old).set({ 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', ...auth('teacherA1') }).send(Buffer.from('%PDF-1.4\n')).expect(204);
    // Three days pass for the first one.
    const info = path.join(server.dataDir, 'uploads', `${old.split('/').pop()}.json`);
    const record = JSON.parse(await fs.readFile(info, 'utf8'));
    await fs.writeFile(info, JSON.stringify({ ...record, creation_date: new Date(Date.now() - 3 * 86400_000).toISOString() }));
    await new SweepExpiredUploadsJob(server.ctx).handle();
    const headers = { 'tus-resumable': '1.0.0', ...auth('teacherA1') };
    expect([404, 410]).toContain((await server.http.head(old).set(headers)).status);
    await server.http.head(young).set(headers).expect(200);
  });

  it('keeps one writer at a time per upload across connections (lock in Postgres)', async () => {
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body;
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const total = 2 * MIB;
    const created = await server.http.post('/api/v1/uploads').set({ 'tus-resumable': '1.0.0', 'upload-length': String(total), 'upload-metadata': `materialId ${b64(material.id)},filename ${b64('x.pdf')}`, ...auth('teacherA1') }).expect(201);
    const url = created.headers.location!;
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(total - 9)]);
    const patch = (body: Buffer, offset: number) => server.http.patch(url).set({ 'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', ...auth('teacherA1') }).send(body);
    const [a, b] = await Promise.all([patch(bytes.subarray(0, MIB), 0), patch(bytes.subarray(0, MIB), 0)]);
    // Both wrote at offset 0: one succeeds, the other is told the offset moved (409) — never two copies.
    expect([a.status, b.status].sort()).toEqual([204, 409]);
    const head = await server.http.head(url).set({ 'tus-resumable': '1.0.0', ...auth('teacherA1') }).expect(200);
    expect(head.headers['upload-offset']).toBe(String(MIB));
    const done = await patch(bytes.subarray(MIB), MIB).expect(200);
    expect(JSON.parse(done.text).sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

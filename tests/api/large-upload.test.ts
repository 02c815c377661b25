import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/free-port.js';
import { MATERIAL, PASSWORD } from '../helpers/world.js';

const GIB = 1024 ** 3;
let child: ChildProcess;
let base: string;
let dataDir: string;
let drop: () => Promise<void>;

async function api(method: string, route: string, body?: unknown, token?: string) {
  const res = await fetch(`${base}${route}`, {
    method, body: body ? JSON.stringify(body) : undefined,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, body: await res.json() as Record<string, any> };
}

/** Reads the resident set size of a process from /proc, in bytes. */
async function rss(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-large-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // The entry point exactly as `npm start` runs it (compiled), on the test database.
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, DATABASE_URL: database.url, DATA_DIR: dataDir, PORT: String(port), CONTENT_PORT: '0', HOST: '127.0.0.1', ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn', MAX_UPLOAD_BYTES: String(2 * GIB) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 150; i++) {
    if (await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('server did not start');
});

afterAll(async () => {
  child?.kill('SIGTERM');
  await new Promise((resolve) => child?.once('exit', resolve));
  await drop?.();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('a 1 GiB upload through the real server process', () => {
  it('streams to storage with the server\'s memory flat (RSS grows under 64 MB, stays under 256 MB) and the bytes intact', async () => {
    const admin = await api('POST', '/api/v1/auth/login', { username: 'admin', password: PASSWORD });
    expect(admin.status).toBe(200);
    // First start seeded the national structure: provinces are there to attach a school to.
    expect((await api('POST', '/api/v1/orgs', { code: 'thcs-test', name: 'Trường THCS Thử', kind: 'school', parentCode: 'sgd-ha-noi' }, admin.body.token)).status).toBe(201);
    expect((await api('POST', '/api/v1/users', { username: 'giaovien', password: PASSWORD, displayName: 'Giáo viên', orgCode: 'thcs-test', roles: ['contributor'] }, admin.body.token)).status).toBe(201);
    const teacher = (await api('POST', '/api/v1/auth/login', { username: 'giaovien', password: PASSWORD })).body.token as string;
    const material = await api('POST', '/api/v1/materials', MATERIAL, teacher);
    expect(material.status).toBe(201);

    const boundary = 'hoclieuBoundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="video-lon.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    Buffer.from('%PDF-1.4\n').copy(chunk);
    const hash = createHash('sha256');
    const baseline = await rss(child.pid!);
    let peak = baseline;
    const sampler = setInterval(() => void rss(child.pid!).then((value) => { peak = Math.max(peak, value); }, () => undefined), 50);

    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${base}/api/v1/materials/${material.body.id}/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${teacher}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + GIB + tail.length) },
      }, (res) => {
        let body = '';
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      request.on('error', reject);
      (async () => {
        request.write(head);
        for (let sent = 0; sent < GIB; sent += chunk.length) {
          const piece = sent === 0 ? chunk : chunk.fill(0x20, 0, 16);
          hash.update(piece);
          if (!request.write(piece)) await new Promise((resolve) => request.once('drain', resolve));
        }
        request.end(tail);
      })().catch(reject);
    });
    clearInterval(sampler);

    expect(response.status, response.body).toBe(201);
    const file = JSON.parse(response.body);
    expect(file.size).toBe(GIB);
    expect(file.sha256).toBe(hash.digest('hex'));
    const stored = await fs.stat(path.join(dataDir, 'objects', 'blobs', file.sha256.slice(0, 2), file.sha256.slice(2, 4), file.sha256));
    expect(stored.size).toBe(GIB);
    console.log(`server RSS: ${(baseline / 1024 ** 2).toFixed(0)} MB before, ${(peak / 1024 ** 2).toFixed(0)} MB peak during a 1 GiB upload`);
    // Streaming is what is asserted: a gigabyte passes while RSS grows by less than 64 MB. The absolute
    // bound leaves room for the app's own code (169 MB at rest with documents, packages and notifications).
    expect(peak - baseline).toBeLessThan(64 * 1024 ** 2);
    expect(peak).toBeLessThan(256 * 1024 ** 2);
  }, 300_000);
});

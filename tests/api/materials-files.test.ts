import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, MATERIAL, pdfBytes, type World } from '../helpers/world.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const LIMIT = 256 * 1024;

beforeAll(async () => {
  server = await startTestServer({ env: { MAX_UPLOAD_BYTES: String(LIMIT) } });
  world = await createWorld(server, ['teacherA1', 'teacherA2', 'teacherB1', 'reviewerA1', 'orgAdminA']);
});
afterAll(async () => server?.close());

async function newMaterial(fields: Record<string, unknown> = {}) {
  return (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, ...fields }).expect(201)).body;
}

async function objectFiles(prefix: string): Promise<string[]> {
  const root = path.join(server.dataDir, 'objects', prefix);
  return (await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) => e.isFile()).map((e) => e.name);
}

describe('materials', () => {
  it('creates a draft at version 1', async () => {
    const created = await newMaterial();
    expect(created).toMatchObject({ status: 'draft', version: 1, publishedVersion: null, title: MATERIAL.title, grades: [8], org: { code: 'thcs-a1' } });
  });

  it('refuses unknown codes and grades outside the level or the subject (400 with the field named)', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ type: 'hologram' }, 'UNKNOWN_TAXONOMY_CODE', 'type'],
      [{ level: 'mau-giao-lon' }, 'UNKNOWN_TAXONOMY_CODE', 'level'],
      [{ subject: 'phep-thuat' }, 'UNKNOWN_TAXONOMY_CODE', 'subject'],
      [{ license: 'GPL-3.0' }, 'UNKNOWN_TAXONOMY_CODE', 'license'],
      [{ series: 'khong-co' }, 'UNKNOWN_TAXONOMY_CODE', 'series'],
      [{ grades: [10] }, 'GRADE_OUTSIDE_LEVEL', 'grades'],
      [{ level: 'thpt', grades: [10], subject: 'khoa-hoc-tu-nhien' }, 'GRADE_OUTSIDE_SUBJECT', 'grades'],
      [{ title: '' }, 'VALIDATION_FAILED', 'title'],
    ];
    for (const [fields, code, field] of cases) {
      const res = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, ...fields }).expect(400);
      expect(res.body.error.code, JSON.stringify(fields)).toBe(code);
      expect(res.body.error.details[0].field).toBe(field);
      expect(res.body.error.message.length).toBeGreaterThan(5);
    }
    await server.http.post('/api/v1/materials').send(MATERIAL).expect(401);
    await server.http.post('/api/v1/materials').set(auth('reviewerA1')).send(MATERIAL).expect(403);
  });

  it('edits the working version while it is a draft; only the owner or an org-admin above may', async () => {
    const created = await newMaterial();
    const edited = await server.http.patch(`/api/v1/materials/${created.id}`).set(auth('teacherA1')).send({ title: 'Tiêu đề mới', grades: [9, 8] }).expect(200);
    expect(edited.body).toMatchObject({ title: 'Tiêu đề mới', grades: [8, 9] });
    await server.http.patch(`/api/v1/materials/${created.id}`).set(auth('orgAdminA')).send({ topic: 'Hình học' }).expect(200);
    await server.http.patch(`/api/v1/materials/${created.id}`).set(auth('teacherA2')).send({ title: 'x' }).expect(404);
    await server.http.patch(`/api/v1/materials/${created.id}`).send({ title: 'x' }).expect(401);
    const bad = await server.http.patch(`/api/v1/materials/${created.id}`).set(auth('teacherA1')).send({ grades: [3] }).expect(400);
    expect(bad.body.error.code).toBe('GRADE_OUTSIDE_LEVEL');
    await server.http.get('/api/v1/materials/00000000-0000-4000-8000-000000000000').expect(404);
    await server.http.get('/api/v1/materials/not-a-uuid').expect(400);
  });
});

describe('files', () => {
  it('stores a file under its sha256, sniffs its type from the bytes, and stores identical content once', async () => {
    const a = await newMaterial();
    const b = await newMaterial();
    const bytes = pdfBytes('same bytes');
    const first = await server.http.post(`/api/v1/materials/${a.id}/files`).set(auth('teacherA1')).attach('file', bytes, { filename: 'giáo án.pdf', contentType: 'text/plain' }).expect(201);
    expect(first.body).toMatchObject({ name: 'giáo án.pdf', size: bytes.length, mime: 'application/pdf' });
    expect(first.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const second = await server.http.post(`/api/v1/materials/${b.id}/files`).set(auth('teacherA1')).attach('file', bytes, 'copy.pdf').expect(201);
    expect(second.body.sha256).toBe(first.body.sha256);
    expect(second.body.id).not.toBe(first.body.id);
    expect((await objectFiles('blobs')).filter((name) => name === first.body.sha256)).toHaveLength(1);
    expect(await objectFiles('tmp')).toEqual([]);
  });

  it('refuses an executable or an archive named .pdf (415), an empty file (400), a missing field (400)', async () => {
    const m = await newMaterial();
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200)]);
    const exe = await server.http.post(`/api/v1/materials/${m.id}/files`).set(auth('teacherA1')).attach('file', elf, 'bai-giang.pdf').expect(415);
    expect(exe.body.error.code).toBe('UNSUPPORTED_FILE_TYPE');
    const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]);
    await server.http.post(`/api/v1/materials/${m.id}/files`).set(auth('teacherA1')).attach('file', zip, 'bai-giang.pdf').expect(415);
    const empty = await server.http.post(`/api/v1/materials/${m.id}/files`).set(auth('teacherA1')).attach('file', Buffer.alloc(0), 'rong.pdf').expect(400);
    expect(empty.body.error.code).toBe('FILE_EMPTY');
    const missing = await server.http.post(`/api/v1/materials/${m.id}/files`).set(auth('teacherA1')).field('other', 'x').expect(400);
    expect(missing.body.error.code).toBe('FILE_MISSING');
    // A video is fine for a video material, not for an image one.
    const image = await newMaterial({ type: 'image' });
    await server.http.post(`/api/v1/materials/${image.id}/files`).set(auth('teacherA1')).attach('file', pdfBytes(), 'x.pdf').expect(415);
    const current = await server.http.get(`/api/v1/materials/${m.id}`).set(auth('teacherA1')).expect(200);
    expect(current.body.files).toEqual([]);
    expect(await objectFiles('tmp')).toEqual([]);
  });

  it('refuses a file over the limit with 413 and keeps nothing of it', async () => {
    const m = await newMaterial();
    const big = Buffer.concat([pdfBytes(), Buffer.alloc(LIMIT + 10, 0x20)]);
    const res = await server.http.post(`/api/v1/materials/${m.id}/files`).set(auth('teacherA1')).attach('file', big, 'lon.pdf').ok(() => true);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('FILE_TOO_LARGE');
    expect((await server.http.get(`/api/v1/materials/${m.id}`).set(auth('teacherA1'))).body.files).toEqual([]);
    expect(await objectFiles('tmp')).toEqual([]);
  });

  it('leaves no row and no object when the client disconnects mid-upload', async () => {
    const m = await newMaterial();
    await new Promise<void>((resolve) => server.app.server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.app.server.address() as AddressInfo;
    const boundary = 'xxBOUNDARYxx';
    const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/api/v1/materials/${m.id}/files`, headers: {
      ...auth('teacherA1'), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(LIMIT),
    } });
    request.on('error', () => undefined);
    request.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="dut.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    request.write(pdfBytes());
    request.write(Buffer.alloc(160 * 1024, 0x20));
    // Cut the connection only once the server is streaming the bytes into storage.
    for (let i = 0; i < 100 && (await objectFiles('tmp')).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await objectFiles('tmp')).length).toBe(1);
    request.destroy();
    await new Promise((resolve) => setTimeout(resolve, 700));
    const rows = await server.ctx.db.db.execute(sql`SELECT count(*)::int AS n FROM version_files vf JOIN material_versions v ON v.id = vf.version_id WHERE v.material_id = ${m.id}`);
    expect(rows.rows[0]).toEqual({ n: 0 });
    expect(await objectFiles('tmp')).toEqual([]);
    await new Promise<void>((resolve) => server.app.server.close(() => resolve()));
  });

  it('deletes a file from a draft; not after submission; not by others', async () => {
    const m = await newMaterial();
    const file = await server.http.post(`/api/v1/materials/${m.id}/files`).set(auth('teacherA1')).attach('file', pdfBytes('del'), 'x.pdf').expect(201);
    const keep = await server.http.post(`/api/v1/materials/${m.id}/files`).set(auth('teacherA1')).attach('file', pdfBytes('keep'), 'y.pdf').expect(201);
    await server.http.delete(`/api/v1/materials/${m.id}/files/${file.body.id}`).set(auth('teacherA2')).expect(404);
    await server.http.delete(`/api/v1/materials/${m.id}/files/${file.body.id}`).set(auth('teacherA1')).expect(204);
    await server.http.delete(`/api/v1/materials/${m.id}/files/${file.body.id}`).set(auth('teacherA1')).expect(404);
    await server.http.post(`/api/v1/materials/${m.id}/submit`).set(auth('teacherA1')).expect(200);
    const locked = await server.http.delete(`/api/v1/materials/${m.id}/files/${keep.body.id}`).set(auth('teacherA1')).expect(422);
    expect(locked.body.error.code).toBe('INVALID_STATE');
    await server.http.post(`/api/v1/materials/${m.id}/files`).set(auth('teacherA1')).attach('file', pdfBytes('late'), 'z.pdf').expect(422);
    const history = await server.http.get(`/api/v1/materials/${m.id}/history`).set(auth('teacherA1')).expect(200);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['created', 'file_added', 'file_added', 'file_removed', 'submitted']);
  });
});

describe('audit trail', () => {
  it('is append-only: the database refuses UPDATE and DELETE', async () => {
    await newMaterial();
    await expect(server.ctx.db.pool.query("UPDATE audit_events SET action = 'forged'")).rejects.toThrow(/append-only/);
    await expect(server.ctx.db.pool.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(server.ctx.db.pool.query('TRUNCATE audit_events CASCADE')).rejects.toThrow(/append-only/);
  });
});

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Storage } from '../../src/core/storage/s3-storage.js';
import { startTestS3, type TestS3 } from '../helpers/s3.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, pdfBytes, type World } from '../helpers/world.js';
import { zipOf } from '../helpers/zip.js';

let s3: TestS3;
let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  s3 = await startTestS3();
  server = await startTestServer({ env: { ...s3.env, DOWNLOAD_REDIRECT: '1' } });
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);
});
afterAll(async () => {
  await server?.close();
  await s3?.close();
});

describe('the API on the S3 backend', () => {
  it('stores uploads in the bucket under their sha256 and redirects downloads to a presigned URL', async () => {
    expect(server.ctx.storage.backend).toBe('s3');
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body;
    const bytes = Buffer.concat([pdfBytes('s3'), Buffer.alloc(200_000, 0x41)]);
    const file = (await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', bytes, 'Đề kiểm tra.pdf').expect(201)).body;
    expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));

    const keys: string[] = [];
    for await (const object of (server.ctx.storage as S3Storage).list('')) keys.push(object.key);
    expect(keys).toEqual([`blobs/${file.sha256.slice(0, 2)}/${file.sha256.slice(2, 4)}/${file.sha256}`]);

    const redirect = await server.http.get(`/api/v1/files/${file.id}/content`).set(auth('teacherA1')).expect(302);
    const url = new URL(redirect.headers.location!);
    expect(url.origin).toBe(s3.settings.endpoint);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    const direct = await fetch(url);
    expect(direct.status).toBe(200);
    expect(direct.headers.get('content-disposition')).toContain("filename*=UTF-8''%C4%90%E1%BB%81%20ki%E1%BB%83m%20tra.pdf");
    expect(Buffer.from(await direct.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await server.http.get('/api/v1/ready').expect(200)).body.checks.storage).toBe('ok');
  });

  it('vets an archive from the bucket by ranged reads of its directory, and counts redirected downloads like streamed ones', async () => {
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'elearning' }).expect(201)).body;
    // A directory of about 1.5 MB: read across several 1 MiB blocks, the hostile entry last.
    const many = Array.from({ length: 4000 }, (_, i) => ({ name: `assets/${String(i).padStart(5, '0')}-${'x'.repeat(300)}.txt`, data: 'x' }));
    const hostile = await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1'))
      .attach('file', await zipOf([...many, { name: '../../escape.js', data: 'x' }]), 'goi.zip').expect(422);
    expect(hostile.body.error.code).toBe('ARCHIVE_UNSAFE');
    const safe = (await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', await zipOf(many), 'goi.zip').expect(201)).body;
    const keys: string[] = [];
    for await (const object of (server.ctx.storage as S3Storage).list('tmp/')) keys.push(object.key);
    expect(keys).toEqual([]);

    const count = async () => (await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200)).body.downloadCount;
    await server.http.head(`/api/v1/files/${safe.id}/content`).set(auth('teacherA1')).expect(302);
    await server.http.get(`/api/v1/files/${safe.id}/content`).set(auth('teacherA1')).set('range', 'bytes=100-').expect(302);
    expect(await count()).toBe(0);
    await server.http.get(`/api/v1/files/${safe.id}/content`).set(auth('teacherA1')).expect(302);
    expect(await count()).toBe(1);
  });

  it('streams through the API when redirects are off, ranges included', async () => {
    server.ctx.config.downloadRedirect = false;
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body;
    const bytes = pdfBytes('range on s3');
    const file = (await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', bytes, 'a.pdf').expect(201)).body;
    const part = await server.http.get(`/api/v1/files/${file.id}/content`).set(auth('teacherA1')).set('range', 'bytes=5-7').expect(206);
    expect(part.headers['content-range']).toBe(`bytes 5-7/${bytes.length}`);
    expect(Buffer.from(part.body).toString() || part.text).toBe(bytes.subarray(5, 8).toString());
    server.ctx.config.downloadRedirect = true;
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slugOf } from '../../src/materials/material-url.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, pdfBytes, type World, approveAsReviewer } from '../helpers/world.js';

/**
 * The public reads of a published material (JSON and page) are answered from memory with an
 * ETag and a public Cache-Control; publication, archiving and a change told by another process
 * evict them, and nothing but the published version ever reaches the public.
 */
let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const HTML = { accept: 'text/html' };

const approve = (reviewer: keyof World['tokens'], materialId: string) => approveAsReviewer(server, world, reviewer, materialId);

async function publish(id: string) {
  await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
  for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) await approve(reviewer, id);
}

async function publishedMaterial(title: string) {
  const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, title }).expect(201);
  const id = created.body.id as string;
  await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes(title), 'bai.pdf').expect(201);
  await publish(id);
  return id;
}

const pagePath = (id: string, title: string) => `/hoc-lieu/${id}/${slugOf(title)}`;

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);
});
afterAll(async () => server?.close());

describe('public reads of a published material', () => {
  it('answer the JSON with an ETag and a public Cache-Control, and 304 to a revalidation', async () => {
    const id = await publishedMaterial('Hình thang cân');
    const first = await server.http.get(`/api/v1/materials/${id}`).expect(200);
    expect(first.body.title).toBe('Hình thang cân');
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    expect(first.headers.vary).toMatch(/authorization/i);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await server.http.get(`/api/v1/materials/${id}`).expect(200);
    expect(again.headers.etag).toBe(etag);
    const revalidated = await server.http.get(`/api/v1/materials/${id}`).set('if-none-match', etag).expect(304);
    expect(revalidated.text).toBe('');
    // What a proxy sends when it holds several versions.
    await server.http.get(`/api/v1/materials/${id}`).set('if-none-match', `"other", ${etag}`).expect(304);
    // The editor's own view is the working version, never shared.
    const own = await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200);
    expect(own.headers['cache-control']).toBe('private, no-cache');
  });

  it('answer the page with an ETag and 304 to a revalidation', async () => {
    const id = await publishedMaterial('Đường trung bình của tam giác');
    const path = pagePath(id, 'Đường trung bình của tam giác');
    const first = await server.http.get(path).set(HTML).expect(200);
    expect(first.text).toContain('Đường trung bình của tam giác');
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    const etag = first.headers.etag as string;
    expect((await server.http.get(path).set(HTML).expect(200)).headers.etag).toBe(etag);
    const revalidated = await server.http.get(path).set(HTML).set('if-none-match', etag).expect(304);
    expect(revalidated.text ?? '').toBe('');
  });

  it('show a revision only once it is published, with a new ETag; the draft never reaches the public', async () => {
    const id = await publishedMaterial('Tứ giác nội tiếp');
    const path = pagePath(id, 'Tứ giác nội tiếp');
    const json1 = await server.http.get(`/api/v1/materials/${id}`).expect(200);
    const page1 = await server.http.get(path).set(HTML).expect(200);

    await server.http.post(`/api/v1/materials/${id}/revise`).set(auth('teacherA1')).expect(200);
    await server.http.patch(`/api/v1/materials/${id}`).set(auth('teacherA1')).send({ title: 'Tứ giác nội tiếp (bản nháp mới)' }).expect(200);
    // The editor reads the draft: what the public is shown stays the published version.
    expect((await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200)).body.title).toBe('Tứ giác nội tiếp (bản nháp mới)');
    const during = await server.http.get(`/api/v1/materials/${id}`).expect(200);
    expect(during.body).toMatchObject({ title: 'Tứ giác nội tiếp', version: 1 });
    expect(during.headers.etag).toBe(json1.headers.etag);
    const duringPage = await server.http.get(path).set(HTML).expect(200);
    expect(duringPage.text).not.toContain('bản nháp mới');
    await server.http.get(path).set(HTML).set('if-none-match', page1.headers.etag as string).expect(304);

    await publish(id);
    const json2 = await server.http.get(`/api/v1/materials/${id}`).expect(200);
    expect(json2.body).toMatchObject({ title: 'Tứ giác nội tiếp (bản nháp mới)', version: 2 });
    expect(json2.headers.etag).not.toBe(json1.headers.etag);
    await server.http.get(`/api/v1/materials/${id}`).set('if-none-match', json1.headers.etag as string).expect(200);
    // The old address moves to the new title's; the page there shows version 2.
    await server.http.get(path).set(HTML).expect(301);
    const page2 = await server.http.get(pagePath(id, 'Tứ giác nội tiếp (bản nháp mới)')).set(HTML).expect(200);
    expect(page2.text).toContain('Tứ giác nội tiếp (bản nháp mới)');
    expect(page2.headers.etag).not.toBe(page1.headers.etag);
  });

  it('are gone at once when the material is archived', async () => {
    const id = await publishedMaterial('Diện tích hình thoi');
    const path = pagePath(id, 'Diện tích hình thoi');
    for (let i = 0; i < 2; i++) {
      await server.http.get(`/api/v1/materials/${id}`).expect(200);
      await server.http.get(path).set(HTML).expect(200);
    }
    await server.http.post(`/api/v1/materials/${id}/archive`).set(auth('teacherA1')).expect(200);
    await server.http.get(`/api/v1/materials/${id}`).expect(404);
    const page = await server.http.get(path).set(HTML).expect(404);
    expect(page.text).not.toContain('Diện tích hình thoi');
  });

  it('are evicted by a change another process announces', async () => {
    const id = await publishedMaterial('Hình chóp đều');
    const path = pagePath(id, 'Hình chóp đều');
    await server.http.get(`/api/v1/materials/${id}`).expect(200);
    await server.http.get(path).set(HTML).expect(200);
    // Another API instance archives it: its own connection, its own transaction, the notification on commit.
    const other = new pg.Client({ connectionString: server.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`UPDATE materials SET status = 'archived' WHERE id = $1`, [id]);
      await other.query(`SELECT pg_notify('hoclieu_public_changes', $1)`, [`material:${id}`]);
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    await eventually(async () => (await server.http.get(`/api/v1/materials/${id}`)).status === 404);
    await eventually(async () => (await server.http.get(path).set(HTML)).status === 404);
  });

  it('never keep what a signed-in reader is shown for the public', async () => {
    const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, title: 'Bản nháp chưa xuất bản' }).expect(201);
    const id = created.body.id as string;
    await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200);
    await server.http.get(`/api/v1/materials/${id}`).expect(404);
    await server.http.get(pagePath(id, 'Bản nháp chưa xuất bản')).set(HTML).expect(404);
  });
});

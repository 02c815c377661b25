import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKey } from '../../src/files/blob-key.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { testVideo } from '../helpers/media.js';
import { createWorld, MATERIAL, pdfBytes, type World } from '../helpers/world.js';
import { zipOf } from '../helpers/zip.js';

let server: TestServer;
let world: World;
let port: number;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const TUS = { 'tus-resumable': '1.0.0' };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);
  await new Promise<void>((resolve) => server.app.server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.app.server.close(() => resolve()));
  await server?.close();
});

async function newMaterial(fields: Record<string, unknown> = {}) {
  return (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, ...fields }).expect(201)).body as { id: string };
}

function upload(materialId: string, bytes: Buffer, filename: string) {
  return server.http.post(`/api/v1/materials/${materialId}/files`).set(auth('teacherA1')).attach('file', bytes, filename);
}

async function storedObject(key: string): Promise<boolean> {
  return fs.stat(path.join(server.dataDir, 'objects', key)).then(() => true, () => false);
}

async function tempObjects(): Promise<string[]> {
  return fs.readdir(path.join(server.dataDir, 'objects', 'tmp')).catch(() => []);
}

function download(url: string, headers: Record<string, string> = auth('teacherA1')) {
  return server.http.get(url).set(headers).buffer(true)
    .parse((res, done) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => done(null, Buffer.concat(chunks))); });
}

async function blobRows(sha: string): Promise<number> {
  const { rows } = await server.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM blobs WHERE sha256 = $1', [sha]);
  return rows[0]!.n;
}

/** Submits the draft and approves it at the school, the province and the ministry department. */
async function publish(materialId: string) {
  await server.http.post(`/api/v1/materials/${materialId}/submit`).set(auth('teacherA1')).expect(200);
  for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) {
    const list = await server.http.get('/api/v1/review/tasks?status=open').set(auth(reviewer)).expect(200);
    const task = list.body.items.find((t: { materialId: string }) => t.materialId === materialId);
    await server.http.post(`/api/v1/review/tasks/${task.id}/claim`).set(auth(reviewer)).expect(200);
    await server.http.post(`/api/v1/review/tasks/${task.id}/decision`).set(auth(reviewer)).send({ decision: 'approve' }).expect(200);
  }
  const published = await server.http.get(`/api/v1/materials/${materialId}`).expect(200);
  expect(published.body.status).toBe('published');
}

/** A multipart body written by hand, so that the file name goes out byte for byte. */
function multipart(filename: string, content: Buffer) {
  const boundary = 'xxHOCLIEUxx';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, head, tail: Buffer.from(`\r\n--${boundary}--\r\n`) };
}

/** A multipart upload whose body is written in two parts: `finish` sends the rest and reads the answer. */
function slowUpload(materialId: string, filename: string, content: Buffer, firstBytes: number) {
  const { contentType, head, tail } = multipart(filename, content);
  const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/api/v1/materials/${materialId}/files`, headers: {
    ...auth('teacherA1'), 'content-type': contentType, 'content-length': String(head.length + content.length + tail.length),
  } });
  const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    request.on('error', reject);
  });
  request.write(head);
  request.write(content.subarray(0, firstBytes));
  return {
    finish() {
      request.end(Buffer.concat([content.subarray(firstBytes), tail]));
      return answer;
    },
  };
}

describe('a version that leaves draft while its upload streams refuses the file (row lock at insert)', () => {
  it('multipart: submitted, approved at every stage and published mid-upload → 422, the published version unchanged, no bytes kept', async () => {
    const material = await newMaterial();
    const reviewed = (await upload(material.id, pdfBytes('reviewed'), 'duyet.pdf').expect(201)).body;
    const unreviewed = Buffer.concat([pdfBytes('unreviewed'), Buffer.alloc(400 * 1024, 0x20)]);
    const streaming = slowUpload(material.id, 'chua-duyet.pdf', unreviewed, 150 * 1024);
    // The upload passed its first check and is streaming into storage.
    await eventually(async () => (await tempObjects()).length > 0);
    await publish(material.id);
    const answer = await streaming.finish();
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('INVALID_STATE');
    const published = await server.http.get(`/api/v1/materials/${material.id}`).expect(200);
    expect(published.body.files.map((f: { id: string }) => f.id)).toEqual([reviewed.id]);
    expect(await tempObjects()).toEqual([]);
    expect(await storedObject(blobKey(sha256(unreviewed)))).toBe(false);
    expect(await blobRows(sha256(unreviewed))).toBe(0);
  });

  it('tus: an upload finished after publication is refused (422, JSON) and its bytes removed', async () => {
    const material = await newMaterial();
    await upload(material.id, pdfBytes('tus reviewed'), 'duyet.pdf').expect(201);
    const bytes = Buffer.concat([pdfBytes('tus unreviewed'), Buffer.alloc(100_000, 0x20)]);
    const created = await server.http.post('/api/v1/uploads').set({ ...TUS, ...auth('teacherA1'), 'upload-length': String(bytes.length), 'upload-metadata': `materialId ${b64(material.id)},filename ${b64('muon.pdf')}` }).expect(201);
    const url = created.headers.location!;
    const patch = (offset: number, body: Buffer) => server.http.patch(url).set({ ...TUS, ...auth('teacherA1'), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }).send(body);
    await patch(0, bytes.subarray(0, 50_000)).expect(204);
    await publish(material.id);
    const refused = await patch(50_000, bytes.subarray(50_000)).expect(422);
    expect(refused.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(refused.text).error.code).toBe('INVALID_STATE');
    expect((await server.http.get(`/api/v1/materials/${material.id}`).expect(200)).body.files).toHaveLength(1);
    expect(await storedObject(blobKey(sha256(bytes)))).toBe(false);
    expect(await fs.readdir(path.join(server.dataDir, 'uploads')).then((names) => names.filter((n) => url.endsWith(n.replace(/\.json$/, ''))))).toEqual([]);
  });

  it('deleting a file races submission safely: a file is never removed after the version was submitted', async () => {
    for (let i = 0; i < 5; i++) {
      const material = await newMaterial();
      await upload(material.id, pdfBytes(`keep ${i}`), 'giu.pdf').expect(201);
      const doomed = (await upload(material.id, pdfBytes(`drop ${i}`), 'xoa.pdf').expect(201)).body;
      const [submitted, deleted] = await Promise.all([
        server.http.post(`/api/v1/materials/${material.id}/submit`).set(auth('teacherA1')),
        server.http.delete(`/api/v1/materials/${material.id}/files/${doomed.id}`).set(auth('teacherA1')),
      ]);
      expect(submitted.status).toBe(200);
      expect([204, 422]).toContain(deleted.status);
      const history = await server.http.get(`/api/v1/materials/${material.id}/history`).set(auth('teacherA1')).expect(200);
      const actions: string[] = history.body.items.map((e: { action: string }) => e.action);
      expect(actions.includes('file_removed')).toBe(deleted.status === 204);
      if (deleted.status === 204) expect(actions.indexOf('file_removed')).toBeLessThan(actions.indexOf('submitted'));
      const files = (await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200)).body.files;
      expect(files.some((f: { id: string }) => f.id === doomed.id)).toBe(deleted.status === 422);
    }
  });
});

describe('blobs whose row never commits are removed, shared ones kept', () => {
  it('removes the moved blob of new content when the file insert fails, keeps a blob another row references', async () => {
    // A real failure of the insert that follows the move: the database refuses this one name.
    await server.ctx.db.pool.query(`
      CREATE FUNCTION refuse_named_file() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.name = 'tu-choi.pdf' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_named_file BEFORE INSERT ON version_files FOR EACH ROW EXECUTE FUNCTION refuse_named_file();`);
    try {
      const material = await newMaterial();
      const fresh = pdfBytes('never stored');
      const failed = await upload(material.id, fresh, 'tu-choi.pdf').expect(500);
      expect(failed.body.error.code).toBe('INTERNAL');
      expect(JSON.stringify(failed.body)).not.toMatch(/trigger|insert/i);
      expect(await storedObject(blobKey(sha256(fresh)))).toBe(false);
      expect(await blobRows(sha256(fresh))).toBe(0);

      const shared = pdfBytes('stored once, shared');
      const kept = (await upload(material.id, shared, 'giu.pdf').expect(201)).body;
      await upload(material.id, shared, 'tu-choi.pdf').expect(500);
      expect(await storedObject(blobKey(sha256(shared)))).toBe(true);
      const served = await download(`/api/v1/files/${kept.id}/content`).expect(200);
      expect(sha256(served.body as Buffer)).toBe(sha256(shared));
      expect(await tempObjects()).toEqual([]);

      // The same through tus: our JSON error, nothing of the database's text, no bytes left.
      const viaTus = pdfBytes('never stored either');
      const refused = await server.http.post('/api/v1/uploads').set({
        ...TUS, ...auth('teacherA1'), 'upload-length': String(viaTus.length), 'content-type': 'application/offset+octet-stream',
        'upload-metadata': `materialId ${b64(material.id)},filename ${b64('tu-choi.pdf')}`,
      }).send(viaTus).expect(500);
      expect(JSON.parse(refused.text).error.code).toBe('INTERNAL');
      expect(refused.text).not.toMatch(/trigger|insert|version_files/i);
      expect(await storedObject(blobKey(sha256(viaTus)))).toBe(false);
    } finally {
      await server.ctx.db.pool.query('DROP TRIGGER refuse_named_file ON version_files; DROP FUNCTION refuse_named_file();');
    }
  });
});

describe('tus: creation-with-upload and errors in our JSON format', () => {
  it('answers a creation that carries the whole file with 201, the final Upload-Offset and the file; a retry finds nothing to duplicate', async () => {
    const material = await newMaterial();
    const bytes = pdfBytes('creation with upload');
    const created = await server.http.post('/api/v1/uploads').set({
      ...TUS, ...auth('teacherA1'), 'upload-length': String(bytes.length), 'content-type': 'application/offset+octet-stream',
      'upload-metadata': `materialId ${b64(material.id)},filename ${b64('mot-lan.pdf')}`,
    }).send(bytes).expect(201);
    expect(created.headers['upload-offset']).toBe(String(bytes.length));
    expect(created.headers.location).toMatch(/\/api\/v1\/uploads\//);
    expect(JSON.parse(created.text)).toMatchObject({ name: 'mot-lan.pdf', size: bytes.length, sha256: sha256(bytes), mime: 'application/pdf' });
    const head = await server.http.head(created.headers.location!).set({ ...TUS, ...auth('teacherA1') });
    expect([404, 410]).toContain(head.status);
    expect((await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200)).body.files).toHaveLength(1);
    await eventually(async () => (await fs.readdir(path.join(server.dataDir, 'uploads')).catch(() => [])).length === 0);

    // A creation with only the first part answers 201 with its offset; the rest comes by PATCH.
    const half = await server.http.post('/api/v1/uploads').set({
      ...TUS, ...auth('teacherA1'), 'upload-length': String(bytes.length), 'content-type': 'application/offset+octet-stream',
      'upload-metadata': `materialId ${b64(material.id)},filename ${b64('hai-lan.pdf')}`,
    }).send(bytes.subarray(0, 20)).expect(201);
    expect(half.headers['upload-offset']).toBe('20');
    const done = await server.http.patch(half.headers.location!).set({ ...TUS, ...auth('teacherA1'), 'upload-offset': '20', 'content-type': 'application/offset+octet-stream' })
      .send(bytes.subarray(20)).expect(200);
    expect(JSON.parse(done.text).name).toBe('hai-lan.pdf');
  });

  it('refuses control characters in Upload-Metadata with 400 VALIDATION_FAILED, before storing anything, never SQL', async () => {
    const material = await newMaterial();
    const create = (metadata: string) => server.http.post('/api/v1/uploads').set({ ...TUS, ...auth('teacherA1'), 'upload-length': '100', 'upload-metadata': metadata });
    for (const metadata of [
      `materialId ${b64(material.id)},filename ${b64('bai\u0000giang.pdf')}`,
      `materialId ${b64(material.id)},filename ${b64('bai\ngiang.pdf')}`,
      `materialId ${b64(material.id)},filename ${b64('a.pdf')},filetype ${b64('application/pdf\u0000')}`,
      `materialId ${b64(`${material.id}\u0000`)},filename ${b64('a.pdf')}`,
    ]) {
      const refused = await create(metadata).expect(400);
      expect(refused.headers['content-type']).toMatch(/application\/json/);
      const body = JSON.parse(refused.text);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.message).toBe('Dữ liệu gửi lên không hợp lệ.');
      expect(refused.text).not.toMatch(/insert|select|\$1/i);
    }
    expect(await fs.readdir(path.join(server.dataDir, 'uploads')).catch(() => [])).toEqual([]);
  });

  it("answers tus's own refusals as {error:{code,message,details}}, in English on request", async () => {
    const material = await newMaterial();
    const json = (res: { headers: Record<string, string>; text: string }) => {
      expect(res.headers['content-type']).toMatch(/application\/json/);
      return JSON.parse(res.text).error as { code: string; message: string; details?: unknown };
    };
    const noVersion = await server.http.post('/api/v1/uploads').set({ ...auth('teacherA1'), 'upload-length': '10' }).expect(412);
    expect(json(noVersion).code).toBe('TUS_VERSION_REQUIRED');
    const badLength = await server.http.post('/api/v1/uploads').set({ ...TUS, ...auth('teacherA1'), 'upload-length': 'muoi' }).expect(400);
    expect(json(badLength).code).toBe('UPLOAD_REQUEST_INVALID');
    const noLength = await server.http.post('/api/v1/uploads').set({ ...TUS, ...auth('teacherA1'), 'accept-language': 'en' }).expect(400);
    expect(json(noLength)).toMatchObject({ code: 'UPLOAD_REQUEST_INVALID', message: expect.stringMatching(/^The resumable/) });
    const unknown = await server.http.delete('/api/v1/uploads/00000000-0000-4000-8000-000000000000').set({ ...TUS, ...auth('teacherA1') }).expect(404);
    expect(json(unknown).code).toBe('NOT_FOUND');
    const created = await server.http.post('/api/v1/uploads').set({ ...TUS, ...auth('teacherA1'), 'upload-length': '100', 'upload-metadata': `materialId ${b64(material.id)},filename ${b64('a.pdf')}` }).expect(201);
    const conflict = await server.http.patch(created.headers.location!).set({ ...TUS, ...auth('teacherA1'), 'upload-offset': '7', 'content-type': 'application/offset+octet-stream' }).send(Buffer.from('%PDF')).expect(409);
    expect(json(conflict).code).toBe('UPLOAD_OFFSET_CONFLICT');
    const tooBig = await server.http.post('/api/v1/uploads').set({ ...TUS, ...auth('teacherA1'), 'upload-length': String(server.ctx.config.maxUploadBytes + 1), 'upload-metadata': `materialId ${b64(material.id)}` }).expect(413);
    expect(json(tooBig).code).toBe('FILE_TOO_LARGE');
    const anonymous = await server.http.post('/api/v1/uploads').set({ ...TUS, 'upload-length': '10', 'upload-metadata': `materialId ${b64(material.id)}` }).expect(401);
    expect(json(anonymous).code).toBe('UNAUTHENTICATED');
    // The API's CORS policy holds for tus too: no origin is allowed unless configured.
    expect(anonymous.headers['access-control-allow-origin']).toBeUndefined();
    const foreign = await server.http.options('/api/v1/uploads').set({ origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a multipart file name with control characters (400), storing nothing', async () => {
    const material = await newMaterial();
    for (const name of ['bai\u0000giang.pdf', 'bai\u001bgiang.pdf', 'bai\u202egnp.pdf']) {
      const { contentType, head, tail } = multipart(name, pdfBytes());
      const refused = await server.http.post(`/api/v1/materials/${material.id}/files`).set({ ...auth('teacherA1'), 'content-type': contentType })
        .send(Buffer.concat([head, pdfBytes(), tail])).expect(400);
      expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'filename' }] });
    }
    expect((await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200)).body.files).toEqual([]);
    expect(await tempObjects()).toEqual([]);
  });
});

describe('names and types of stored files', () => {
  it('caps a 50 000-character name at 255 characters keeping its extension; the header stays small', async () => {
    const material = await newMaterial();
    const stored = (await upload(material.id, pdfBytes('long'), `${'a'.repeat(50_000)}.pdf`).expect(201)).body;
    expect(stored.name).toBe(`${'a'.repeat(251)}.pdf`);
    const vietnamese = (await upload(material.id, pdfBytes('long vi'), `${'Đề kiểm tra '.repeat(3000)}.pdf`).expect(201)).body;
    expect(Array.from(vietnamese.name as string)).toHaveLength(255);
    expect(vietnamese.name.endsWith('.pdf')).toBe(true);
    const download = await server.http.get(`/api/v1/files/${vietnamese.id}/content`).set(auth('teacherA1')).expect(200);
    expect(download.headers['content-disposition']!.length).toBeLessThan(8 * 1024);
  });

  it('stores and serves a file under the extension of its sniffed type, as an attachment, nosniff', async () => {
    const material = await newMaterial();
    const pdf = (await upload(material.id, pdfBytes('named html'), 'bai-giang.html').expect(201)).body;
    expect(pdf).toMatchObject({ name: 'bai-giang.pdf', mime: 'application/pdf' });
    const served = await server.http.get(`/api/v1/files/${pdf.id}/content`).set(auth('teacherA1')).expect(200);
    expect(served.headers['content-type']).toBe('application/pdf');
    expect(served.headers['content-disposition']).toMatch(/^attachment; filename="bai-giang\.pdf"/);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    // A script is text: kept as .txt, never as something a desktop would run.
    const script = (await upload(material.id, Buffer.from('alert(document.cookie);\n'), 'tro-choi.js').expect(201)).body;
    expect(script).toMatchObject({ name: 'tro-choi.txt', mime: 'text/plain' });
    // Names that only look like extensions stay; names without one get their type's.
    expect((await upload(material.id, pdfBytes('v1.2'), 'Đề cương v1.2').expect(201)).body.name).toBe('Đề cương v1.2.pdf');
    expect((await upload(material.id, pdfBytes('upper'), 'BAO-CAO.PDF').expect(201)).body.name).toBe('BAO-CAO.PDF');
  });

  it('refuses HTML, SVG and XHTML for every material type, whatever the name', async () => {
    const pages: Array<[string, string]> = [
      ['<!DOCTYPE html><html><body><script>alert(1)</script></body></html>', 'text/html'],
      ['  <html><script>alert(1)</script></html>', 'text/html'],
      ['<script>alert(1)</script>', 'text/html'],
      ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'image/svg+xml'],
      ['<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'image/svg+xml'],
      ['<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>', 'text/html'],
      ['<?xml version="1.0"?><page xmlns="http://www.w3.org/1999/xhtml"/>', 'application/xhtml+xml'],
    ];
    for (const type of ['document', 'question-bank', 'image']) {
      const material = await newMaterial({ type });
      for (const [page, mime] of pages) {
        for (const name of ['trang.html', 'trang.txt', 'hinh.svg']) {
          const refused = await upload(material.id, Buffer.from(page), name).expect(415);
          expect(refused.body.error.code).toBe('UNSUPPORTED_FILE_TYPE');
          expect(refused.body.error.message).toContain(mime);
        }
      }
    }
    // Question-bank XML and GIFT with markup inside stay what they are.
    const bank = await newMaterial({ type: 'question-bank' });
    await upload(bank.id, Buffer.from('<?xml version="1.0"?><quiz><question type="essay"><name><text>Câu 1</text></name></question></quiz>'), 'cau-hoi.xml').expect(201);
    await upload(bank.id, Buffer.from('::Câu 1:: <b>2+2</b>=? {=4 ~3}'), 'cau-hoi.gift').expect(201);
    expect(await tempObjects()).toEqual([]);
  });

  it('refuses archives with ../ entries, absolute paths, drive letters or symlinks; keeps a safe package', async () => {
    const material = await newMaterial({ type: 'elearning' });
    const hostile: Array<[string, Parameters<typeof zipOf>[0]]> = [
      ['../', [{ name: 'index.html', data: '<html></html>' }, { name: '../../.bashrc', data: 'rm -rf ~' }]],
      ['absolute', [{ name: '/etc/cron.d/job', data: '* * * * * root id' }]],
      ['drive', [{ name: 'C:/Windows/evil.dll', data: 'MZ' }]],
      ['nested ..', [{ name: 'assets/../../x.js', data: 'x' }]],
      ['symlink', [{ name: 'link', data: '/etc/passwd', mode: 0o120777 }]],
    ];
    for (const [label, entries] of hostile) {
      const refused = await upload(material.id, await zipOf(entries), 'goi.zip');
      expect(refused.status, label).toBe(422);
      expect(refused.body.error.code, label).toBe('ARCHIVE_UNSAFE');
    }
    const safe = await upload(material.id, await zipOf([{ name: 'index.html', data: '<html></html>' }, { name: 'js/app.js', data: 'start()' }]), 'goi.zip').expect(201);
    expect(safe.body).toMatchObject({ name: 'goi.zip', mime: 'application/zip' });
    expect((await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200)).body.files).toHaveLength(1);
    expect(await tempObjects()).toEqual([]);
  });
});

describe('downloads', () => {
  it('counts a full GET or a range from byte 0; never HEAD, a later range or a revalidation', async () => {
    const material = await newMaterial();
    const file = (await upload(material.id, pdfBytes('counted'), 'dem.pdf').expect(201)).body;
    const url = `/api/v1/files/${file.id}/content`;
    const count = async () => (await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200)).body.downloadCount as number;
    await server.http.head(url).set(auth('teacherA1')).expect(200);
    await server.http.get(url).set({ ...auth('teacherA1'), range: 'bytes=10-20' }).expect(206);
    await server.http.get(url).set({ ...auth('teacherA1'), range: 'bytes=-5' }).expect(206);
    expect(await count()).toBe(0);
    await server.http.get(url).set(auth('teacherA1')).expect(200);
    expect(await count()).toBe(1);
    await server.http.get(url).set({ ...auth('teacherA1'), range: 'bytes=0-' }).expect(206);
    expect(await count()).toBe(2);
    await server.http.get(url).set({ ...auth('teacherA1'), 'if-none-match': `"${file.sha256}"` }).expect(304);
    await server.http.head(url).set({ ...auth('teacherA1'), range: 'bytes=0-' }).expect(206);
    expect(await count()).toBe(2);
  });
});

describe('media job errors shown to users', () => {
  it('a failed transcode gives a Vietnamese reason and no server path', async () => {
    const material = await newMaterial({ type: 'video' });
    const header = (await testVideo(1)).subarray(0, 48);
    await upload(material.id, header, 'hong.mp4').expect(201);
    const processing = await eventually(async () => {
      const state = (await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200)).body.files[0].processing;
      return state?.state === 'failed' ? state : null;
    }, 120_000);
    expect(processing.error).toMatch(/^Không /);
    expect(processing.error).not.toContain(os.tmpdir());
    expect(processing.error).not.toMatch(/hoclieu-media-|\/source\b|node_modules/);
  }, 150_000);
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const AIKEN = path.resolve('tests/fixtures/aiken');
const VIETNAMESE = 'Thủ đô của Việt Nam là:\nA. Hà Nội\nB. Huế\nC. Đà Nẵng\nANSWER: A\n\nSố nguyên tố nhỏ nhất là:\nA) 0\nB) 1\nC) 2\nANSWER: C\n';

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1', 'teacherA2']);
});
afterAll(async () => server?.close());

async function bank() {
  return (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'question-bank', title: 'Ngân hàng câu hỏi Toán 8' }).expect(201)).body.id as string;
}
const importFile = (id: string, bytes: Buffer | string, name: string, query = '') =>
  server.http.post(`/api/v1/materials/${id}/questions/import${query}`).set(auth('teacherA1')).attach('file', Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), name);

describe('question banks: import (Aiken so far) and listing', () => {
  it('imports Vietnamese Aiken, detected automatically, and lists the questions in order', async () => {
    const id = await bank();
    const res = await importFile(id, VIETNAMESE, 'toan8.txt').expect(200);
    expect(res.body).toMatchObject({ format: 'aiken', imported: 2, skipped: 0, errors: [] });
    const list = await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('teacherA1')).expect(200);
    expect(list.body.items.map((q: { stem: string }) => q.stem)).toEqual(['Thủ đô của Việt Nam là:', 'Số nguyên tố nhỏ nhất là:']);
    expect(list.body.items[1]).toMatchObject({ type: 'multiple_choice', points: 1, source: { format: 'aiken', file: 'toan8.txt', line: 7 } });
    expect(list.body.items[1].options.find((o: { fraction: number }) => o.fraction === 1).text).toBe('2');
    await server.http.get(`/api/v1/materials/${id}/questions`).expect(404);
    await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('teacherA2')).expect(404);
  });

  it('decodes Windows-1258, UTF-16 and NFD text into the same NFC questions', async () => {
    const id = await bank();
    // "Câu hỏi" in Windows-1258: â = 0xE2, ỏ = o + combining hook above (0xD2).
    const cp1258 = Buffer.concat([Buffer.from('C'), Buffer.from([0xe2]), Buffer.from('u h'), Buffer.from([0x6f, 0xd2]), Buffer.from('i\nA) x\nB) y\nANSWER: A\n')]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Câu hỏi\nA) x\nB) y\nANSWER: A\n', 'utf16le')]);
    const nfd = Buffer.from('Câu hỏi\nA) x\nB) y\nANSWER: A\n'.normalize('NFD'));
    for (const [bytes, name] of [[cp1258, 'cp1258.txt'], [utf16, 'utf16.txt'], [nfd, 'nfd.txt']] as const) {
      await importFile(id, bytes, name).expect(200);
    }
    const stems = (await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('teacherA1')).expect(200)).body.items.map((q: { stem: string }) => q.stem);
    expect(stems).toEqual(['Câu hỏi', 'Câu hỏi', 'Câu hỏi']);
  });

  it('is all or nothing by default, partial on request, and previews without storing on dryRun', async () => {
    const id = await bank();
    const errors = fs.readFileSync(path.join(AIKEN, 'aiken_errors.txt'));
    const preview = await importFile(id, errors, 'errors.txt', '?dryRun=true').expect(200);
    expect(preview.body).toMatchObject({ imported: 0, skipped: 3 });
    expect(preview.body.questions).toHaveLength(2);
    const refused = await importFile(id, errors, 'errors.txt').expect(422);
    expect(refused.body.error.code).toBe('QUESTION_IMPORT_FAILED');
    expect(refused.body.error.details.errors.map((e: { line: number }) => e.line)).toEqual([1, 5, 14]);
    expect((await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('teacherA1'))).body.items).toEqual([]);
    const partial = await importFile(id, errors, 'errors.txt', '?mode=partial').expect(200);
    expect(partial.body).toMatchObject({ imported: 2, skipped: 3 });
    expect((await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('teacherA1'))).body.items).toHaveLength(2);
  });

  it('refuses an unknown format (415), a material that is not a question bank (422), and others\' banks', async () => {
    const id = await bank();
    const unknown = await importFile(id, 'just some prose\n', 'x.txt').expect(415);
    expect(unknown.body.error.code).toBe('UNSUPPORTED_QUESTION_FORMAT');
    const doc = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body.id;
    expect((await importFile(doc, VIETNAMESE, 'x.txt').expect(422)).body.error.code).toBe('NOT_A_QUESTION_BANK');
    await server.http.post(`/api/v1/materials/${id}/questions/import`).set(auth('teacherA2')).attach('file', Buffer.from(VIETNAMESE), 'x.txt').expect(404);
    await server.http.post(`/api/v1/materials/${id}/questions/import`).attach('file', Buffer.from(VIETNAMESE), 'x.txt').expect(401);
  });

  it('gives a revision its own copy of the questions', async () => {
    const id = await bank();
    await importFile(id, VIETNAMESE, 'v1.txt').expect(200);
    await server.ctx.db.pool.query("UPDATE materials SET status = 'published', published_version = 1 WHERE id = $1", [id]);
    await server.http.post(`/api/v1/materials/${id}/revise`).set(auth('teacherA1')).expect(200);
    await importFile(id, 'Câu mới?\nA) Có\nB) Không\nANSWER: A\n', 'v2.txt').expect(200);
    expect((await server.http.get(`/api/v1/materials/${id}/questions`).set(auth('teacherA1'))).body.items).toHaveLength(3);
    // The public sees the published version 1, unchanged.
    expect((await server.http.get(`/api/v1/materials/${id}/questions`)).body.items).toHaveLength(2);
  });
});

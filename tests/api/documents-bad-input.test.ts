import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertWithLibreOffice, deckOfSlides, docxOf, flatText, pdfBomb, zipClaimingDocx } from '../helpers/documents.js';
import { zipOf } from '../helpers/zip.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';

/** Uploads `bytes` as a teacher's document and waits for its preview to settle. */
async function outcome(server: TestServer, world: World, bytes: Buffer, name: string) {
  const auth = { authorization: `Bearer ${world.tokens.teacherA1}` };
  const material = (await server.http.post('/api/v1/materials').set(auth).send(MATERIAL).expect(201)).body;
  const file = (await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth).attach('file', bytes, name).expect(201)).body;
  const document = await eventually(async () => {
    const res = await server.http.get(`/api/v1/files/${file.id}/document`).set(auth).expect(200);
    return ['ready', 'failed', 'unavailable'].includes(res.body.state) ? res.body : null;
  }, 180_000);
  return { document };
}

describe('bad documents end failed with a Vietnamese reason, and the worker goes on', () => {
  let server: TestServer;
  let world: World;
  beforeAll(async () => {
    server = await startTestServer({ env: { DOCUMENT_TIMEOUT_SECONDS: '30', DOCUMENT_MAX_PAGES: '200' } });
    world = await createWorld(server, ['teacherA1']);
  });
  afterAll(async () => server?.close());

  it('a password-protected PDF', async () => {
    const filter = 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"matkhau"}}';
    const locked = await convertWithLibreOffice(flatText(['Bí mật']), 'fodt', filter);
    const { document } = await outcome(server, world, locked, 'khoa.pdf');
    expect(document.state).toBe('failed');
    expect(document.error).toMatch(/mật khẩu/);
    expect(document.pages).toEqual([]);
    // The teacher hears of it in the inbox, with the reason (written in the job's failing transaction).
    const inbox = await server.http.get('/api/v1/notifications').set({ authorization: `Bearer ${world.tokens.teacherA1}` }).expect(200);
    const failed = inbox.body.items.find((n: { kind: string }) => n.kind === 'document_failed');
    expect(failed).toBeDefined();
    expect(JSON.stringify(failed)).toMatch(/mật khẩu/);
  }, 120_000);

  it('a corrupt Office file and a zip that only claims to be a .docx', async () => {
    // An OLE compound file header (a .doc to the type sniffer) over bytes that are nothing.
    const corrupt = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(4096, 0x5a)]);
    const broken = await outcome(server, world, corrupt, 'hong.doc');
    expect(broken.document.state).toBe('failed');
    expect(broken.document.error).toMatch(/Không mở được tài liệu: tệp Office .* bị hỏng/);

    const claiming = await outcome(server, world, await zipClaimingDocx(), 'gia.docx');
    expect(claiming.document.state).toBe('failed');
    expect(claiming.document.error).toMatch(/không phải tài liệu DOCX thật/);
  }, 120_000);

  it('a 300-slide deck is refused by the page cap before any conversion', async () => {
    const { document } = await outcome(server, world, await deckOfSlides(300), 'dai.pptx');
    expect(document.state).toBe('failed');
    expect(document.error).toBe('Bài trình chiếu có 300 trang chiếu, vượt giới hạn 200 trang của bản xem trước.');
  }, 120_000);

  it('a PDF bomb is stopped at the time limit', async () => {
    const { document } = await outcome(server, world, pdfBomb(), 'bom.pdf');
    expect(document.state).toBe('failed');
    expect(document.error).toMatch(/quá thời gian cho phép|vượt giới hạn bộ nhớ/);
    // The next document is handled as usual.
    const next = await outcome(server, world, await docxOf(['Bài sau vẫn được xử lý']), 'sau.docx');
    expect(next.document).toMatchObject({ state: 'ready', pageCount: 1 });
  }, 180_000);
});

describe('a LibreOffice that hangs', () => {
  let server: TestServer;
  let world: World;
  let scripts: string;
  beforeAll(async () => {
    // A soffice that starts a helper, as the real launcher does, and then never answers.
    scripts = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-stuck-soffice-'));
    const stuck = path.join(scripts, 'soffice');
    await fs.writeFile(stuck, '#!/bin/sh\nsleep 987651 &\nexec sleep 987652\n', { mode: 0o755 });
    server = await startTestServer({ env: { SOFFICE_PATH: stuck, DOCUMENT_TIMEOUT_SECONDS: '10' } });
    world = await createWorld(server, ['teacherA1']);
  });
  afterAll(async () => {
    await server?.close();
    await fs.rm(scripts, { recursive: true, force: true });
  });

  it('is killed with its whole process group at the time limit; the file fails, the next one is previewed', async () => {
    const { document } = await outcome(server, world, await docxOf(['Treo']), 'treo.docx');
    expect(document.state).toBe('failed');
    expect(document.error).toMatch(/quá thời gian cho phép/);
    const left = execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((line) => /sleep 98765[12]/.test(line));
    expect(left).toEqual([]);
    const pdf = await convertWithLibreOffice(flatText(['Vẫn chạy tiếp']), 'fodt', 'pdf');
    const next = await outcome(server, world, pdf, 'tiep.pdf');
    expect(next.document).toMatchObject({ state: 'ready', pageCount: 1 });
  }, 120_000);
});

describe('a server without LibreOffice', () => {
  let server: TestServer;
  let world: World;
  beforeAll(async () => {
    server = await startTestServer({ env: { SOFFICE_PATH: '/nonexistent/soffice' } });
    world = await createWorld(server, ['teacherA1']);
  });
  afterAll(async () => server?.close());

  it('shows Office files as not previewable here, naming the packages, never as a failed job; start-up says so', async () => {
    expect(server.ctx.documents.startupReport()).toMatch(/missing libreoffice-writer-nogui, libreoffice-impress-nogui, libreoffice-calc-nogui.*apt-get install -y libreoffice-writer-nogui/);
    const { document } = await outcome(server, world, await docxOf(['Không có LibreOffice']), 'a.docx');
    expect(document).toMatchObject({ state: 'unavailable', missingPackages: ['libreoffice-writer-nogui', 'libreoffice-impress-nogui', 'libreoffice-calc-nogui'] });
    const failed = await server.http.get('/api/v1/jobs?state=failed').set({ authorization: `Bearer ${world.tokens.admin}` }).expect(200);
    expect(failed.body.items.filter((job: { name: string }) => job.name === 'documents.process-file')).toEqual([]);
    const odt = await zipOf([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' }, { name: 'content.xml', data: '<x/>' }]);
    expect((await outcome(server, world, odt, 'b.odt')).document.state).toBe('unavailable');
  }, 120_000);
});

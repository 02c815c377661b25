import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Response } from 'superagent';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertWithLibreOffice, docxOf, docxWithLinkedPicture, epubOf, flatPresentation, flatTextWithLinkedPicture } from '../helpers/documents.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';

const run = promisify(execFile);
let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (d: Buffer) => chunks.push(d));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1', 'teacherB1']);
});
afterAll(async () => server?.close());

/** Uploads `bytes` to a new material of `type` and waits for its document preview to settle. */
async function preview(bytes: Buffer, name: string, type = 'document') {
  const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type }).expect(201)).body;
  const file = (await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', bytes, name).expect(201)).body;
  const document = await eventually(async () => {
    const res = await server.http.get(`/api/v1/files/${file.id}/document?text=true`).set(auth('teacherA1')).expect(200);
    return ['ready', 'failed', 'unavailable'].includes(res.body.state) ? res.body : null;
  }, 240_000);
  return { material, file, document };
}

async function pdfText(bytes: Buffer): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-pdftext-'));
  try {
    await fs.writeFile(path.join(dir, 'x.pdf'), bytes);
    return (await run('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'x.pdf'), '-'])).stdout;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe('document previews', () => {
  it('a Vietnamese slide deck gets page images, per-page text, a PDF and a poster, and its materials are queued for search', async () => {
    const picture = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#c33' } }).png().toBuffer();
    const pptx = await convertWithLibreOffice(flatPresentation(['Chuyển động thẳng đều', 'Vận tốc trung bình: v = s / t', 'Gia tốc là đại lượng vectơ'], picture), 'fodp', 'pptx');
    const { material, file, document } = await preview(pptx, 'bai-giang.pptx', 'lecture');
    expect(document).toMatchObject({ state: 'ready', kind: 'office', pageCount: 3 });
    expect(document.pages).toHaveLength(3);
    expect(document.text.map((t: { text: string }) => t.text)).toEqual(['Chuyển động thẳng đều', 'Vận tốc trung bình: v = s / t', 'Gia tốc là đại lượng vectơ']);
    const [page] = document.pages;
    expect(page).toMatchObject({ number: 1, width: 1280 });
    expect(page.images.map((i: { width: number }) => i.width)).toEqual([1280, 640]);
    // Unpublished: every URL is signed, and works without the owner's token.
    expect(page.image).toMatch(/sig=/);
    const image = await server.http.get(page.images[1].url).buffer(true).parse(binary).expect(200);
    expect(image.headers['content-type']).toBe('image/webp');
    expect((await sharp(image.body as Buffer).metadata()).width).toBe(640);
    const pdf = await server.http.get(document.pdf).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await pdfText(pdf.body as Buffer)).toContain('Gia tốc');
    expect(document.poster).toMatch(/poster\?size=640/);
    await server.http.get(document.poster).expect(200);

    // Someone else without the signature sees nothing of it.
    await server.http.get(`/api/v1/files/${file.id}/document`).set(auth('teacherB1')).expect(404);
    await server.http.get(`/api/v1/files/${file.id}/document/pages/1`).expect(404);
    await server.http.get(`/api/v1/files/${file.id}/document/pdf`).set(auth('teacherB1')).expect(404);

    // The stored text is what search reads, page by page; the material's index job is queued.
    const rows = await server.ctx.db.db.execute<{ page: number; text: string }>(sql`
      SELECT p.page, p.text FROM document_pages p JOIN version_files f ON f.sha256 = p.sha256 WHERE f.id = ${file.id} ORDER BY p.page`);
    expect(rows.rows[2]).toEqual({ page: 3, text: 'Gia tốc là đại lượng vectơ' });
    const queued = await server.ctx.db.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'search.index-material' AND data->>'materialId' = ${material.id}`);
    expect(queued.rows[0]!.n).toBeGreaterThan(0);
  }, 300_000);

  it('Cambria text keeps its tone marks: Noto Serif stands in, never Caladea', async () => {
    const docx = await docxOf(['Vận tốc của ánh sáng', 'Trang hai: tốc độ, gia tốc, quãng đường'], 'Cambria');
    const { document } = await preview(docx, 'van-toc.docx');
    expect(document).toMatchObject({ state: 'ready', pageCount: 2 });
    expect(document.text[0].text).toBe('Vận tốc của ánh sáng');
    const pdf = (await server.http.get(document.pdf).buffer(true).parse(binary).expect(200)).body as Buffer;
    expect(await pdfText(pdf)).toContain('tốc');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-fonts-'));
    await fs.writeFile(path.join(dir, 'x.pdf'), pdf);
    const fonts = (await run('pdffonts', [path.join(dir, 'x.pdf')])).stdout;
    await fs.rm(dir, { recursive: true, force: true });
    expect(fonts).toMatch(/NotoSerif/);
    expect(fonts).not.toMatch(/Caladea/);
  }, 300_000);

  it('a document that links a picture on another server converts without any request leaving', async () => {
    const requests: string[] = [];
    const target = http.createServer((req, res) => { requests.push(req.url ?? ''); res.writeHead(200, { 'content-type': 'image/png' }).end(); });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
      const docx = await preview(await docxWithLinkedPicture(url), 'lien-ket.docx');
      expect(docx.document.state).toBe('ready');
      expect(docx.document.text[0].text).toContain('Hình liên kết ngoài');
      // LibreOffice fetches an ODF file's linked picture as it lays out the page: making the test
      // file here does (unsandboxed), the preview must not.
      const odt = await convertWithLibreOffice(flatTextWithLinkedPicture(`${url}/odf.png`), 'fodt', 'odt');
      expect(requests).toContain('/odf.png');
      requests.length = 0;
      const { document } = await preview(odt, 'lien-ket.odt');
      expect(document.state).toBe('ready');
      expect(document.text[0].text).toContain('Hình liên kết ngoài');
      expect(requests).toEqual([]);
    } finally {
      target.close();
    }
  }, 300_000);

  it('a PDF skips conversion; an EPUB gives its chapters as text and its cover as poster', async () => {
    const pdf = await convertWithLibreOffice(flatPresentation(['Trang một của PDF', 'Trang hai của PDF']), 'fodp', 'pdf');
    const shown = await preview(pdf, 'tai-lieu.pdf');
    expect(shown.document).toMatchObject({ state: 'ready', kind: 'pdf', pageCount: 2 });
    expect(shown.document.text[1].text).toBe('Trang hai của PDF');
    const original = await server.http.get(shown.document.pdf).buffer(true).parse(binary).expect(200);
    expect((original.body as Buffer).equals(pdf)).toBe(true);

    const cover = await sharp({ create: { width: 600, height: 900, channels: 3, background: '#36c' } }).png().toBuffer();
    const { document } = await preview(await epubOf(['Ngày xửa ngày xưa, có một cậu bé.', 'Cậu bé đi học & chăm chỉ.'], cover), 'sach.epub', 'ebook');
    expect(document).toMatchObject({ state: 'ready', kind: 'epub', pageCount: 2, pdf: null });
    expect(document.text[0].text).toBe('Chương 1\nNgày xửa ngày xưa, có một cậu bé.');
    expect(document.text[1].text).toContain('đi học & chăm chỉ');
    expect(document.poster).toBeTruthy();
    await server.http.get(document.poster).expect(200);
  }, 300_000);

  it('text typed in the old TCVN3 fonts is recognised and the result says so', async () => {
    const docx = await docxOf(['Céng hoµ x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc. Tr­êng trung häc c¬ së'], '.VnTime');
    const { document } = await preview(docx, 'tcvn3.docx');
    expect(document).toMatchObject({ state: 'ready', legacyEncoding: 'tcvn3' });
  }, 300_000);

  it('a file that is not a document has no document preview', async () => {
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'image' }).expect(201)).body;
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).png().toBuffer();
    const file = (await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', png, 'a.png').expect(201)).body;
    const res = await server.http.get(`/api/v1/files/${file.id}/document`).set(auth('teacherA1')).expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

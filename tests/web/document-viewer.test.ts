import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertWithLibreOffice, flatPresentation } from '../helpers/documents.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, submitAndApprove, type World } from '../helpers/world.js';
import { HTML, signInAgent } from '../helpers/web.js';

let server: TestServer;
let world: World;
let pdf: Buffer;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);
  pdf = await convertWithLibreOffice(flatPresentation(['Hình học không gian', 'Thể tích khối chóp']), 'fodp', 'pdf');
});
afterAll(async () => server?.close());

async function materialWithPdf(title: string) {
  const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, title }).expect(201)).body;
  const file = (await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', pdf, 'hinh-hoc.pdf').expect(201)).body;
  await eventually(async () => (await server.http.get(`/api/v1/files/${file.id}/document`).set(auth('teacherA1'))).body.state === 'ready', 120_000);
  return { id: material.id as string, fileId: file.id as string };
}

describe('the document viewer', () => {
  it('shows a published document page by page on the public page: lazy images sized by srcset, each page’s text, the PDF', async () => {
    const { id, fileId } = await materialWithPdf('Hình học không gian lớp 12');
    await submitAndApprove(server, world, id);
    const page = await server.http.get(`/hoc-lieu/${id}`).set(HTML).redirects(1).expect(200);
    const images = [...page.text.matchAll(/<img [^>]*>/g)].map((m) => m[0]).filter((img) => img.includes('/document/pages/'));
    expect(images).toHaveLength(2);
    expect(images[0]).toContain(`src="/api/v1/files/${fileId}/document/pages/1?width=640"`);
    expect(images[0]).toContain(`/api/v1/files/${fileId}/document/pages/1?width=1280 1280w`);
    expect(images[0]).toContain('loading="eager"');
    expect(images[1]).toContain('loading="lazy"');
    expect(images[1]).toMatch(/alt="Trang 2 \/ 2: Hình học không gian lớp 12"/);
    expect(images.join('')).not.toContain('sig=');
    expect(page.text).toContain('Thể tích khối chóp');
    expect(page.text).toContain(`href="/api/v1/files/${fileId}/document/pdf"`);
    // What the page points at is served to anyone.
    await server.http.get(`/api/v1/files/${fileId}/document/pages/2?width=640`).expect(200).expect('content-type', 'image/webp');
  }, 240_000);

  it('shows the owner a draft’s preview in the workspace through signed URLs', async () => {
    const { id, fileId } = await materialWithPdf('Bản nháp hình học');
    const agent = await signInAgent(server, 'teacherA1');
    const page = await agent.get(`/cua-toi/hoc-lieu/${id}`).set(HTML).expect(200);
    expect(page.text).toContain('Xem trước tài liệu');
    const src = new RegExp(`src="(/api/v1/files/${fileId}/document/pages/1\\?width=640&amp;exp=\\d+&amp;sig=[^"]+)"`).exec(page.text)?.[1];
    expect(src).toBeTruthy();
    await server.http.get(src!.replace(/&amp;/g, '&')).expect(200);
    // Unsigned, the draft's page is nobody's to see.
    await server.http.get(`/api/v1/files/${fileId}/document/pages/1?width=640`).expect(404);
  }, 240_000);
});

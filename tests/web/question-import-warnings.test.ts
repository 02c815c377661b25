import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';
import { csrfFrom, HTML, signInAgent } from '../helpers/web.js';

/**
 * The import preview shows an importer's warnings as their messages: Moodle's own GIFT export,
 * whose @@PLUGINFILE@@ pictures the file does not hold, is imported with a warning naming them.
 */
let server: TestServer;
let world: World;

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1']);
});
afterAll(async () => server?.close());

describe('question import page', () => {
  it('lists the warnings of the preview in Vietnamese, as text', async () => {
    const agent = await signInAgent(server, 'teacherA1');
    const bank = (await server.http.post('/api/v1/materials').set({ authorization: `Bearer ${world.tokens.teacherA1}` })
      .send({ ...MATERIAL, type: 'question-bank', title: 'Ngân hàng hình học' }).expect(201)).body.id as string;
    const token = await csrfFrom(agent, `/cua-toi/hoc-lieu/${bank}`);
    const gift = fs.readFileSync(path.resolve('tests/fixtures/questions/gift/moodle/pluginfile_images.gift.txt'));
    const preview = await agent.post(`/cua-toi/hoc-lieu/${bank}/cau-hoi`).set(HTML)
      .field('_csrf', token).field('format', 'auto').field('buoc', 'xem-truoc').attach('file', gift, 'moodle.gift.txt').expect(200);
    expect(preview.text).toMatch(/<li>Dòng 7: ảnh [^<]*tam giác\.png[^<]*Moodle không xuất tệp ảnh ra GIFT[^<]*<\/li>/);
    expect(preview.text).not.toContain('[object Object]');
  });
});

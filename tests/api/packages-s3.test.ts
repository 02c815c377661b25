import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bombPackage, html5Package, scormPackage } from '../helpers/packages.js';
import { startTestS3, type TestS3 } from '../helpers/s3.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';

/** Packages on the S3 backend (s3rver): the zip read through ranged GETs, its files unpacked to objects and streamed back. */
let s3: TestS3;
let server: TestServer;
let world: World;
const auth = { authorization: '' };

async function settled(bytes: Buffer, name: string) {
  const created = await server.http.post('/api/v1/materials').set(auth).send({ ...MATERIAL, type: 'elearning' }).expect(201);
  const file = await server.http.post(`/api/v1/materials/${created.body.id}/files`).set(auth).attach('file', bytes, name).expect(201);
  return eventually(async () => {
    const status = await server.http.get(`/api/v1/files/${file.body.id}/package`).set(auth).expect(200);
    return status.body.state === 'ready' || status.body.state === 'failed' ? status.body : null;
  });
}

beforeAll(async () => {
  s3 = await startTestS3();
  server = await startTestServer({ env: s3.env });
  world = await createWorld(server, ['teacherA1']);
  auth.authorization = `Bearer ${world.tokens.teacherA1}`;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await s3?.close();
});

describe('packages on S3', () => {
  it('unpacks a SCORM package and serves its files, ranges included', async () => {
    const status = await settled(await scormPackage('1.2', 'http://localhost:3000'), 'bai.zip');
    expect(status).toMatchObject({ state: 'ready', kind: 'scorm12' });
    const content = supertest(server.content.server);
    const wrapper = await content.get(status.playerUrl.slice(server.ctx.config.content.origin.length)).expect(200);
    const launch = JSON.parse(/id="scorm-settings">(.*?)<\/script>/s.exec(wrapper.text)![1]!).launchUrl as string;
    expect((await content.get(launch).expect(200)).text).toContain('Phân số');
    expect((await content.get(launch.replace('index.html', 'style.css')).set('range', 'bytes=7-17').expect(206)).text).toBe('font-family');
  });

  it('serves an HTML5 package and refuses a bomb the same way as on disk', async () => {
    expect(await settled(await html5Package(), 'mo-phong.zip')).toMatchObject({ state: 'ready', kind: 'html5' });
    const bomb = await settled(await bombPackage(), 'bom.zip');
    expect(bomb.state).toBe('failed');
    expect(bomb.error).toContain('zip bomb');
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bombPackage, disguisedArchivePackage, duplicatePackage, encryptedPackage, h5pPackage, html5Package, lyingBombPackage, nestedArchivePackage,
  noManifestPackage, scormMissingLaunch, scormPackage, zipSlipPackage,
} from '../helpers/packages.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { approveAsReviewer, createWorld, MATERIAL, type World } from '../helpers/world.js';

/** Interactive packages through the API and the content origin: checking, serving, SCORM attempts. */
let server: TestServer;
let world: World;
let content: ReturnType<typeof supertest>;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const APP = 'http://localhost:3000';

async function upload(bytes: Buffer, name: string, type = 'elearning'): Promise<{ materialId: string; fileId: string; sha256: string }> {
  const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, title: `Gói ${name}`, type }).expect(201);
  const file = await server.http.post(`/api/v1/materials/${created.body.id}/files`).set(auth('teacherA1')).attach('file', bytes, name).expect(201);
  return { materialId: created.body.id, fileId: file.body.id, sha256: file.body.sha256 };
}

async function settled(fileId: string, as: keyof World['tokens'] = 'teacherA1') {
  return eventually(async () => {
    const status = await server.http.get(`/api/v1/files/${fileId}/package`).set(auth(as)).expect(200);
    return status.body.state === 'ready' || status.body.state === 'failed' ? status.body : null;
  });
}

/** The path on the content origin of a player URL the API gave. */
const onContent = (url: string) => {
  expect(url.startsWith(server.ctx.config.content.origin)).toBe(true);
  return url.slice(server.ctx.config.content.origin.length);
};

const settingsOf = (html: string) => JSON.parse(/<script type="application\/json" id="scorm-settings">(.*?)<\/script>/s.exec(html)![1]!);

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server, ['teacherA1', 'teacherB1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);
  content = supertest(server.content.server);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('SCORM 1.2 in a top folder', () => {
  let fileId: string;
  let wrapperPath: string;

  it('is re-rooted, its launch file taken from the default organisation', async () => {
    let sha256: string;
    ({ fileId, sha256 } = await upload(await scormPackage('1.2', APP, { folder: 'Bai giang phan so/' }), 'phan-so.zip'));
    const status = await settled(fileId);
    expect(status).toMatchObject({ state: 'ready', kind: 'scorm12', title: 'Phân số lớp 4' });
    // Unpacked under one run's prefix, the top folder gone.
    const unpacked: string[] = [];
    for await (const object of server.ctx.storage.list(`packages/${sha256}/`)) unpacked.push(object.key.split('/').slice(3).join('/'));
    expect(unpacked.sort()).toEqual(['imsmanifest.xml', 'lesson/index.html', 'lesson/sco.js', 'lesson/style.css', 'lesson/Ảnh bìa.svg', 'other.html']);
    wrapperPath = onContent(status.playerUrl);
    expect(wrapperPath).toMatch(/^\/w\/[^/]+$/);
  });

  it('the wrapper page loads the SCO in a child frame, framed by the app only, no cookie set', async () => {
    const page = await content.get(wrapperPath).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain(`frame-ancestors ${APP}`);
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.headers['set-cookie']).toBeUndefined();
    const settings = settingsOf(page.text);
    expect(settings).toMatchObject({ version: '1.2', resume: null });
    expect(settings.launchUrl).toMatch(/^\/p\/[^/]+\/lesson\/index\.html$/);
    expect(settings.commitUrl).toMatch(/^\/c\//);
    expect(page.text).toMatch(/<script type="module" src="\/assets\/scorm-wrapper-[\w-]+\.js"><\/script>/);
    const script = /src="(\/assets\/scorm-wrapper-[\w-]+\.js)"/.exec(page.text)![1]!;
    const served = await content.get(script).expect(200);
    expect(served.headers['content-type']).toContain('javascript');
  });

  it('serves the files with their types, nosniff, ranges, GET and HEAD only, and nothing else', async () => {
    const { launchUrl } = settingsOf((await content.get(wrapperPath).expect(200)).text);
    const base = launchUrl.replace(/lesson\/index\.html$/, '');
    const page = await content.get(launchUrl).set('cookie', 'hoclieu_session=stolen').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.headers['content-security-policy']).toContain(`frame-ancestors 'self' ${APP}`);
    expect((await content.get(`${base}lesson/sco.js`).expect(200)).headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect((await content.get(`${base}lesson/style.css`).expect(200)).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await content.get(`${base}lesson/${encodeURIComponent('Ảnh bìa.svg')}`).expect(200)).headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    const range = await content.get(`${base}lesson/style.css`).set('range', 'bytes=0-3').expect(206);
    expect(range.text).toBe('body');
    await content.head(`${base}lesson/index.html`).expect(200);
    await content.post(`${base}lesson/index.html`).send({}).expect(404);
    await content.put(`${base}lesson/index.html`).send({}).expect(404);
    await content.get(`${base}khong-co.html`).expect(404);
    await content.get(`${base}lesson/%2e%2e/%2e%2e/imsmanifest.xml`).expect(404);
    // A service worker would outlive the token: its script is never served.
    await content.get(`${base}lesson/sco.js`).set('service-worker', 'script').expect(403);
  });

  it('refuses a forged, altered or expired token', async () => {
    const { launchUrl } = settingsOf((await content.get(wrapperPath).expect(200)).text);
    const token = launchUrl.split('/')[2]!;
    const [file, user, expires, signature] = token.split('.');
    for (const bad of [`${file}.${user}.${Number(expires) + 3600}.${signature}`, `${file}.0.${expires}.${signature}`, `${file}.${user}.${expires}.x${signature!.slice(1)}`, 'abc']) {
      const refused = await content.get(`/p/${bad}/lesson/index.html`).expect(403);
      expect(refused.body.error.code).toBe('CONTENT_TOKEN_INVALID');
    }
  });

  it('stores the learner\'s commits (suspend data beyond 4 KB) and resumes from them', async () => {
    await server.http.get(`/api/v1/files/${fileId}/attempts/me`).set(auth('teacherA1')).expect(404);
    const { commitUrl } = settingsOf((await content.get(wrapperPath).expect(200)).text);
    const suspendData = JSON.stringify({ page: 3, answers: 'a'.repeat(6000) });
    const committed = await content.post(commitUrl).send({
      version: '1.2', lessonStatus: 'passed', scoreRaw: '80', location: 'trang-3', suspendData, totalTime: '0000:12:30.00',
    }).expect(200);
    expect(committed.body).toMatchObject({ completionStatus: 'completed', successStatus: 'passed', score: 80, location: 'trang-3', totalSeconds: 750 });
    const mine = await server.http.get(`/api/v1/files/${fileId}/attempts/me`).set(auth('teacherA1')).expect(200);
    expect(mine.body).toMatchObject({ scormVersion: '1.2', completionStatus: 'completed', successStatus: 'passed', score: 80, suspendDataLength: suspendData.length, commits: 1 });
    const { resume } = settingsOf((await content.get(wrapperPath).expect(200)).text);
    expect(resume).toEqual({ core: { lesson_status: 'passed', lesson_location: 'trang-3', entry: 'resume', total_time: '0000:12:30', score: { raw: '80' } }, suspend_data: suspendData });
  });

  it('refuses commits that do not fit the schema or the package', async () => {
    const { commitUrl } = settingsOf((await content.get(wrapperPath).expect(200)).text);
    await content.post(commitUrl).send({ version: '1.2', lessonStatus: 'passed', extra: 1 }).expect(400);
    await content.post(commitUrl).send({ version: '1.2', suspendData: 'x'.repeat(65_537) }).expect(400);
    await content.post(commitUrl).send({ version: '2004', completionStatus: 'completed' }).expect(400);
    await content.post(commitUrl).set('content-type', 'text/plain').send('hello').expect(400);
  });

  it('is shown only to those who may see the file', async () => {
    await server.http.get(`/api/v1/files/${fileId}/package`).expect(404);
    await server.http.get(`/api/v1/files/${fileId}/package`).set(auth('teacherB1')).expect(404);
    await server.http.get(`/api/v1/files/${fileId}/attempts/me`).expect(401);
  });
});

describe('the public plays a published package without an account', () => {
  it('gets a player whose commits are not stored', async () => {
    const { materialId, fileId } = await upload(await scormPackage('2004', APP), 'ban-do.zip');
    expect(await settled(fileId)).toMatchObject({ state: 'ready', kind: 'scorm2004' });
    await server.http.post(`/api/v1/materials/${materialId}/submit`).set(auth('teacherA1')).expect(200);
    for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) await approveAsReviewer(server, world, reviewer, materialId);
    const status = await server.http.get(`/api/v1/files/${fileId}/package`).expect(200);
    const settings = settingsOf((await content.get(onContent(status.body.playerUrl)).expect(200)).text);
    expect(settings).toMatchObject({ version: '2004', commitUrl: null, resume: null });
    const token = settings.launchUrl.split('/')[2];
    const refused = await content.post(`/c/${token}`).send({ version: '2004', completionStatus: 'completed' }).expect(403);
    expect(refused.body.error.code).toBe('ATTEMPT_NOT_STORED');
    // A signed-in learner's SCORM 2004 commit is stored.
    const learner = await server.http.get(`/api/v1/files/${fileId}/package`).set(auth('teacherB1')).expect(200);
    const { commitUrl } = settingsOf((await content.get(onContent(learner.body.playerUrl)).expect(200)).text);
    await content.post(commitUrl).send({ version: '2004', completionStatus: 'completed', successStatus: 'failed', scoreRaw: '40', scoreScaled: '0.4', totalTime: 'PT1H2M3.5S' }).expect(200);
    const mine = await server.http.get(`/api/v1/files/${fileId}/attempts/me`).set(auth('teacherB1')).expect(200);
    expect(mine.body).toMatchObject({ scormVersion: '2004', completionStatus: 'completed', successStatus: 'failed', score: 40, scaledScore: 0.4, totalSeconds: 3723 });
  });
});

describe('HTML5 and H5P', () => {
  it('plays an HTML5 package from its index.html', async () => {
    const { fileId } = await upload(await html5Package(), 'con-lac.zip', 'simulation');
    const status = await settled(fileId);
    expect(status).toMatchObject({ state: 'ready', kind: 'html5' });
    const path = onContent(status.playerUrl);
    expect(path).toMatch(/^\/p\/[^/]+\/index\.html$/);
    expect((await content.get(path).expect(200)).text).toContain('Con lắc');
    expect((await content.get(path.replace('index.html', 'data/model.json')).expect(200)).headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('checks an H5P file\'s content and every library it depends on', async () => {
    const good = await upload(await h5pPackage(), 'trac-nghiem.h5p', 'game');
    const ready = await settled(good.fileId);
    expect(ready).toMatchObject({ state: 'ready', kind: 'h5p', title: 'Câu hỏi trắc nghiệm' });
    // Played by h5p-standalone, served from the content origin, on the unpacked file.
    const page = await content.get(onContent(ready.playerUrl)).expect(200);
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.headers['content-security-policy']).toMatch(new RegExp(`frame-ancestors ${APP}$`));
    const settings = JSON.parse(/<script type="application\/json" id="h5p-settings">(.*?)<\/script>/s.exec(page.text)![1]!);
    expect(settings).toMatchObject({ mainJs: '/h5p/main.bundle.js', frameJs: '/h5p/frame.bundle.js', frameCss: '/h5p/styles/h5p.css' });
    expect((await content.get(`${settings.h5pJsonPath}/h5p.json`).expect(200)).body.mainLibrary).toBe('H5P.MultiChoice');
    await content.get(`${settings.h5pJsonPath}/content/content.json`).expect(200);
    expect((await content.get('/h5p/main.bundle.js').expect(200)).headers['content-type']).toContain('javascript');
    await content.get('/h5p/styles/h5p.css').expect(200);
    const missing = await upload(await h5pPackage({ withoutLibrary: 'H5P.Question-1.5' }), 'thieu.h5p', 'game');
    const failed = await settled(missing.fileId);
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain('thiếu thư viện H5P H5P.Question-1.5');
  });
});

describe('packages refused', () => {
  it('refuses at upload an entry that climbs out of the package', async () => {
    const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'elearning' }).expect(201);
    const refused = await server.http.post(`/api/v1/materials/${created.body.id}/files`).set(auth('teacherA1')).attach('file', await zipSlipPackage(), 'x.zip').expect(422);
    expect(refused.body.error.code).toBe('ARCHIVE_UNSAFE');
  });

  const cases: [string, () => Promise<Buffer>, RegExp][] = [
    ['no manifest', noManifestPackage, /không có imsmanifest\.xml \(SCORM\), h5p\.json \(H5P\) hay index\.html \(HTML5\)/],
    ['a launch file that is missing', scormMissingLaunch, /tệp khởi chạy "lesson\/index\.html" ghi trong imsmanifest\.xml không có trong gói/],
    ['duplicate entries', duplicatePackage, /"index\.html" xuất hiện hai lần/],
    ['an archive inside', nestedArchivePackage, /"tai-nguyen\/ban-sao\.zip" là một tệp nén nằm trong gói/],
    ['an archive disguised as a picture', disguisedArchivePackage, /"anh\/hinh\.png" là một tệp nén nằm trong gói/],
    ['an encrypted entry', encryptedPackage, /"index\.html" được mã hoá/],
    ['a zip bomb', () => bombPackage(), /zip bomb/],
    ['a zip bomb whose directory lies', () => lyingBombPackage(), /data\.bin/],
  ];
  for (const [what, make, reason] of cases) {
    it(`ends a package with ${what} as failed, with a Vietnamese reason, leaving nothing unpacked`, async () => {
      const { fileId, sha256 } = await upload(await make(), 'goi.zip');
      const status = await settled(fileId);
      expect(status).toMatchObject({ state: 'failed', playerUrl: null });
      const unpacked: string[] = [];
      for await (const object of server.ctx.storage.list(`packages/${sha256}/`)) unpacked.push(object.key);
      expect(unpacked).toEqual([]);
      expect(status.error).toMatch(/^Gói học liệu tương tác bị từ chối: /);
      expect(status.error).toMatch(reason);
    });
  }

  it('a file that is not a package has no package view', async () => {
    const { fileId } = await upload(Buffer.from('%PDF-1.4\n%%EOF\n'), 'a.pdf', 'document');
    expect((await server.http.get(`/api/v1/files/${fileId}/package`).set(auth('teacherA1')).expect(404)).body.error.code).toBe('NOT_A_PACKAGE');
  });
});

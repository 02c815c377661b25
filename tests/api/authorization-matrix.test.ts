import { sql } from 'drizzle-orm';
import type { Response, Test } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, MATERIAL, PASSWORD, pdfBytes, type World } from '../helpers/world.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The authorisation matrix: every route of the OpenAPI document, called by four people who have no
 * business with province A's unpublished work, against that work. A route without a row fails the
 * suite, so each new route states here who may call it.
 */
const CALLERS = ['anonymous', 'contributorB', 'laterStageReviewer', 'orgAdminB'] as const;
type CallerName = (typeof CALLERS)[number];
/** An expected status, or 'ok' for any 2xx (a public route, or one the caller may use on their own behalf). */
type Outcome = number | 'ok';
type Expected = readonly [Outcome, Outcome, Outcome, Outcome];
interface Caller { name: CallerName; username?: string; headers: Record<string, string> }
interface Row { send: (c: Caller) => Test | Promise<Response>; expect: Expected }

const everyone = (outcome: Outcome): Expected => [outcome, outcome, outcome, outcome];
/** 401 without a token; `outcome` for each signed-in caller. */
const signedIn = (outcome: Outcome): Expected => [401, outcome, outcome, outcome];
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const MARKER = 'BIMAT-A';

let server: TestServer;
let world: World;
let f: Awaited<ReturnType<typeof provinceAWork>>;
const callers = {} as Record<CallerName, Caller>;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  world = await createWorld(server, ['teacherA1', 'teacherB1', 'reviewerA1', 'reviewerGdpt', 'orgAdminA', 'publisherA']);
  await server.http.post('/api/v1/users').set(auth('admin'))
    .send({ username: 'orgAdminB', password: PASSWORD, displayName: 'Quản trị Sở B', orgCode: 'sgd-b', roles: ['org-admin'] }).expect(201);
  const orgAdminB = (await server.http.post('/api/v1/auth/login').send({ username: 'orgAdminB', password: PASSWORD }).expect(200)).body.token as string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  callers.anonymous = { name: 'anonymous', headers: {} };
  callers.contributorB = { name: 'contributorB', username: 'teacherB1', headers: auth('teacherB1') };
  callers.laterStageReviewer = { name: 'laterStageReviewer', username: 'reviewerGdpt', headers: auth('reviewerGdpt') };
  callers.orgAdminB = { name: 'orgAdminB', username: 'orgAdminB', headers: bearer(orgAdminB) };
  f = await provinceAWork();
});
afterAll(async () => server?.close());

/** Province A's unpublished work, one of each kind of thing a route can point at. */
async function provinceAWork() {
  const material = async (fields: Record<string, unknown> = {}) =>
    (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, title: `${MARKER} ${MATERIAL.title}`, ...fields }).expect(201)).body.id as string;
  const addFile = async (id: string) =>
    (await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes(id), `${MARKER}.pdf`).expect(201)).body.id as string;
  // In review at its first stage (the school): its task is not the later stage's, nor anyone's of province B.
  const inReview = await material();
  const file = await addFile(inReview);
  await server.http.post(`/api/v1/materials/${inReview}/submit`).set(auth('teacherA1')).expect(200);
  const task = (await server.http.get('/api/v1/review/tasks').set(auth('reviewerA1')).expect(200)).body.items[0].id as string;
  const draft = await material();
  const draftFile = await addFile(draft);
  const bank = await material({ type: 'question-bank' });
  await server.http.post(`/api/v1/materials/${bank}/questions/import`).set(auth('teacherA1')).attach('file', Buffer.from(MOODLE_WITH_PICTURE), 'bank.xml').expect(200);
  const question = (await server.http.get(`/api/v1/materials/${bank}/questions`).set(auth('teacherA1')).expect(200)).body.items[0].id as string;
  const test = (await server.http.post('/api/v1/tests/generate').set(auth('teacherA1')).send({ title: MARKER, banks: [bank], matrix: [{ count: 1 }] }).expect(201)).body.id as string;
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const upload = (await server.http.post('/api/v1/uploads').set({ 'tus-resumable': '1.0.0', 'upload-length': '100', 'upload-metadata': `materialId ${b64(draft)},filename ${b64('a.pdf')}`, ...auth('teacherA1') }).expect(201)).headers.location as string;
  // Collections are public by design; the one of province A is a target for writes.
  const collection = (await server.http.post('/api/v1/collections').set(auth('orgAdminA')).send({ title: 'Bộ sưu tập của Sở A' }).expect(201)).body.id as string;
  const channel = (await server.http.post('/api/v1/publishing/youtube/channels').set(auth('orgAdminA'))
    .send({ name: `${MARKER} kênh`, clientId: 'client-a', clientSecret: 'secret-a', orgCode: 'sgd-a' }).expect(201)).body.id as string;
  await server.http.post('/api/v1/publishing/broadcast/channels').set(auth('publisherA')).send({ code: 'kenh-a', name: 'Kênh A', kind: 'tv' }).expect(201);
  // An export on A's channel, as the trail of a lesson since withdrawn would leave it (only a published lesson can be exported).
  const exported = await server.ctx.db.db.execute<{ id: string }>(sql`
    INSERT INTO youtube_exports (material_id, version_id, version, channel_id, requested_by, privacy)
    SELECT material_id, id, version, ${channel}, ${world.ids.publisherA}, 'private' FROM material_versions WHERE material_id = ${inReview} RETURNING id`);
  return {
    inReview, file, task, draft, draftFile, bank, question, test, upload: new URL(upload, 'http://x').pathname, collection, channel,
    export: exported.rows[0]!.id, teacherA1: world.ids.teacherA1,
    // The school's reviewer heard of the submission: a notification that is nobody else's.
    notification: (await server.ctx.db.db.execute<{ id: string }>(sql`SELECT id FROM notifications WHERE user_id = ${world.ids.reviewerA1} LIMIT 1`)).rows[0]!.id,
  };
}

const MOODLE_WITH_PICTURE = `<?xml version="1.0" encoding="UTF-8"?><quiz><question type="truefalse"><name><text>${MARKER}</text></name>
<questiontext format="html"><text><![CDATA[<p>Hình <img src="@@PLUGINFILE@@/hinh.png"></p>]]></text><file name="hinh.png" path="/" encoding="base64">iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==</file></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>`;

const tus = (c: Caller) => ({ 'tus-resumable': '1.0.0', ...c.headers });
const get = (c: Caller, url: string) => server.http.get(url).set(c.headers);
const post = (c: Caller, url: string, body: object = {}) => server.http.post(url).set(c.headers).send(body);

/** One row per route of the OpenAPI document: the call, and the answer for each of CALLERS in order. */
function rows(): Record<string, Row> {
  const m = `/api/v1/materials/${f.inReview}`;
  const d = `/api/v1/materials/${f.draft}`;
  const q = `/api/v1/materials/${f.bank}/questions`;
  const file = `/api/v1/files/${f.file}`;
  const yt = `/api/v1/publishing/youtube/channels/${f.channel}`;
  const slot = { channelCode: 'kenh-a', materialId: f.inReview, start: '2030-01-01T19:00:00+07:00' };
  return {
    'GET /api/v1/health': { send: (c) => get(c, '/api/v1/health'), expect: everyone('ok') },
    'GET /api/v1/ready': { send: (c) => get(c, '/api/v1/ready'), expect: everyone('ok') },
    'POST /api/v1/auth/login': { send: (c) => post(c, '/api/v1/auth/login', { username: 'teacherA1', password: 'not-the-password-1' }), expect: everyone(401) },
    // With a session of its own, so the caller's token lives on for the other rows.
    'POST /api/v1/auth/logout': {
      send: async (c) => {
        if (!c.username) return post(c, '/api/v1/auth/logout');
        const token = (await server.http.post('/api/v1/auth/login').send({ username: c.username, password: PASSWORD }).expect(200)).body.token;
        return server.http.post('/api/v1/auth/logout').set({ authorization: `Bearer ${token}` });
      },
      expect: signedIn('ok'),
    },
    'GET /api/v1/me': { send: (c) => get(c, '/api/v1/me'), expect: signedIn('ok') },
    // Each signed-in person's own; here, without the current password, it changes nothing.
    'POST /api/v1/me/password': { send: (c) => post(c, '/api/v1/me/password', { currentPassword: 'not-the-password-1', newPassword: 'Mot-mat-khau-moi-9' }), expect: signedIn(400) },
    // An org-admin lists the people of their own subtree, not province A's.
    'GET /api/v1/users': { send: (c) => get(c, '/api/v1/users?org=sgd-a'), expect: signedIn(403) },
    'GET /api/v1/users/{id}': { send: (c) => get(c, `/api/v1/users/${f.teacherA1}`), expect: signedIn(403) },
    'POST /api/v1/users/{id}/password-reset': { send: (c) => post(c, `/api/v1/users/${f.teacherA1}/password-reset`), expect: signedIn(403) },
    // Province B's org-admin may import, but not into province A's schools: every row refused, nothing created.
    'POST /api/v1/users/import': {
      send: (c) => server.http.post('/api/v1/users/import').set(c.headers).attach('file', Buffer.from(`username,displayName,orgCode,roles\nu-${c.name.toLowerCase()},X,thcs-a1,contributor\n`), 'ds.csv'),
      expect: [401, 403, 403, 422],
    },
    // Each caller's own inbox; province A's reviewer's notification is not theirs to mark.
    'GET /api/v1/notifications': { send: (c) => get(c, '/api/v1/notifications'), expect: signedIn('ok') },
    'POST /api/v1/notifications/{id}/read': { send: (c) => post(c, `/api/v1/notifications/${f.notification}/read`), expect: signedIn(404) },
    'POST /api/v1/notifications/read-all': { send: (c) => post(c, '/api/v1/notifications/read-all'), expect: signedIn('ok') },
    'PATCH /api/v1/users/{id}': { send: (c) => server.http.patch(`/api/v1/users/${f.teacherA1}`).set(c.headers).send({ active: false }), expect: signedIn(403) },
    'POST /api/v1/orgs': { send: (c) => post(c, '/api/v1/orgs', { code: `x-${c.name.toLowerCase()}`, name: 'X', kind: 'school', parentCode: 'sgd-a' }), expect: signedIn(403) },
    'GET /api/v1/orgs': { send: (c) => get(c, '/api/v1/orgs'), expect: everyone('ok') },
    'GET /api/v1/orgs/{code}': { send: (c) => get(c, '/api/v1/orgs/sgd-a'), expect: everyone('ok') },
    'POST /api/v1/orgs/{code}/move': { send: (c) => post(c, '/api/v1/orgs/thcs-a1/move', { parentCode: 'sgd-b' }), expect: signedIn(403) },
    // Province A's orgs are not theirs to rename, preview, merge, nor its trail to read (no If-Match needed to be refused).
    'PATCH /api/v1/orgs/{code}': { send: (c) => server.http.patch('/api/v1/orgs/thcs-a1').set(c.headers).send({ name: 'Đã bị đổi' }), expect: signedIn(403) },
    'GET /api/v1/orgs/{code}/move-preview': { send: (c) => get(c, '/api/v1/orgs/thcs-a1/move-preview?to=sgd-b&mode=merge'), expect: signedIn(403) },
    'POST /api/v1/orgs/{code}/merge': { send: (c) => post(c, '/api/v1/orgs/thcs-a1/merge', { into: 'thcs-a2' }), expect: signedIn(403) },
    'GET /api/v1/audit': { send: (c) => get(c, '/api/v1/audit?org=sgd-a'), expect: signedIn(403) },
    'POST /api/v1/users': {
      send: (c) => post(c, '/api/v1/users', { username: `u-${c.name}`, password: 'Mot-mat-khau-dai-9', displayName: 'X', orgCode: 'thcs-a1', roles: ['contributor'] }),
      expect: signedIn(403),
    },
    'GET /api/v1/taxonomy': { send: (c) => get(c, '/api/v1/taxonomy'), expect: everyone('ok') },
    // A contributor creates their own material; the others hold no contributor role.
    'POST /api/v1/materials': { send: (c) => post(c, '/api/v1/materials', MATERIAL), expect: [401, 'ok', 403, 403] },
    // Each caller's own materials: none of province A's.
    'GET /api/v1/materials': { send: (c) => get(c, '/api/v1/materials?mine=true'), expect: signedIn('ok') },
    'GET /api/v1/materials/{id}': { send: (c) => get(c, m), expect: everyone(404) },
    'PATCH /api/v1/materials/{id}': { send: (c) => server.http.patch(d).set(c.headers).send({ title: 'Đã bị sửa' }), expect: signedIn(404) },
    'POST /api/v1/materials/{id}/submit': { send: (c) => post(c, `${d}/submit`), expect: signedIn(404) },
    'POST /api/v1/materials/{id}/revise': { send: (c) => post(c, `${m}/revise`), expect: signedIn(404) },
    'POST /api/v1/materials/{id}/archive': { send: (c) => post(c, `${d}/archive`), expect: signedIn(404) },
    'GET /api/v1/materials/{id}/history': { send: (c) => get(c, `${m}/history`), expect: signedIn(404) },
    'POST /api/v1/materials/{id}/files': { send: (c) => server.http.post(`${d}/files`).set(c.headers).attach('file', pdfBytes('lạ'), 'la.pdf'), expect: signedIn(404) },
    'DELETE /api/v1/materials/{id}/files/{fileId}': { send: (c) => server.http.delete(`${d}/files/${f.draftFile}`).set(c.headers), expect: signedIn(404) },
    'POST /api/v1/uploads': {
      send: (c) => server.http.post('/api/v1/uploads').set({ ...tus(c), 'upload-length': '10', 'upload-metadata': `materialId ${Buffer.from(f.draft).toString('base64')}` }),
      expect: signedIn(404),
    },
    'OPTIONS /api/v1/uploads': { send: (c) => server.http.options('/api/v1/uploads').set(tus(c)), expect: everyone('ok') },
    'HEAD /api/v1/uploads/{id}': { send: (c) => server.http.head(f.upload).set(tus(c)), expect: signedIn(404) },
    'PATCH /api/v1/uploads/{id}': {
      send: (c) => server.http.patch(f.upload).set({ ...tus(c), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }).send(Buffer.from('%PDF-1.4\n')),
      expect: signedIn(404),
    },
    'DELETE /api/v1/uploads/{id}': { send: (c) => server.http.delete(f.upload).set(tus(c)), expect: signedIn(404) },
    'OPTIONS /api/v1/uploads/{id}': { send: (c) => server.http.options(f.upload).set(tus(c)), expect: everyone('ok') },
    'GET /api/v1/files/{id}/content': { send: (c) => get(c, `${file}/content`), expect: everyone(404) },
    'GET /api/v1/files/{id}/renditions': { send: (c) => get(c, `${file}/renditions`), expect: everyone(404) },
    'GET /api/v1/files/{id}/renditions/{renditionId}': { send: (c) => get(c, `${file}/renditions/${NO_SUCH_ID}`), expect: everyone(404) },
    'GET /api/v1/files/{id}/hls/{*}': { send: (c) => get(c, `${file}/hls/master.m3u8`), expect: everyone(404) },
    'GET /api/v1/files/{id}/poster': { send: (c) => get(c, `${file}/poster`), expect: everyone(404) },
    'GET /api/v1/files/{id}/qc': { send: (c) => get(c, `${file}/qc`), expect: everyone(404) },
    'GET /api/v1/files/{id}/document': { send: (c) => get(c, `${file}/document?text=true`), expect: everyone(404) },
    'GET /api/v1/files/{id}/document/pdf': { send: (c) => get(c, `${file}/document/pdf`), expect: everyone(404) },
    'GET /api/v1/files/{id}/document/pages/{page}': { send: (c) => get(c, `${file}/document/pages/1`), expect: everyone(404) },
    'GET /api/v1/files/{id}/package': { send: (c) => get(c, `${file}/package`), expect: everyone(404) },
    'GET /api/v1/files/{id}/attempts/me': { send: (c) => get(c, `${file}/attempts/me`), expect: signedIn(404) },
    'GET /api/v1/jobs': { send: (c) => get(c, '/api/v1/jobs'), expect: signedIn(403) },
    'POST /api/v1/jobs/{id}/retry': { send: (c) => post(c, `/api/v1/jobs/${NO_SUCH_ID}/retry`), expect: signedIn(403) },
    'POST /api/v1/jobs/{id}/cancel': { send: (c) => post(c, `/api/v1/jobs/${NO_SUCH_ID}/cancel`), expect: signedIn(403) },
    'POST /api/v1/materials/{id}/questions/import': {
      send: (c) => server.http.post(`${q}/import`).set(c.headers).attach('file', Buffer.from(MOODLE_WITH_PICTURE), 'lạ.xml'),
      expect: signedIn(404),
    },
    'GET /api/v1/materials/{id}/questions': { send: (c) => get(c, q), expect: everyone(404) },
    'GET /api/v1/materials/{id}/questions/summary': { send: (c) => get(c, `${q}/summary`), expect: everyone(404) },
    'GET /api/v1/materials/{id}/questions/export': { send: (c) => get(c, `${q}/export?format=gift`), expect: everyone(404) },
    'GET /api/v1/materials/{id}/questions/export/report': { send: (c) => get(c, `${q}/export/report?format=gift`), expect: everyone(404) },
    'GET /api/v1/questions/{id}/assets/{name}': { send: (c) => get(c, `/api/v1/questions/${f.question}/assets/hinh.png`), expect: everyone(404) },
    'GET /api/v1/questions/templates/xlsx': { send: (c) => get(c, '/api/v1/questions/templates/xlsx'), expect: everyone('ok') },
    'POST /api/v1/tests/generate': { send: (c) => post(c, '/api/v1/tests/generate', { banks: [f.bank], matrix: [{ count: 1 }] }), expect: signedIn(404) },
    'GET /api/v1/tests/{id}': { send: (c) => get(c, `/api/v1/tests/${f.test}`), expect: signedIn(404) },
    'GET /api/v1/tests/{id}/export': { send: (c) => get(c, `/api/v1/tests/${f.test}/export?format=gift`), expect: signedIn(404) },
    // The later stage's reviewer has a queue of their own, without the task.
    'GET /api/v1/review/tasks': { send: (c) => get(c, '/api/v1/review/tasks'), expect: [401, 403, 'ok', 403] },
    'GET /api/v1/review/tasks/{id}': { send: (c) => get(c, `/api/v1/review/tasks/${f.task}`), expect: signedIn(403) },
    'POST /api/v1/review/tasks/{id}/claim': { send: (c) => post(c, `/api/v1/review/tasks/${f.task}/claim`), expect: signedIn(403) },
    'POST /api/v1/review/tasks/{id}/release': { send: (c) => post(c, `/api/v1/review/tasks/${f.task}/release`), expect: signedIn(403) },
    'POST /api/v1/review/tasks/{id}/decision': { send: (c) => post(c, `/api/v1/review/tasks/${f.task}/decision`, { decision: 'approve' }), expect: signedIn(403) },
    'GET /api/v1/search': { send: (c) => get(c, `/api/v1/search?q=${encodeURIComponent(MATERIAL.title)}`), expect: everyone('ok') },
    'GET /api/v1/search/suggest': { send: (c) => get(c, '/api/v1/search/suggest?q=tam'), expect: everyone('ok') },
    // Reviewers and org-admins make their own collections.
    'POST /api/v1/collections': { send: (c) => post(c, '/api/v1/collections', { title: 'Của tôi' }), expect: [401, 403, 'ok', 'ok'] },
    'GET /api/v1/collections': { send: (c) => get(c, '/api/v1/collections'), expect: everyone('ok') },
    'GET /api/v1/collections/{id}': { send: (c) => get(c, `/api/v1/collections/${f.collection}`), expect: everyone('ok') },
    'POST /api/v1/collections/{id}/items': { send: (c) => post(c, `/api/v1/collections/${f.collection}/items`, { materialId: f.inReview }), expect: signedIn(403) },
    'POST /api/v1/publishing/youtube/channels': {
      send: (c) => post(c, '/api/v1/publishing/youtube/channels', { name: 'Kênh lạ', clientId: 'x', clientSecret: 'y', orgCode: 'sgd-a' }),
      expect: signedIn(403),
    },
    'GET /api/v1/publishing/youtube/channels': { send: (c) => get(c, '/api/v1/publishing/youtube/channels'), expect: signedIn('ok') },
    'GET /api/v1/publishing/youtube/channels/{id}': { send: (c) => get(c, yt), expect: signedIn(404) },
    'PATCH /api/v1/publishing/youtube/channels/{id}': { send: (c) => server.http.patch(yt).set(c.headers).send({ settings: { privacy: 'public' } }), expect: signedIn(404) },
    'DELETE /api/v1/publishing/youtube/channels/{id}': { send: (c) => server.http.delete(yt).set(c.headers), expect: signedIn(404) },
    'GET /api/v1/publishing/youtube/channels/{id}/authorize': { send: (c) => get(c, `${yt}/authorize`), expect: signedIn(404) },
    'GET /api/v1/publishing/youtube/oauth/callback': { send: (c) => get(c, '/api/v1/publishing/youtube/oauth/callback?code=c&state=forged'), expect: everyone(400) },
    // A's channel is not theirs to use: it does not exist for them.
    'POST /api/v1/publishing/youtube/exports': { send: (c) => post(c, '/api/v1/publishing/youtube/exports', { materialId: f.inReview, channelId: f.channel }), expect: signedIn(404) },
    'GET /api/v1/publishing/youtube/exports': { send: (c) => get(c, '/api/v1/publishing/youtube/exports'), expect: signedIn('ok') },
    'POST /api/v1/publishing/youtube/exports/bulk': { send: (c) => post(c, '/api/v1/publishing/youtube/exports/bulk', { channelId: f.channel, collectionId: f.collection }), expect: signedIn(404) },
    'GET /api/v1/publishing/youtube/exports/{id}': { send: (c) => get(c, `/api/v1/publishing/youtube/exports/${f.export}`), expect: everyone(404) },
    'POST /api/v1/publishing/broadcast/channels': { send: (c) => post(c, '/api/v1/publishing/broadcast/channels', { code: 'kenh-la', name: 'Lạ', kind: 'tv', orgCode: 'sgd-a' }), expect: signedIn(403) },
    'GET /api/v1/publishing/broadcast/channels': { send: (c) => get(c, '/api/v1/publishing/broadcast/channels'), expect: everyone('ok') },
    'POST /api/v1/publishing/broadcast/slots': { send: (c) => post(c, '/api/v1/publishing/broadcast/slots', slot), expect: signedIn(403) },
    'POST /api/v1/publishing/broadcast/slots/import': { send: (c) => post(c, '/api/v1/publishing/broadcast/slots/import', { slots: [slot] }), expect: signedIn(403) },
    'POST /api/v1/publishing/broadcast/slots/{id}/status': { send: (c) => post(c, `/api/v1/publishing/broadcast/slots/${NO_SUCH_ID}/status`, { status: 'aired' }), expect: signedIn(403) },
    'PATCH /api/v1/publishing/broadcast/slots/{id}': { send: (c) => server.http.patch(`/api/v1/publishing/broadcast/slots/${NO_SUCH_ID}`).set(c.headers).send({ start: '2030-01-07T19:00:00+07:00' }), expect: signedIn(403) },
    'DELETE /api/v1/publishing/broadcast/slots/{id}': { send: (c) => server.http.delete(`/api/v1/publishing/broadcast/slots/${NO_SUCH_ID}`).set(c.headers), expect: signedIn(403) },
    'GET /api/v1/publishing/broadcast/schedule': { send: (c) => get(c, '/api/v1/publishing/broadcast/schedule'), expect: everyone('ok') },
    'GET /api/v1/materials/{id}/broadcasts': { send: (c) => get(c, `${m}/broadcasts`), expect: everyone(404) },
  };
}

/** What province A's work looks like in the database: refused calls must leave it as it was. */
async function stateOfProvinceAWork() {
  const ids = [f.inReview, f.draft, f.bank];
  const rowsOf = async (query: ReturnType<typeof sql>) => (await server.ctx.db.db.execute(query)).rows;
  const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  return {
    materials: await rowsOf(sql`SELECT to_jsonb(m) AS row FROM materials m WHERE id IN (${list}) ORDER BY id`),
    versions: await rowsOf(sql`SELECT to_jsonb(v) AS row FROM material_versions v WHERE material_id IN (${list}) ORDER BY id`),
    files: await rowsOf(sql`SELECT to_jsonb(x) AS row FROM version_files x JOIN material_versions v ON v.id = x.version_id WHERE v.material_id IN (${list}) ORDER BY x.id`),
    tasks: await rowsOf(sql`SELECT to_jsonb(t) AS row FROM review_tasks t WHERE material_id IN (${list}) ORDER BY id`),
    questions: await rowsOf(sql`SELECT count(*)::int AS n, md5(string_agg(q::text, '' ORDER BY q.id)) AS digest FROM questions q JOIN material_versions v ON v.id = q.version_id WHERE v.material_id = ${f.bank}`),
    trail: await rowsOf(sql`SELECT count(*)::int AS n FROM audit_events WHERE material_id IN (${list})`),
    collection: await rowsOf(sql`SELECT (SELECT to_jsonb(c) FROM collections c WHERE id = ${f.collection}) AS row, (SELECT count(*)::int FROM collection_items WHERE collection_id = ${f.collection}) AS items`),
    channel: await rowsOf(sql`SELECT to_jsonb(y) AS row FROM youtube_channels y WHERE id = ${f.channel}`),
    export: await rowsOf(sql`SELECT to_jsonb(e) AS row FROM youtube_exports e WHERE id = ${f.export}`),
    teacher: await rowsOf(sql`SELECT to_jsonb(u) - 'updated_at' AS row FROM users u WHERE id = ${f.teacherA1}`),
    notification: await rowsOf(sql`SELECT to_jsonb(n) AS row FROM notifications n WHERE id = ${f.notification}`),
    resets: await rowsOf(sql`SELECT count(*)::int AS n FROM password_resets`),
    counts: await rowsOf(sql`SELECT (SELECT count(*) FROM org_units)::int AS orgs, (SELECT count(*) FROM users)::int AS users,
      (SELECT count(*) FROM generated_tests)::int AS tests, (SELECT count(*) FROM youtube_channels)::int AS youtube, (SELECT count(*) FROM youtube_exports)::int AS exports,
      (SELECT count(*) FROM broadcast_channels)::int AS broadcast, (SELECT count(*) FROM broadcast_slots)::int AS slots`),
    upload: (await server.http.head(f.upload).set({ 'tus-resumable': '1.0.0', ...auth('teacherA1') })).headers['upload-offset'],
  };
}

describe('authorisation matrix: every route × four callers with no business with province A\'s unpublished work', () => {
  it('has a row for every route of the OpenAPI document, and no row for a route that is gone', () => {
    const table = rows();
    const documented = openApiRoutes();
    expect(documented.filter((route) => !(route in table)), 'routes without a row in the matrix').toEqual([]);
    expect(Object.keys(table).filter((route) => !documented.includes(route)), 'rows for routes no longer in the OpenAPI document').toEqual([]);
  });

  it('answers each caller as the table says, leaks nothing in what it allows, and writes nothing it refuses', async () => {
    const before = await stateOfProvinceAWork();
    const table = rows();
    const wrong: string[] = [];
    // A 404 must come from the route refusing, not from a URL that matched no route at all.
    const unrouted = (await server.http.get('/api/v1/khong-co-duong-nay').expect(404)).text;
    for (const route of openApiRoutes().filter((r) => r in table)) {
      const row = table[route]!;
      for (const [i, name] of CALLERS.entries()) {
        const res = await row.send(callers[name]);
        const expected = row.expect[i]!;
        const ok = expected === 'ok' ? res.status >= 200 && res.status < 300 : res.status === expected;
        if (!ok) wrong.push(`${route} as ${name}: expected ${expected}, got ${res.status} ${res.body?.error?.code ?? ''}`);
        if (res.status === 404 && res.text === unrouted) wrong.push(`${route} as ${name}: the request matched no route`);
        const leaked = [MARKER, f.inReview, f.draft, f.bank, f.file, f.task, f.test, f.channel, f.export, f.teacherA1, f.notification].filter((secret) => res.status < 300 && (res.text ?? '').includes(secret));
        if (leaked.length) wrong.push(`${route} as ${name}: the answer shows ${leaked.join(', ')}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await stateOfProvinceAWork()).toEqual(before);
  });
});

function openApiRoutes(): string[] {
  const doc = server.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
}

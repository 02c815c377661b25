import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testVideo } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { approveAsReviewer, createWorld, MATERIAL, type World } from '../helpers/world.js';

/** Moving a broadcast slot (PATCH /api/v1/publishing/broadcast/slots/:id): same length, same overlap rule as a new slot. */
let server: TestServer;
let world: World;
let lessonId: string;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const SLOTS = '/api/v1/publishing/broadcast/slots';
const TITLE = 'Hàm số bậc nhất';

async function slot(start: string, end?: string): Promise<{ id: string; start: string; end: string }> {
  return (await server.http.post(SLOTS).set(auth('publisherBgd')).send({ channelCode: 'vtv7', materialId: lessonId, start, ...(end ? { end } : {}) }).expect(201)).body;
}

beforeAll(async () => {
  server = await startTestServer({ env: { QC_BLOCKS_SUBMISSION: 'false' } });
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt', 'publisherBgd', 'publisherB']);
  lessonId = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'tv-lesson', title: TITLE }).expect(201)).body.id;
  await server.http.post(`/api/v1/materials/${lessonId}/files`).set(auth('teacherA1')).attach('file', await testVideo(4), 'bai.mp4').expect(201);
  await eventually(async () => (await server.http.get(`/api/v1/materials/${lessonId}`).set(auth('teacherA1')).expect(200)).body.files[0].processing?.state === 'ready', 120_000);
  await server.http.post(`/api/v1/materials/${lessonId}/submit`).set(auth('teacherA1')).expect(200);
  for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) await approveAsReviewer(server, world, reviewer, lessonId);
  await server.http.post('/api/v1/publishing/broadcast/channels').set(auth('publisherBgd')).send({ code: 'vtv7', name: 'VTV7', kind: 'tv' }).expect(201);
}, 240_000);
afterAll(async () => server?.close());

describe('moving a slot', () => {
  it('keeps its length, may overlap its own old time, and is refused onto another slot with that slot named', async () => {
    const first = await slot('2030-03-04T19:00:00+07:00', '2030-03-04T19:30:00+07:00');
    const second = await slot('2030-03-04T20:00:00+07:00', '2030-03-04T20:30:00+07:00');
    const later = await server.http.patch(`${SLOTS}/${first.id}`).set(auth('publisherBgd')).send({ start: '2030-03-04T19:10:00+07:00' }).expect(200);
    expect(later.body).toMatchObject({ id: first.id, start: '2030-03-04T19:10:00+07:00', end: '2030-03-04T19:40:00+07:00', status: 'scheduled' });

    const clash = await server.http.patch(`${SLOTS}/${first.id}`).set(auth('publisherBgd')).send({ start: '2030-03-04T13:15:00Z' }).expect(409);
    expect(clash.body.error).toMatchObject({
      code: 'BROADCAST_OVERLAP', message: `Trùng lịch trên kênh vtv7: "${TITLE}" phát từ 20:00 04/03/2030 đến 20:30 04/03/2030 (giờ Việt Nam).`,
      details: { clash: { slotId: second.id, start: '2030-03-04T20:00:00+07:00', end: '2030-03-04T20:30:00+07:00' } },
    });
    // Nothing moved: the refused slot is where it was.
    const schedule = await server.http.get('/api/v1/publishing/broadcast/schedule?channel=vtv7&from=2030-03-04T00:00:00%2B07:00&to=2030-03-05T00:00:00%2B07:00').expect(200);
    expect(schedule.body.items.map((s: { start: string }) => s.start)).toEqual(['2030-03-04T19:10:00+07:00', '2030-03-04T20:00:00+07:00']);
    // Back to back is not an overlap.
    await server.http.patch(`${SLOTS}/${first.id}`).set(auth('publisherBgd')).send({ start: '2030-03-04T19:30:00+07:00' }).expect(200);
  });

  it('is refused for a slot that has started, and to callers who do not plan the channel', async () => {
    const past = await slot('2020-03-04T19:00:00+07:00');
    const locked = await server.http.patch(`${SLOTS}/${past.id}`).set(auth('publisherBgd')).send({ start: '2030-05-01T19:00:00+07:00' }).expect(422);
    expect(locked.body.error.code).toBe('BROADCAST_SLOT_MOVE_LOCKED');
    const future = await slot('2030-04-01T19:00:00+07:00');
    const body = { start: '2030-04-02T19:00:00+07:00' };
    await server.http.patch(`${SLOTS}/${future.id}`).send(body).expect(401);
    await server.http.patch(`${SLOTS}/${future.id}`).set(auth('teacherA1')).send(body).expect(403);
    await server.http.patch(`${SLOTS}/${future.id}`).set(auth('publisherB')).send(body).expect(403);
    await server.http.patch(`${SLOTS}/00000000-0000-4000-8000-000000000000`).set(auth('publisherBgd')).send(body).expect(404);
    await server.http.patch(`${SLOTS}/${future.id}`).set(auth('publisherBgd')).send({ start: 'ngày mai' }).expect(400);
    await server.http.patch(`${SLOTS}/${future.id}`).set(auth('publisherBgd')).send({ ...body, end: '2030-04-02T20:00:00+07:00' }).expect(400);
    const history = await server.http.get(`/api/v1/materials/${lessonId}/broadcasts`).expect(200);
    expect(history.body.items.find((s: { id: string }) => s.id === future.id).start).toBe('2030-04-01T19:00:00+07:00');
  });
});

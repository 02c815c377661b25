import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, probeJson, testVideo } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

const SCHEDULE = '/api/v1/publishing/broadcast/schedule';
const SLOTS = '/api/v1/publishing/broadcast/slots';
const CHANNELS = '/api/v1/publishing/broadcast/channels';

// Markup, an ampersand, quotes and an emoji: the XMLTV and iCalendar outputs must carry them intact.
const TRICKY_TITLE = 'Tam giác đồng dạng <luyện tập> & "ôn tập" 📐';
const TRICKY_SLUG = 'tam-giac-dong-dang-luyen-tap-on-tap';

/** XMLTV's own validator, from Debian's xmltv-util (.ci/run installs it), with the DTD it ships: no network. */
const TV_VALIDATE_FILE = '/usr/bin/tv_validate_file';
const XMLTV_DTD = '/usr/share/xmltv/xmltv.dtd';

/** Every lesson shares one real clip, so it is processed once; its duration is measured independently with ffprobe. */
let clip: Buffer;
let clipSeconds: number;
let audio: Buffer;
const lessons = {} as Record<'triangles' | 'equations' | 'sgdA' | 'radio' | 'draft' | 'document', string>;

async function approve(reviewer: keyof World['tokens'], materialId: string) {
  const list = await server.http.get('/api/v1/review/tasks?status=open').set(auth(reviewer)).expect(200);
  const task = list.body.items.find((t: { materialId: string }) => t.materialId === materialId);
  expect(task, `${reviewer} sees a task for ${materialId}`).toBeDefined();
  await server.http.post(`/api/v1/review/tasks/${task.id}/claim`).set(auth(reviewer)).expect(200);
  await server.http.post(`/api/v1/review/tasks/${task.id}/decision`).set(auth(reviewer)).send({ decision: 'approve' }).expect(200);
}

/** A material with its media processed and, unless `draft`, through the three review stages to published. */
async function lesson(fields: Partial<typeof MATERIAL>, bytes: Buffer, fileName: string, options: { draft?: boolean } = {}): Promise<string> {
  const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, ...fields }).expect(201)).body;
  await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', bytes, fileName).expect(201);
  await eventually(async () => {
    const shown = await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200);
    const state = shown.body.files[0].processing?.state;
    expect(state).not.toBe('failed');
    return state === 'ready';
  }, 120_000);
  if (options.draft) return material.id;
  await server.http.post(`/api/v1/materials/${material.id}/submit`).set(auth('teacherA1')).expect(200);
  await approve('reviewerA1', material.id);
  await approve('reviewerSgdA', material.id);
  await approve('reviewerGdpt', material.id);
  return material.id;
}

const plus = (iso: string, seconds: number) => new Date(new Date(iso).getTime() + seconds * 1000);
/** The API shows instants in Vietnam time, as ISO 8601 with +07:00. */
const vietnam = (date: Date) => new Date(date.getTime() + 7 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+07:00');

async function schedule(query: string) {
  return (await server.http.get(`${SCHEDULE}?${query}`).expect(200)).body as {
    items: Array<{ id: string; channel: { code: string }; start: string; end: string; status: string; episode: number; material: { id: string; title: string; grades: unknown; subject: unknown } }>;
  };
}

beforeAll(async () => {
  // The clips last seconds, not the 10–45 minutes of the TV-lesson profile: the technical check must not block them.
  server = await startTestServer({ env: { QC_BLOCKS_SUBMISSION: 'false' } });
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt', 'publisherBgd', 'publisherA', 'publisherB']);
  clip = await testVideo(6);
  clipSeconds = Number((await probeJson(clip)).format.duration);
  audio = await generate('bai-hoc.mp3', ['-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=44100', '-t', '4', '-c:a', 'libmp3lame']);
  lessons.triangles = await lesson({ type: 'tv-lesson', title: TRICKY_TITLE }, clip, 'tam-giac.mp4');
  lessons.equations = await lesson({ type: 'tv-lesson', title: 'Phương trình bậc nhất một ẩn' }, clip, 'phuong-trinh.mp4');
  lessons.sgdA = await lesson({ type: 'tv-lesson', title: 'Định lí Pythagore' }, clip, 'pythagore.mp4');
  lessons.radio = await lesson({ type: 'audio', title: 'Bài học phát thanh: Tiếng Việt' }, audio, 'bai-hoc.mp3');
  lessons.draft = await lesson({ type: 'tv-lesson', title: 'Bản nháp' }, clip, 'nhap.mp4', { draft: true });
  const document = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201)).body;
  lessons.document = document.id;

  await server.http.post(CHANNELS).set(auth('publisherBgd')).send({ code: 'vtv7', name: 'VTV7 — Kênh Giáo dục Quốc gia', kind: 'tv' }).expect(201);
  await server.http.post(CHANNELS).set(auth('publisherBgd')).send({ code: 'vtv4', name: 'VTV4', kind: 'tv', timezone: 'Europe/Paris' }).expect(201);
  await server.http.post(CHANNELS).set(auth('publisherBgd')).send({ code: 'vov1', name: 'VOV1', kind: 'radio' }).expect(201);
  await server.http.post(CHANNELS).set(auth('publisherA')).send({ code: 'truyen-hinh-a', name: 'Truyền hình tỉnh A', kind: 'tv' }).expect(201);
}, 300_000);
afterAll(async () => server?.close());

describe('broadcast channels', () => {
  it('are created by publishers for their org or an org below, and listed publicly', async () => {
    const created = await server.http.post(CHANNELS).set(auth('publisherBgd')).send({ code: 'phat-thanh-b', name: 'Phát thanh tỉnh B', kind: 'radio', orgCode: 'sgd-b' }).expect(201);
    expect(created.body).toMatchObject({ code: 'phat-thanh-b', kind: 'radio', timezone: 'Asia/Ho_Chi_Minh', orgCode: 'sgd-b' });
    const list = await server.http.get(CHANNELS).expect(200);
    expect(list.body.items.map((c: { code: string }) => c.code)).toEqual(['phat-thanh-b', 'truyen-hinh-a', 'vov1', 'vtv4', 'vtv7']);
    expect(list.body.items.find((c: { code: string }) => c.code === 'truyen-hinh-a').orgCode).toBe('sgd-a');
  });

  it('refuses anonymous callers, contributors, publishers of another province, a taken code and an unknown zone', async () => {
    const body = { code: 'kenh-moi', name: 'Kênh mới', kind: 'tv' };
    await server.http.post(CHANNELS).send(body).expect(401);
    expect((await server.http.post(CHANNELS).set(auth('teacherA1')).send(body).expect(403)).body.error.code).toBe('FORBIDDEN');
    await server.http.post(CHANNELS).set(auth('publisherB')).send({ ...body, orgCode: 'sgd-a' }).expect(403);
    await server.http.post(CHANNELS).set(auth('publisherA')).send({ ...body, orgCode: 'bgddt' }).expect(403);
    const taken = await server.http.post(CHANNELS).set(auth('publisherBgd')).send({ ...body, code: 'vtv7' }).expect(409);
    expect(taken.body.error.code).toBe('BROADCAST_CHANNEL_CODE_TAKEN');
    const zone = await server.http.post(CHANNELS).set(auth('publisherBgd')).send({ ...body, timezone: 'Asia/Hanoi_City' }).expect(400);
    expect(zone.body.error.code).toBe('UNKNOWN_TIMEZONE');
    await server.http.post(CHANNELS).set(auth('publisherBgd')).send({ ...body, code: 'VTV 7' }).expect(400);
  });
});

describe('slots', () => {
  it('end at start + the lesson duration by default, refuse a slot shorter than the lesson, and allow back-to-back lessons', async () => {
    const start = '2030-01-07T19:00:00+07:00';
    const slot = await server.http.post(SLOTS).set(auth('publisherBgd')).send({ channelCode: 'vtv7', materialId: lessons.triangles, start }).expect(201);
    expect(slot.body).toMatchObject({ channel: { code: 'vtv7', kind: 'tv' }, materialId: lessons.triangles, version: 1, status: 'scheduled', start: '2030-01-07T19:00:00+07:00' });
    expect(slot.body.end).toBe(vietnam(plus(start, Math.ceil(clipSeconds))));

    const short = await server.http.post(SLOTS).set(auth('publisherBgd'))
      .send({ channelCode: 'vtv7', materialId: lessons.equations, start: '2030-01-07T20:00:00+07:00', end: '2030-01-07T20:00:03+07:00' }).expect(422);
    expect(short.body.error.code).toBe('BROADCAST_SLOT_TOO_SHORT');
    expect(short.body.error.message).toContain('0:03');

    await server.http.post(SLOTS).set(auth('publisherBgd')).send({ channelCode: 'vtv7', materialId: lessons.equations, start: slot.body.end }).expect(201);
  });

  it('answer an overlap with 409 naming the other lesson and its times in Vietnam time', async () => {
    const clash = await server.http.post(SLOTS).set(auth('publisherBgd'))
      .send({ channelCode: 'vtv7', materialId: lessons.equations, start: '2030-01-07T11:59:58Z', end: '2030-01-07T12:30:00Z' }).expect(409);
    expect(clash.body.error.code).toBe('BROADCAST_OVERLAP');
    expect(clash.body.error.message).toContain(`"${TRICKY_TITLE}"`);
    expect(clash.body.error.message).toContain('từ 19:00 07/01/2030 đến 19:00 07/01/2030');
    expect(clash.body.error.details.clash).toMatchObject({ materialId: lessons.triangles, title: TRICKY_TITLE, start: '2030-01-07T19:00:00+07:00' });
    const english = await server.http.post(SLOTS).set(auth('publisherBgd')).set('accept-language', 'en')
      .send({ channelCode: 'vtv7', materialId: lessons.equations, start: '2030-01-07T19:00:01+07:00' }).expect(409);
    expect(english.body.error.message).toMatch(/^Overlaps on channel vtv7 with "Tam giác/);
    // The same hour on another channel is free.
    await server.http.post(SLOTS).set(auth('publisherBgd')).send({ channelCode: 'vtv4', materialId: lessons.triangles, start: '2030-01-07T19:00:00+07:00' }).expect(201);
  });

  it('let exactly one of two concurrent overlapping requests in; the other learns which lesson won', async () => {
    const start = '2030-02-01T08:00:00+07:00';
    const [first, second] = await Promise.all([
      server.http.post(SLOTS).set(auth('publisherBgd')).send({ channelCode: 'vtv7', materialId: lessons.triangles, start }),
      server.http.post(SLOTS).set(auth('admin')).send({ channelCode: 'vtv7', materialId: lessons.equations, start: '2030-02-01T08:00:02+07:00' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const [winner, loser] = first.status === 201 ? [first, second] : [second, first];
    expect(loser.body.error.code).toBe('BROADCAST_OVERLAP');
    expect(loser.body.error.details.clash.slotId).toBe(winner.body.id);
    const day = await schedule('channel=vtv7&from=2030-02-01T00:00:00%2B07:00&to=2030-02-02T00:00:00%2B07:00');
    expect(day.items.map((i) => i.id)).toEqual([winner.body.id]);
  });

  it('air only published lessons of the channel kind with processed media', async () => {
    const at = (hour: number) => `2030-03-01T${String(hour).padStart(2, '0')}:00:00+07:00`;
    const refuse = async (channelCode: string, materialId: string, status: number) =>
      (await server.http.post(SLOTS).set(auth('publisherBgd')).send({ channelCode, materialId, start: at(9) }).expect(status)).body.error.code;
    expect(await refuse('vtv7', lessons.radio, 422)).toBe('BROADCAST_WRONG_TYPE');
    expect(await refuse('vov1', lessons.triangles, 422)).toBe('BROADCAST_WRONG_TYPE');
    expect(await refuse('vtv7', lessons.draft, 422)).toBe('BROADCAST_NOT_PUBLISHED');
    expect(await refuse('vtv7', lessons.document, 422)).toBe('BROADCAST_NOT_PUBLISHED');
    expect(await refuse('vtv7', '00000000-0000-4000-8000-000000000000', 404)).toBe('NOT_FOUND');
    expect(await refuse('kenh-khong-co', lessons.triangles, 404)).toBe('NOT_FOUND');
    const radio = await server.http.post(SLOTS).set(auth('publisherBgd')).send({ channelCode: 'vov1', materialId: lessons.radio, start: at(9) }).expect(201);
    const audioSeconds = Number((await probeJson(audio, 'a.mp3')).format.duration);
    expect(radio.body.end).toBe(vietnam(plus(at(9), Math.ceil(audioSeconds))));
  });

  it('are managed by publishers of the channel org or above, never by anonymous callers, contributors or other provinces', async () => {
    const body = (channelCode: string, hour: number) => ({ channelCode, materialId: lessons.sgdA, start: `2030-04-01T${hour}:00:00+07:00` });
    await server.http.post(SLOTS).send(body('truyen-hinh-a', 10)).expect(401);
    await server.http.post(SLOTS).set(auth('teacherA1')).send(body('truyen-hinh-a', 10)).expect(403);
    await server.http.post(SLOTS).set(auth('publisherB')).send(body('truyen-hinh-a', 10)).expect(403);
    await server.http.post(SLOTS).set(auth('publisherA')).send(body('vtv7', 10)).expect(403);
    await server.http.post(SLOTS).set(auth('publisherA')).send(body('truyen-hinh-a', 10)).expect(201);
    await server.http.post(SLOTS).set(auth('publisherBgd')).send(body('truyen-hinh-a', 11)).expect(201);
  });
});

describe('after air time', () => {
  it('marks a slot aired or missed only once it started, and deletes only slots still to come', async () => {
    const past = (await server.http.post(SLOTS).set(auth('publisherA')).send({ channelCode: 'truyen-hinh-a', materialId: lessons.sgdA, start: '2024-09-05T08:00:00+07:00' }).expect(201)).body;
    const future = (await server.http.post(SLOTS).set(auth('publisherA')).send({ channelCode: 'truyen-hinh-a', materialId: lessons.sgdA, start: '2031-09-05T08:00:00+07:00' }).expect(201)).body;

    await server.http.post(`${SLOTS}/${past.id}/status`).send({ status: 'aired' }).expect(401);
    await server.http.post(`${SLOTS}/${past.id}/status`).set(auth('teacherA1')).send({ status: 'aired' }).expect(403);
    await server.http.post(`${SLOTS}/${past.id}/status`).set(auth('publisherB')).send({ status: 'aired' }).expect(403);
    await server.http.post(`${SLOTS}/${past.id}/status`).set(auth('publisherA')).send({ status: 'sent' }).expect(400);
    const aired = await server.http.post(`${SLOTS}/${past.id}/status`).set(auth('publisherA')).send({ status: 'aired' }).expect(200);
    expect(aired.body.status).toBe('aired');
    const early = await server.http.post(`${SLOTS}/${future.id}/status`).set(auth('publisherA')).send({ status: 'missed' }).expect(422);
    expect(early.body.error.code).toBe('BROADCAST_SLOT_NOT_STARTED');
    expect(early.body.error.message).toContain('08:00 05/09/2031');

    expect((await server.http.delete(`${SLOTS}/${past.id}`).set(auth('publisherA')).expect(422)).body.error.code).toBe('BROADCAST_SLOT_LOCKED');
    await server.http.delete(`${SLOTS}/${future.id}`).expect(401);
    await server.http.delete(`${SLOTS}/${future.id}`).set(auth('publisherB')).expect(403);
    await server.http.delete(`${SLOTS}/${future.id}`).set(auth('publisherA')).expect(204);
    await server.http.delete(`${SLOTS}/${future.id}`).set(auth('publisherA')).expect(404);

    // The material shows where and when it was broadcast, to anyone who can see it.
    const shown = await server.http.get(`/api/v1/materials/${lessons.sgdA}/broadcasts`).expect(200);
    expect(shown.body.items.find((i: { id: string }) => i.id === past.id)).toEqual({
      id: past.id, channel: { code: 'truyen-hinh-a', name: 'Truyền hình tỉnh A', kind: 'tv' }, version: 1,
      start: '2024-09-05T08:00:00+07:00', end: past.end, status: 'aired',
    });
    expect(shown.body.items.some((i: { id: string }) => i.id === future.id)).toBe(false);
    await server.http.get(`/api/v1/materials/${lessons.draft}/broadcasts`).expect(404);
    await server.http.get(`/api/v1/materials/${lessons.draft}/broadcasts`).set(auth('teacherA1')).expect(200);

    const history = await server.http.get(`/api/v1/materials/${lessons.sgdA}/history`).set(auth('teacherA1')).expect(200);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['broadcast_slot_created', 'broadcast_slot_status', 'broadcast_slot_deleted']));
  });
});

describe('schedule import', () => {
  const row = (channelCode: string, materialId: string, start: string, end?: string) => ({ channelCode, materialId, start, ...(end ? { end } : {}) });

  it('refuses the whole file, reporting every bad row and every overlap with its index, and writes nothing', async () => {
    const window = 'from=2030-05-01T00:00:00%2B07:00&to=2030-05-02T00:00:00%2B07:00';
    await server.http.post(SLOTS).set(auth('publisherBgd')).send(row('vtv7', lessons.equations, '2030-05-01T10:00:00+07:00', '2030-05-01T10:30:00+07:00')).expect(201);
    const before = await schedule(window);
    const file = [
      row('vtv7', lessons.triangles, '2030-05-01T08:00:00+07:00', '2030-05-01T08:30:00+07:00'), // 0: fine alone
      row('vtv7', lessons.equations, '2030-05-01T08:15:00+07:00', '2030-05-01T08:45:00+07:00'), // 1: overlaps row 0
      row('vtv7', lessons.triangles, '2030-05-01T10:20:00+07:00'), //                                2: overlaps the saved 10:00 slot
      row('kenh-khong-co', lessons.triangles, '2030-05-01T12:00:00+07:00'), //                      3: unknown channel
      row('vtv7', lessons.draft, '2030-05-01T13:00:00+07:00'), //                                   4: not published
      row('vtv7', lessons.triangles, '2030-05-01T14:00:00+07:00', '2030-05-01T14:00:02+07:00'), //  5: shorter than the lesson
      row('vov1', lessons.triangles, '2030-05-01T15:00:00+07:00'), //                               6: a TV lesson on radio
      row('vtv7', lessons.equations, '2030-05-01T08:20:00+07:00', '2030-05-01T09:00:00+07:00'), // 7: overlaps rows 0 and 1
    ];
    const refused = await server.http.post(`${SLOTS}/import`).set(auth('publisherBgd')).send({ slots: file }).expect(422);
    expect(refused.body.error.code).toBe('BROADCAST_IMPORT_FAILED');
    const errors = refused.body.error.details.errors as Array<{ index: number; code: string; message: string; clash?: { index?: number; slotId?: string; title: string } }>;
    expect(errors.map((e) => [e.index, e.code])).toEqual([
      [1, 'BROADCAST_OVERLAP_IN_FILE'],
      [2, 'BROADCAST_OVERLAP'],
      [3, 'NOT_FOUND'],
      [4, 'BROADCAST_NOT_PUBLISHED'],
      [5, 'BROADCAST_SLOT_TOO_SHORT'],
      [6, 'BROADCAST_WRONG_TYPE'],
      [7, 'BROADCAST_OVERLAP_IN_FILE'],
      [7, 'BROADCAST_OVERLAP_IN_FILE'],
    ]);
    expect(refused.body.error.message).toContain('8 lỗi');
    expect(errors[0]!.clash).toMatchObject({ index: 0, title: TRICKY_TITLE });
    expect(errors[0]!.message).toContain('dòng 0');
    expect(errors[1]!.clash).toMatchObject({ title: 'Phương trình bậc nhất một ẩn' });
    expect(errors[1]!.message).toContain('10:00 01/05/2030');
    expect(errors.filter((e) => e.index === 7).map((e) => e.clash!.index).sort()).toEqual([0, 1]);
    expect((await schedule(window)).items).toEqual(before.items);

    // A publisher of a province may not slip a national channel into a file.
    const foreign = await server.http.post(`${SLOTS}/import`).set(auth('publisherA')).set('accept-language', 'en')
      .send({ slots: [row('truyen-hinh-a', lessons.sgdA, '2030-05-01T08:00:00+07:00'), row('vtv7', lessons.sgdA, '2030-05-01T12:00:00+07:00')] }).expect(422);
    expect(foreign.body.error.details.errors).toEqual([{ index: 1, code: 'FORBIDDEN', message: 'You are not allowed to do this.' }]);
    expect((await schedule('channel=truyen-hinh-a&' + window)).items).toEqual([]);
    await server.http.post(`${SLOTS}/import`).send({ slots: [row('vtv7', lessons.sgdA, '2030-05-01T12:00:00+07:00')] }).expect(401);
    await server.http.post(`${SLOTS}/import`).set(auth('teacherA1')).send({ slots: [row('vtv7', lessons.sgdA, '2030-05-01T12:00:00+07:00')] }).expect(403);
  });

  it('saves a clean file in one go, and refuses the same file twice', async () => {
    const file = [
      row('vtv7', lessons.triangles, '2030-06-01T08:00:00+07:00'),
      row('vtv7', lessons.equations, '2030-06-01T08:30:00+07:00'),
      row('vov1', lessons.radio, '2030-06-01T08:00:00+07:00'),
    ];
    const saved = await server.http.post(`${SLOTS}/import`).set(auth('publisherBgd')).send({ slots: file }).expect(201);
    expect(saved.body.imported).toBe(3);
    expect(saved.body.slots.map((s: { channel: { code: string }; start: string }) => `${s.channel.code} ${s.start}`))
      .toEqual(['vtv7 2030-06-01T08:00:00+07:00', 'vtv7 2030-06-01T08:30:00+07:00', 'vov1 2030-06-01T08:00:00+07:00']);
    const again = await server.http.post(`${SLOTS}/import`).set(auth('publisherBgd')).send({ slots: file }).expect(422);
    expect(again.body.error.details.errors.map((e: { index: number; code: string }) => `${e.index} ${e.code}`))
      .toEqual(['0 BROADCAST_OVERLAP', '1 BROADCAST_OVERLAP', '2 BROADCAST_OVERLAP']);
  });
});

describe('the public schedule', () => {
  const window = 'from=2030-01-07T00:00:00%2B07:00&to=2030-01-08T00:00:00%2B07:00';

  it('is JSON by default, in Vietnam time, with episode numbers per subject and grade', async () => {
    const day = await schedule(`channel=vtv7&${window}`);
    expect(day.items.map((i) => [i.material.title, i.start, i.episode, i.status])).toEqual([
      [TRICKY_TITLE, '2030-01-07T19:00:00+07:00', 1, 'scheduled'],
      ['Phương trình bậc nhất một ẩn', vietnam(plus('2030-01-07T19:00:00+07:00', Math.ceil(clipSeconds))), 2, 'scheduled'],
    ]);
    expect(day.items[0]!.material).toMatchObject({
      level: { code: 'thcs', name: 'Trung học cơ sở' }, grades: [{ grade: 8, name: 'Lớp 8' }], subject: { code: 'toan', name: 'Toán' },
      series: { code: 'ket-noi-tri-thuc', name: 'Kết nối tri thức với cuộc sống' },
    });
    expect((await schedule(window)).items.map((i) => i.channel.code)).toEqual(['vtv4', 'vtv7', 'vtv7']);
    await server.http.get(`${SCHEDULE}?channel=kenh-khong-co`).expect(404);
    const range = await server.http.get(`${SCHEDULE}?from=2030-01-08T00:00:00Z&to=2030-01-07T00:00:00Z`).expect(400);
    expect(range.body.error.code).toBe('SCHEDULE_RANGE_INVALID');
    await server.http.get(`${SCHEDULE}?from=2030-01-07`).expect(400);
  });

  it('is XMLTV for TV guides: channels, programmes with zone offsets, Vietnamese titles, categories and episode numbers', async () => {
    const response = await server.http.get(`${SCHEDULE}?format=xmltv&${window}`).expect(200);
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(response.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE tv SYSTEM "xmltv.dtd">\n<tv /);
    expect(response.text).toContain('&lt;luyện tập&gt; &amp;');
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => ['channel', 'programme', 'category'].includes(name) }).parse(response.text);
    expect(parsed.tv['@_generator-info-name']).toContain('Hoclieu');
    // Channel ids in the RFC 2838 form (code, then the host of PUBLIC_URL); only channels with a programme in the window.
    const host = new URL(server.ctx.config.publicUrl).hostname;
    const channels = Object.fromEntries(parsed.tv.channel.map((c: any) => [c['@_id'], c['display-name']]));
    expect(channels[`vtv7.${host}`]).toEqual({ '@_lang': 'vi', '#text': 'VTV7 — Kênh Giáo dục Quốc gia' });
    expect(Object.keys(channels).sort()).toEqual([`vtv4.${host}`, `vtv7.${host}`]);

    const [abroad, first, second] = parsed.tv.programme;
    expect(first['@_channel']).toBe(`vtv7.${host}`);
    expect(first['@_start']).toBe('20300107190000 +0700');
    expect(first['@_stop']).toBe(`20300107${19_00_00 + Math.ceil(clipSeconds)} +0700`);
    expect(first.title).toEqual({ '@_lang': 'vi', '#text': TRICKY_TITLE });
    expect(first.desc).toEqual({ '@_lang': 'vi', '#text': MATERIAL.description });
    expect(first.category.map((c: any) => [c['@_lang'], c['#text']])).toEqual([['vi', 'Trung học cơ sở'], ['vi', 'Lớp 8'], ['vi', 'Toán']]);
    expect(first['episode-num']).toEqual({ '@_system': 'onscreen', '#text': 'Tập 1' });
    expect(first.url).toBe(`${server.ctx.config.publicUrl}/hoc-lieu/${lessons.triangles}/${TRICKY_SLUG}`);
    expect(second['episode-num']['#text']).toBe('Tập 2');
    expect(second['@_start']).toBe(first['@_stop']);
    // VTV4 is planned in Paris time: 19:00 in Hanoi is 13:00 there in January (UTC+1).
    expect([abroad['@_channel'], abroad['@_start']]).toEqual([`vtv4.${host}`, '20300107130000 +0100']);
    expect(Object.keys(first)).toEqual(['title', 'desc', 'category', 'url', 'episode-num', '@_start', '@_stop', '@_channel']);
  });

  it('passes XMLTV\'s own validator (tv_validate_file), whole week and one channel', async () => {
    expect(existsSync(TV_VALIDATE_FILE), `${TV_VALIDATE_FILE} is missing: install Debian's xmltv-util (apt-get install -y xmltv-util; .ci/run does it)`).toBe(true);
    const folder = mkdtempSync(join(tmpdir(), 'xmltv-'));
    try {
      for (const query of [window, `channel=vtv7&${window}`]) {
        const file = join(folder, 'lich.xml');
        writeFileSync(file, (await server.http.get(`${SCHEDULE}?format=xmltv&${query}`).expect(200)).text);
        const run = spawnSync(TV_VALIDATE_FILE, ['--dtd-file', XMLTV_DTD, file], { encoding: 'utf8' });
        expect(`${run.status}\n${run.stdout}${run.stderr}`, query).toBe('0\nValidated ok.\n');
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('is iCalendar for teachers: one event per slot with a stable UID, UTC times, summary, place and link', async () => {
    const fetch = async () => (await server.http.get(`${SCHEDULE}?format=ics&channel=vtv7&${window}`).expect(200)).text;
    const text = await fetch();
    expect(await fetch()).toBe(text);
    // RFC 5545 folds lines longer than 75 octets with CRLF + a space.
    const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    const events = text.replace(/\r\n[ \t]/g, '').split('BEGIN:VEVENT\r\n').slice(1).map((block) => Object.fromEntries(
      block.split('\r\n').filter((line) => /^[A-Z-]+[:;]/.test(line)).map((line) => {
        const [key, ...value] = line.split(':');
        return [key!.split(';')[0], value.join(':')];
      })));
    expect(events).toHaveLength(2);
    const day = await schedule(`channel=vtv7&${window}`);
    const host = new URL(server.ctx.config.publicUrl).host;
    expect(events[0]).toMatchObject({
      UID: `${day.items[0]!.id}@${host}`,
      DTSTART: '20300107T120000Z',
      DTEND: `20300107T${12_00_00 + Math.ceil(clipSeconds)}Z`,
      SUMMARY: 'Tam giác đồng dạng <luyện tập> & "ôn tập" 📐',
      LOCATION: 'VTV7 — Kênh Giáo dục Quốc gia',
      URL: `${server.ctx.config.publicUrl}/hoc-lieu/${lessons.triangles}/${TRICKY_SLUG}`,
      STATUS: 'CONFIRMED',
    });
    expect(events[0]!.DESCRIPTION).toContain('Trung học cơ sở · Lớp 8 · Toán · Tập 1');
    expect(events[1]!.UID).toBe(`${day.items[1]!.id}@${host}`);
    expect(text).toContain('X-WR-TIMEZONE:Asia/Ho_Chi_Minh');
  });

  it('drops the slots of an archived lesson from the public schedule', async () => {
    const before = await schedule('from=2030-04-01T00:00:00%2B07:00&to=2030-06-01T00:00:00%2B07:00');
    expect(before.items.some((item) => item.material.id === lessons.sgdA)).toBe(true);
    await server.http.post(`/api/v1/materials/${lessons.sgdA}/archive`).set(auth('teacherA1')).expect(200);
    const after = await schedule('from=2030-04-01T00:00:00%2B07:00&to=2030-06-01T00:00:00%2B07:00');
    expect(after.items.some((item) => item.material.id === lessons.sgdA)).toBe(false);
    expect(after.items.length).toBe(before.items.filter((item) => item.material.id !== lessons.sgdA).length);
  });
});

import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions, withoutQueryParameters } from '../../src/core/logger.js';
import { DOCS_CONTENT_SECURITY_POLICY } from '../../src/http/security-headers.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, PASSWORD, pdfBytes, type World } from '../helpers/world.js';

/** The edge of the HTTP app: what every route gets before (and around) its own code. */

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const b64 = (text: string) => Buffer.from(text).toString('base64');

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  world = await createWorld(server, ['teacherA1']);
});
afterAll(async () => server?.close());

async function draft() {
  const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201);
  return created.body.id as string;
}

describe('unknown fields', () => {
  it('refuses internal columns in a material patch with a 400 naming them, and changes nothing', async () => {
    const id = await draft();
    const before = await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200);
    for (const field of [{ status: 'published' }, { materialId: id }, { version: 7 }, { stages: [] }, { publishedAt: new Date().toISOString() }]) {
      const refused = await server.http.patch(`/api/v1/materials/${id}`).set(auth('teacherA1')).send({ title: 'Đã sửa', ...field }).expect(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(refused.body.error.details).toEqual([{ field: Object.keys(field)[0], message: 'không phải là trường được chấp nhận' }]);
    }
    expect((await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200)).body).toEqual(before.body);
    const history = await server.http.get(`/api/v1/materials/${id}/history`).set(auth('teacherA1')).expect(200);
    expect(JSON.stringify(history.body)).not.toContain('updated');

    // Known fields still change, and an empty patch changes nothing.
    expect((await server.http.patch(`/api/v1/materials/${id}`).set(auth('teacherA1')).send({ title: 'Đã sửa' }).expect(200)).body.title).toBe('Đã sửa');
    expect((await server.http.patch(`/api/v1/materials/${id}`).set(auth('teacherA1')).send({}).expect(200)).body.title).toBe('Đã sửa');
  });

  it('refuses unknown query parameters, except where a third party adds its own', async () => {
    const refused = await server.http.get('/api/v1/search?q=toan&sapXep=moi').expect(400);
    expect(refused.body.error.details).toEqual([{ field: 'sapXep', message: 'không phải là trường được chấp nhận' }]);
    const google = await server.http.get('/api/v1/publishing/youtube/oauth/callback?state=x&code=y&authuser=0&prompt=consent&iss=https%3A%2F%2Faccounts.google.com');
    expect(google.body.error.code).toBe('OAUTH_STATE_INVALID');
  });
});

describe('validation details', () => {
  const EN = { 'accept-language': 'en' };
  const refused = async (request: ReturnType<typeof server.http.get>) => {
    const response = await request.expect(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    return response.body.error as { message: string; details: Array<{ field: string; message: string; allowedValues?: unknown[] }> };
  };

  it('say what is wrong with each field in Vietnamese, keeping the field names, and in English on request', async () => {
    const search = await refused(server.http.get('/api/v1/search?page=0&sort=cu-nhat&pageSize=101'));
    expect(search.message).toBe('Dữ liệu gửi lên không hợp lệ.');
    expect(search.details).toEqual(expect.arrayContaining([
      { field: 'page', message: 'phải lớn hơn hoặc bằng 1' },
      { field: 'pageSize', message: 'phải nhỏ hơn hoặc bằng 100' },
      { field: 'sort', message: 'phải là một trong các giá trị cho phép', allowedValues: ['relevance', 'newest', 'downloads'] },
    ]));
    const english = await refused(server.http.get('/api/v1/search?page=0&sort=cu-nhat&pageSize=101').set(EN));
    expect(english.message).toBe('The request is not valid.');
    expect(english.details).toEqual(expect.arrayContaining([
      { field: 'page', message: 'must be at least 1' },
      { field: 'pageSize', message: 'must be at most 100' },
      { field: 'sort', message: 'must be one of the allowed values', allowedValues: ['relevance', 'newest', 'downloads'] },
    ]));
    expect((await refused(server.http.get('/api/v1/search?grade=lop-tam'))).details).toEqual([{ field: 'grade', message: 'phải là số nguyên' }]);

    const post = (body: object) => server.http.post('/api/v1/materials').set(auth('teacherA1')).send(body);
    const lengths = await refused(post({ ...MATERIAL, title: '', language: 'Tiếng Việt' }));
    expect(lengths.details).toEqual(expect.arrayContaining([
      { field: 'title', message: 'cần ít nhất 1 ký tự' },
      { field: 'language', message: 'không đúng dạng cho phép (mẫu ^[a-z]{2,3}(-[A-Za-z0-9]+)*$)' },
    ]));
    expect((await refused(post({ ...MATERIAL, title: 'x'.repeat(501) }).set(EN))).details).toEqual([{ field: 'title', message: expect.stringMatching(/^must have at most \d+ characters$/) }]);
    expect((await refused(post({ ...MATERIAL, grades: [8, 13] }))).details).toEqual([{ field: 'grades.1', message: 'phải nhỏ hơn hoặc bằng 12' }]);
    expect((await refused(post({ ...MATERIAL, grades: 8 }))).details).toEqual([{ field: 'grades', message: 'phải là danh sách' }]);
    // A nullable field names both forms it accepts, not just the first branch of its union.
    expect((await refused(post({ ...MATERIAL, description: 5 }))).details).toEqual([{ field: 'description', message: 'phải là chuỗi ký tự hoặc null' }]);
    expect((await refused(post({ ...MATERIAL, description: 5 }).set(EN))).details).toEqual([{ field: 'description', message: 'must be a string or null' }]);

    // Each missing property is named on its own.
    const { title: _title, level: _level, ...withoutTwo } = MATERIAL;
    expect((await refused(post(withoutTwo))).details).toEqual([{ field: 'title', message: 'là trường bắt buộc' }, { field: 'level', message: 'là trường bắt buộc' }]);
    expect((await refused(post(withoutTwo).set(EN))).details).toEqual([{ field: 'title', message: 'is required' }, { field: 'level', message: 'is required' }]);
    expect((await refused(post({ ...MATERIAL, xepHang: 1 }).set(EN))).details).toEqual([{ field: 'xepHang', message: 'is not a known field' }]);
    expect((await refused(server.http.get('/api/v1/orgs/a%00b'))).details).toEqual([{ field: 'code', message: 'không được chứa ký tự điều khiển' }]);
    expect((await refused(server.http.get('/api/v1/orgs/a%00b').set(EN))).details).toEqual([{ field: 'code', message: 'must not contain control characters' }]);
  });
});

describe('control characters', () => {
  it('refuses a NUL byte anywhere, naming the field, before any query or row', async () => {
    const cases = [
      { request: server.http.post('/api/v1/auth/login').send({ username: 'admin\u0000', password: PASSWORD }), field: 'username' },
      { request: server.http.post('/api/v1/users').set(auth('admin')).send({ username: 'moi', password: PASSWORD, displayName: 'Cô\u0000Lan', orgCode: 'sgd-a', roles: ['contributor'] }), field: 'displayName' },
      { request: server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, title: 'Tam giác\u0000' }), field: 'title' },
      { request: server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, grades: [8], series: 'a\u001bb' }), field: 'series' },
      { request: server.http.post('/api/v1/orgs').set(auth('admin')).send({ code: 'moi', name: 'Mới', kind: 'school', parentCode: 'sgd-a', reviewScope: { subjects: ['to\u0000an'] } }), field: 'reviewScope.subjects.0' },
      { request: server.http.get('/api/v1/orgs/a%00b'), field: 'code' },
      { request: server.http.get('/api/v1/search?level=%00'), field: 'level' },
      { request: server.http.get('/api/v1/search?q=toan%09hoc'), field: 'q' },
      { request: server.http.post('/api/v1/materials').set(auth('teacherA1')).set('content-type', 'application/json').send('{"ti\\u0000tle": "x"}'), field: 'ti\\u0000tle' },
    ];
    for (const { request, field } of cases) {
      const response = await request;
      expect(response.status, field).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field }] });
    }
    const users = await server.http.get('/api/v1/orgs/sgd-a').expect(200);
    expect(users.body.code).toBe('sgd-a');
    await server.http.post('/api/v1/auth/login').send({ username: 'moi', password: PASSWORD }).expect(401);
  });

  it('normalises query strings to NFC before validating them', async () => {
    // 100 letters ệ: 100 characters in NFC, 300 in NFD, and q takes at most 200.
    const decomposed = 'ệ'.repeat(100).normalize('NFD');
    await server.http.get(`/api/v1/search?q=${encodeURIComponent(decomposed)}`).expect(200);
  });

  it('keeps tabs and line breaks in text fields', async () => {
    const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, description: 'Dòng 1\r\nDòng 2\n\tThụt lề' }).expect(201);
    expect(created.body.description).toBe('Dòng 1\r\nDòng 2\n\tThụt lề');
  });
});

describe('bodies that would crash the parser or its walkers', () => {
  it('refuses JSON nested 100 000 levels deep with JSON_TOO_DEEP, and takes ordinary nesting', async () => {
    for (const deep of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)]) {
      const refused = await server.http.post('/api/v1/materials').set(auth('teacherA1')).set('content-type', 'application/json').send(deep).expect(400);
      expect(refused.body.error).toEqual({ code: 'JSON_TOO_DEEP', message: 'Dữ liệu JSON lồng nhau quá 32 cấp.' });
    }
    // Brackets inside strings are text, not nesting.
    const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, description: '['.repeat(1000) + '"{' }).expect(201);
    expect(created.body.description).toBe('['.repeat(1000) + '"{');
  });

  it('answers a 2 MB JSON body with BODY_TOO_LARGE and the limit', async () => {
    const body = JSON.stringify({ ...MATERIAL, description: 'x'.repeat(2 * 1024 * 1024) });
    const refused = await server.http.post('/api/v1/materials').set(auth('teacherA1')).set('content-type', 'application/json').send(body).expect(413);
    expect(refused.body.error).toEqual({ code: 'BODY_TOO_LARGE', message: 'Nội dung yêu cầu vượt quá giới hạn 1048576 byte.' });
    const english = await server.http.post('/api/v1/materials').set(auth('teacherA1')).set('accept-language', 'en').set('content-type', 'application/json').send(body).expect(413);
    expect(english.body.error.message).toBe('The request body exceeds the limit of 1048576 bytes.');
  });

  it('refuses a multipart request without a boundary, or cut short, with MULTIPART_MALFORMED, and stores nothing', async () => {
    const id = await draft();
    const part = `--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n${pdfBytes().toString()}`;
    const noBoundary = await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).set('content-type', 'multipart/form-data').send(`${part}\r\n--b--\r\n`).expect(400);
    expect(noBoundary.body.error.code).toBe('MULTIPART_MALFORMED');
    const cutShort = await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).set('content-type', 'multipart/form-data; boundary=b').send(part).expect(400);
    expect(cutShort.body.error.code).toBe('MULTIPART_MALFORMED');
    const importCut = await server.http.post(`/api/v1/materials/${id}/questions/import`).set(auth('teacherA1')).set('content-type', 'multipart/form-data; boundary=b').send(part.slice(0, 90)).expect(400);
    expect(importCut.body.error.code).toBe('MULTIPART_MALFORMED');
    const json = await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).send({ file: 'x' }).expect(415);
    expect(json.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200)).body.files).toEqual([]);
  });

  it('bounds integers in query strings', async () => {
    const id = await draft();
    for (const url of ['/api/v1/search?page=99999999999999999999', '/api/v1/search?pageSize=-1', `/api/v1/materials/${id}/questions?offset=99999999999999999999`, `/api/v1/materials/${id}/questions?limit=1e400`]) {
      const refused = await server.http.get(url).set(auth('teacherA1')).expect(400);
      expect(refused.body.error.code, url).toBe('VALIDATION_FAILED');
    }
  });

  it('answers URLs the router refuses (bad percent-encoding, an overlong parameter) in our format', async () => {
    const badEncoding = await server.http.get('/api/v1/orgs/%E0%A4%A').expect(400);
    expect(badEncoding.body.error.code).toBe('VALIDATION_FAILED');
    expect(badEncoding.headers['x-content-type-options']).toBe('nosniff');
    const long = await server.http.get(`/api/v1/materials/${'x'.repeat(200)}`).expect(400);
    expect(long.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('security headers', () => {
  const expectHardened = (headers: Record<string, string>, what: string) => {
    expect(headers['x-content-type-options'], what).toBe('nosniff');
    expect(headers['referrer-policy'], what).toBe('no-referrer');
    expect(headers['x-frame-options'], what).toBe('DENY');
    expect(headers['content-security-policy'], what).toContain("frame-ancestors 'none'");
  };

  it('hardens every answer: JSON, refusals, 404s, downloads and the hijacked tus answers', async () => {
    const id = await draft();
    const file = await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes(), 'a.pdf').expect(201);
    const answers = {
      json: await server.http.get('/api/v1/health').expect(200),
      unauthenticated: await server.http.get('/api/v1/me').set('authorization', 'Bearer nope').expect(401),
      invalid: await server.http.get('/api/v1/search?page=0').expect(400),
      unknownRoute: await server.http.get('/khong-co').expect(404),
      download: await server.http.get(`/api/v1/files/${file.body.id}/content`).set(auth('teacherA1')).expect(200),
      tusCreate: await server.http.post('/api/v1/uploads').set({ ...auth('teacherA1'), 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': `materialId ${b64(id)},filename ${b64('a.pdf')}` }).expect(201),
      tusRefusal: await server.http.post('/api/v1/uploads').set({ 'tus-resumable': '1.0.0', 'upload-length': '10' }),
      tusOptions: await server.http.options('/api/v1/uploads').expect(204),
    };
    for (const [what, answer] of Object.entries(answers)) {
      expectHardened(answer.headers as Record<string, string>, what);
      expect(answer.headers['content-security-policy'], what).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    }
  });

  it('gives the API documentation a policy of its own that lets Swagger UI run', async () => {
    const page = await server.http.get('/docs').expect(200);
    expectHardened(page.headers as Record<string, string>, '/docs');
    expect(page.headers['content-security-policy']).toBe(DOCS_CONTENT_SECURITY_POLICY);
    // Swagger UI's page loads its scripts and styles from this server only, with no inline script.
    expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)/);
    for (const src of page.text.match(/(?<=src=")[^"]+/g)!) expect(src.startsWith('./') || src.startsWith('/docs/'), src).toBe(true);
    expect((await server.http.get('/docs/json').expect(200)).headers['content-security-policy']).toBe(DOCS_CONTENT_SECURITY_POLICY);
  });
});

describe('CORS', () => {
  it('answers other origins with no CORS headers by default, tus included', async () => {
    const origin = { origin: 'https://ke-gian.example' };
    const get = await server.http.get('/api/v1/health').set(origin).expect(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await server.http.options('/api/v1/materials').set({ ...origin, 'access-control-request-method': 'POST' });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const tus = await server.http.post('/api/v1/uploads').set({ ...origin, 'tus-resumable': '1.0.0', 'upload-length': '10' });
    expect(tus.headers['access-control-allow-origin']).toBeUndefined();
  });

  describe('with CORS_ORIGINS', () => {
    let portal: TestServer;
    beforeAll(async () => { portal = await startTestServer({ workers: false, env: { CORS_ORIGINS: 'https://cong.hoclieu.example, http://localhost:5173' } }); });
    afterAll(async () => portal?.close());

    it('lets the named origins call every route, tus included, and no other', async () => {
      const allowed = { origin: 'https://cong.hoclieu.example' };
      const get = await portal.http.get('/api/v1/health').set(allowed).expect(200);
      expect(get.headers['access-control-allow-origin']).toBe('https://cong.hoclieu.example');
      expect(get.headers['access-control-allow-credentials']).toBeUndefined();
      expect(get.headers['access-control-expose-headers']).toContain('Content-Disposition');
      const preflight = await portal.http.options('/api/v1/materials/x').set({ ...allowed, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, content-type' }).expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://cong.hoclieu.example');
      expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');
      expect(preflight.headers['access-control-allow-headers']).toBe('authorization, content-type');
      const tusPreflight = await portal.http.options('/api/v1/uploads').set({ ...allowed, 'access-control-request-method': 'POST', 'access-control-request-headers': 'tus-resumable, upload-length, upload-metadata' }).expect(204);
      expect(tusPreflight.headers['access-control-allow-origin']).toBe('https://cong.hoclieu.example');
      const tus = await portal.http.post('/api/v1/uploads').set({ ...allowed, 'tus-resumable': '1.0.0', 'upload-length': '10' });
      expect(tus.headers['access-control-allow-origin']).toBe('https://cong.hoclieu.example');

      const other = { origin: 'https://ke-gian.example' };
      expect((await portal.http.get('/api/v1/health').set(other)).headers['access-control-allow-origin']).toBeUndefined();
      expect((await portal.http.post('/api/v1/uploads').set({ ...other, 'tus-resumable': '1.0.0', 'upload-length': '10' })).headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('logs', () => {
  it('log a failed query with its text and the database\'s reason, never its bound values', async () => {
    const hash = '$argon2id$v=19$m=19456,t=2,p=1$bXVvaQ$c2VjcmV0LWhhc2g';
    const failure = await server.ctx.db.db.execute(sql`SELECT ${hash}::text, ${'a\u0000b'}::text`).catch((error: unknown) => error);
    const lines: string[] = [];
    const log = pino(loggerOptions({ logLevel: 'info' }) as pino.LoggerOptions, new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } }));
    log.error({ err: failure }, 'unhandled error');
    log.error({ err: new Error('wrapped', { cause: failure }) }, 'unhandled error');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain('argon2');
      expect(line).not.toContain('params');
      expect(line).toContain('SELECT $1::text, $2::text');
      expect(line).toContain('invalid byte sequence');
    }
    expect(JSON.parse(lines[0]!).err).toMatchObject({ type: 'FailedQuery', code: '22021' });
    // What a failed job keeps (pg-boss stores the error it throws) is the same.
    expect(String((withoutQueryParameters(failure) as Error).message)).not.toContain('argon2');
  });
});

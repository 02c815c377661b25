import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';

/**
 * The guard for every route, present and future: the OpenAPI document is walked and each
 * operation gets hostile values in every path parameter, query parameter and body field, and
 * hostile bodies and content types, signed in as the administrator and anonymously. No answer
 * may be a 500, and nothing may be written.
 */

type JsonSchema = {
  type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; enum?: unknown[]; const?: unknown;
  format?: string; pattern?: string; minLength?: number; maxLength?: number; minimum?: number; exclusiveMinimum?: number; minItems?: number; additionalProperties?: unknown;
};
type Operation = {
  parameters?: Array<{ in: 'path' | 'query' | 'header'; name: string; schema?: JsonSchema }>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
};
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const HOSTILE_PATH_SEGMENTS = ['%00', 'a%00b', '%01', '%0A', '-1', '99999999999999999999', '1e400', 'x'.repeat(1000), '%E0%A4%A', '..%2F..%2Fetc%2Fpasswd', "'%20OR%201=1--"];
const HOSTILE_QUERY_VALUES = ['%00', 'a%00b', '%1B%5B31m', '%0D%0A', '-1', '-99999999999999999999', '99999999999999999999', '1e400', '1.5', 'x'.repeat(100_000), '%E0%A4%A'];
const HOSTILE_BODY_VALUES: unknown[] = ['a\u0000b', '\u0001', '\u001b[31m', 'x'.repeat(100_000), -1, 1e20, -1e20, 1.5, true, {}, [], ['a\u0000b'], { 'k\u0000': 1 }];
const DEEP_JSON = '['.repeat(100_000) + ']'.repeat(100_000);

/** A valid value for a schema, with every optional property filled so that each can be spoiled in turn. */
function sample(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return sample(union.find((member) => member.type !== 'null') ?? union[0]!);
  switch (schema.type) {
    case 'object': return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sample(value)]));
    case 'array': return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items ?? {}));
    case 'integer': case 'number': return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean': return false;
    case 'string': return sampleString(schema);
    default: return 'x';
  }
}

function sampleString(schema: JsonSchema): string {
  if (schema.format === 'uuid') return randomUUID();
  if (schema.format === 'date-time') return '2030-01-01T07:00:00+07:00';
  const candidates = ['abc', 'thcs', 'vi', '10:00', 'abc-123', 'ABC123', 'a'.repeat(12)];
  const fits = (value: string) => (!schema.pattern || new RegExp(schema.pattern, 'u').test(value))
    && value.length >= (schema.minLength ?? 0) && value.length <= (schema.maxLength ?? Infinity);
  return candidates.find(fits) ?? 'abc';
}

/** The paths to every value of a sample, the whole body included, for spoiling one at a time. */
function fieldPaths(value: unknown, path: string[] = []): string[][] {
  const paths = [path];
  if (Array.isArray(value)) paths.push(...(value.length > 0 ? fieldPaths(value[0], [...path, '0']) : []));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) paths.push(...fieldPaths(item, [...path, key]));
  return paths;
}

function replaced(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const [head, ...rest] = path;
  (copy as Record<string, unknown>)[head!] = replaced((copy as Record<string, unknown>)[head!], rest, replacement);
  return copy;
}

/** Objects in a sample, where an unknown property can be added. */
function objectPaths(value: unknown, path: string[] = []): string[][] {
  if (Array.isArray(value)) return value.length > 0 ? objectPaths(value[0], [...path, '0']) : [];
  if (!value || typeof value !== 'object') return [];
  return [path, ...Object.entries(value).flatMap(([key, item]) => objectPaths(item, [...path, key]))];
}

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((item, key) => (item as Record<string, unknown>)[key], value);
}

function multipart(parts: { headers: string; content: string }[], boundary: string, end = true): string {
  return parts.map((part) => `--${boundary}\r\n${part.headers}\r\n\r\n${part.content}\r\n`).join('') + (end ? `--${boundary}--\r\n` : '');
}

const BOUNDARY = 'hoclieu-hostile';
const filePart = (name: string, filename: string) => ({ headers: `Content-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/pdf`, content: '%PDF-1.4\n%%EOF\n' });

/** Hostile bodies and content types, for any route that takes a body. */
function hostileBodies(): Array<{ label: string; contentType?: string; payload: string }> {
  return [
    { label: 'deep JSON', contentType: 'application/json', payload: DEEP_JSON },
    { label: 'deep JSON object', contentType: 'application/json', payload: '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000) },
    { label: 'broken JSON', contentType: 'application/json', payload: '{"title": ' },
    { label: 'JSON string', contentType: 'application/json', payload: '"a\\u0000b"' },
    { label: 'JSON number', contentType: 'application/json', payload: '-99999999999999999999' },
    { label: 'JSON array', contentType: 'application/json', payload: '[1,2,3]' },
    { label: 'JSON with NUL key', contentType: 'application/json', payload: '{"\\u0000":"\\u0000"}' },
    { label: 'JSON with __proto__', contentType: 'application/json', payload: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' },
    { label: 'UTF-16 JSON', contentType: 'application/json; charset=utf-16', payload: '{}' },
    { label: 'plain text', contentType: 'text/plain', payload: 'a\u0000b' },
    { label: 'XML', contentType: 'application/xml', payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
    { label: 'form', contentType: 'application/x-www-form-urlencoded', payload: 'title=a%00b' },
    { label: 'garbage content type', contentType: ';;;/\u0001', payload: 'x' },
    { label: 'multipart without boundary', contentType: 'multipart/form-data', payload: multipart([filePart('file', 'a.pdf')], BOUNDARY) },
    { label: 'multipart with an empty boundary', contentType: 'multipart/form-data; boundary=', payload: multipart([filePart('file', 'a.pdf')], BOUNDARY) },
    { label: 'multipart cut short', contentType: `multipart/form-data; boundary=${BOUNDARY}`, payload: multipart([filePart('file', 'a.pdf')], BOUNDARY, false).slice(0, -20) },
    { label: 'multipart headers only', contentType: `multipart/form-data; boundary=${BOUNDARY}`, payload: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n` },
    { label: 'multipart with the wrong boundary', contentType: 'multipart/form-data; boundary=other', payload: multipart([filePart('file', 'a.pdf')], BOUNDARY) },
    { label: 'multipart with a NUL in the file name', contentType: `multipart/form-data; boundary=${BOUNDARY}`, payload: multipart([filePart('file', 'a\u0000b.pdf')], BOUNDARY) },
    { label: 'multipart field only', contentType: `multipart/form-data; boundary=${BOUNDARY}`, payload: multipart([{ headers: 'Content-Disposition: form-data; name="a\u0000"', content: 'a\u0000b' }], BOUNDARY) },
  ];
}

/** tus requests with hostile protocol headers (the generic walk covers the path). */
function hostileTusRequests(): InjectOptions[] {
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  const create = (headers: Record<string, string>): InjectOptions => ({ method: 'POST', url: '/api/v1/uploads', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', ...headers } });
  return [
    create({ 'upload-length': '-1' }), create({ 'upload-length': '99999999999999999999' }), create({ 'upload-length': 'abc' }),
    create({ 'upload-defer-length': '2' }), create({ 'tus-resumable': '0.0.1' }),
    create({ 'upload-metadata': `materialId ${base64('a\u0000b')},filename ${base64('a.pdf')}` }),
    create({ 'upload-metadata': `filename ${base64('a\u0000b.pdf')}` }),
    create({ 'upload-metadata': 'filename !!!not-base64!!!' }),
    create({ 'upload-metadata': `filename ${base64('x'.repeat(50_000))}` }),
    create({ 'upload-metadata': 'a'.repeat(10_000) }),
    { ...create({ 'content-type': 'application/offset+octet-stream', 'upload-length': '3' }), payload: 'abc' },
    { method: 'PATCH', url: `/api/v1/uploads/${randomUUID()}`, headers: { 'tus-resumable': '1.0.0', 'upload-offset': '-1', 'content-type': 'application/offset+octet-stream' }, payload: 'abc' },
    { method: 'PATCH', url: `/api/v1/uploads/${randomUUID()}`, headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'text/plain' }, payload: 'abc' },
    { method: 'HEAD', url: '/api/v1/uploads/a%00b', headers: { 'tus-resumable': '1.0.0' } },
  ];
}

let server: TestServer;
let world: World;
let materialId: string;

/** Rows in every table of the application and of the job queue. */
async function rowCounts(): Promise<Record<string, number>> {
  const pool = server.ctx.db.pool;
  const tables = await pool.query<{ schema: string; name: string }>(
    "SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema IN ('public', 'pgboss') ORDER BY 1, 2",
  );
  const counts: Record<string, number> = {};
  for (const { schema, name } of tables.rows) {
    const result = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${name}"`);
    counts[`${schema}.${name}`] = result.rows[0]!.n;
  }
  return counts;
}

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  world = await createWorld(server, ['teacherA1']);
  const created = await server.http.post('/api/v1/materials').set('authorization', `Bearer ${world.tokens.teacherA1}`).send({ ...MATERIAL, type: 'question-bank' }).expect(201);
  materialId = created.body.id;
});
afterAll(async () => server?.close());

describe('every route, walked with hostile input', () => {
  /**
   * Answers that are 500s or refusals outside our error format, each with the request that caused
   * it, and the operations that took an unknown query parameter.
   */
  async function walk(token: string | null): Promise<{ failures: string[]; unknownQueryTaken: string[] }> {
    const document = server.app.swagger() as unknown as OpenApi;
    const failures: string[] = [];
    const unknownQueryTaken: string[] = [];
    const send = async (label: string, options: InjectOptions) => {
      const headers = { ...(options.headers as Record<string, string> | undefined), ...(token ? { authorization: `Bearer ${token}` } : {}) };
      const response = await server.app.inject({ ...options, headers });
      const ours = response.body === '' || /^\{"error":\{"code":"[A-Z_]+","message":/.test(response.body);
      if (response.statusCode >= 500 || (response.statusCode >= 400 && !ours)) failures.push(`${response.statusCode} ${label}: ${response.body.slice(0, 200)}`);
      return response;
    };
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const verb = method.toUpperCase() as InjectOptions['method'];
        const parameters = operation.parameters ?? [];
        const pathParams = parameters.filter((p) => p.in === 'path').map((p) => p.name);
        if (template.includes('{*}')) pathParams.push('*');
        // Real ids where the walk should get past the lookup (the draft material), valid numbers (a page), else unknown ids.
        const pathSchema = (name: string) => parameters.find((p) => p.in === 'path' && p.name === name)?.schema;
        const realValue = (name: string) => (name === 'id' && template.startsWith('/api/v1/materials/') ? materialId : name === 'code' ? 'sgd-a' : name === '*' ? 'master.m3u8'
          : pathSchema(name)?.type === 'integer' ? String(sample(pathSchema(name)!)) : randomUUID());
        const urlWith = (values: Record<string, string>, query = '') => template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? realValue(name)) + query;
        const queryParams = parameters.filter((p) => p.in === 'query');
        const validQuery = queryParams.filter((p) => p.schema?.enum || p.schema?.anyOf).map((p) => `${p.name}=${encodeURIComponent(String(sample(p.schema!)))}`);
        const jsonSchema = operation.requestBody?.content['application/json']?.schema;
        const body = jsonSchema ? sample(jsonSchema) : undefined;
        const withBody = (payload: unknown): Pick<InjectOptions, 'payload' | 'headers'> => (payload === undefined ? {} : { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
        const label = `${verb} ${template}`;

        for (const name of pathParams) {
          for (const value of HOSTILE_PATH_SEGMENTS) await send(`${label} ${name}=${value.slice(0, 30)}`, { method: verb, url: urlWith({ [name]: value }), ...withBody(body) });
        }
        for (const param of queryParams) {
          const others = validQuery.filter((q) => !q.startsWith(`${param.name}=`));
          for (const value of HOSTILE_QUERY_VALUES) {
            await send(`${label} ?${param.name}=${value.slice(0, 30)}`, { method: verb, url: urlWith({}, `?${[...others, `${param.name}=${value}`].join('&')}`), ...withBody(body) });
          }
          await send(`${label} ?${param.name} twice`, { method: verb, url: urlWith({}, `?${param.name}=a&${param.name}=b`), ...withBody(body) });
        }
        if (queryParams.length > 0) {
          await send(`${label} query parameter named with a NUL`, { method: verb, url: urlWith({}, '?unknown%00=1'), ...withBody(body) });
          const unknown = await send(`${label} unknown query parameter`, { method: verb, url: urlWith({}, `?${[...validQuery, 'zzz=1'].join('&')}`), ...withBody(body) });
          const details = (JSON.parse(unknown.body || '{}') as { error?: { details?: unknown } }).error?.details;
          if (!(Array.isArray(details) && details.some((detail: { field: string }) => detail.field === 'zzz'))) unknownQueryTaken.push(label);
        }
        if (body !== undefined) {
          for (const path of fieldPaths(body)) {
            for (const value of HOSTILE_BODY_VALUES) await send(`${label} body.${path.join('.')}=${JSON.stringify(value).slice(0, 30)}`, { method: verb, url: urlWith({}), ...withBody(replaced(body, path, value)) });
          }
          for (const path of objectPaths(body)) {
            await send(`${label} unknown property at body.${path.join('.')}`, { method: verb, url: urlWith({}), ...withBody(replaced(body, path, { ...(at(body, path) as object), unknownField: 'x', materialId: randomUUID(), status: 'published' })) });
          }
        }
        // A route that takes no body ignores one (logout, submit…): the body is not what is under test
        // there, and an unknown id keeps the action from happening.
        const takesBody = operation.requestBody !== undefined;
        if (verb !== 'GET' && verb !== 'HEAD' && verb !== 'OPTIONS' && (takesBody || pathParams.length > 0)) {
          const url = takesBody ? urlWith({}) : urlWith(Object.fromEntries(pathParams.map((name) => [name, randomUUID()])));
          for (const hostile of hostileBodies()) {
            await send(`${label} ${hostile.label}`, { method: verb, url, payload: hostile.payload, headers: hostile.contentType ? { 'content-type': hostile.contentType } : {} });
          }
        }
      }
    }
    for (const request of hostileTusRequests()) await send(`${request.method} ${request.url} ${JSON.stringify(request.headers).slice(0, 80)}`, request);
    return { failures, unknownQueryTaken };
  }

  // Several thousand requests per walk, some of them 100 KB bodies or 100 000-deep JSON: on a loaded
  // 2-core machine a walk takes minutes, so each walk is its own test with a timeout sized for it.
  const WALK_TIMEOUT_MS = 10 * 60_000;
  let before: Record<string, number>;
  let material: unknown;

  beforeAll(async () => {
    before = await rowCounts();
    material = (await server.http.get(`/api/v1/materials/${materialId}`).set('authorization', `Bearer ${world.tokens.teacherA1}`).expect(200)).body;
  });

  it('answers no hostile request with a 500, signed in as the administrator', async () => {
    const admin = await walk(world.tokens.admin);
    expect(admin.failures).toEqual([]);
    // Query strings are strict too, but for Google's redirect, which adds parameters of its own.
    expect(admin.unknownQueryTaken).toEqual(['GET /api/v1/publishing/youtube/oauth/callback']);
    // The walk was signed in all along (no hostile request ended the session).
    await server.http.get('/api/v1/me').set('authorization', `Bearer ${world.tokens.admin}`).expect(200);
  }, WALK_TIMEOUT_MS);

  it('answers no hostile request with a 500, anonymously', async () => {
    expect((await walk(null)).failures).toEqual([]);
  }, WALK_TIMEOUT_MS);

  // The test server registers no cron schedules (config.workers is off), so every job row would be
  // one a request enqueued.
  it('wrote nothing in any table during both walks', async () => {
    expect(await rowCounts()).toEqual(before);
    const after = await server.http.get(`/api/v1/materials/${materialId}`).set('authorization', `Bearer ${world.tokens.teacherA1}`).expect(200);
    expect(after.body).toEqual(material);
  });

  it('finds every request body schema strict, down to its nested objects', () => {
    const document = server.app.swagger() as unknown as OpenApi;
    const loose: string[] = [];
    const check = (schema: JsonSchema | undefined, where: string) => {
      if (!schema) return;
      if (schema.type === 'object' && schema.properties && schema.additionalProperties !== false) loose.push(where);
      for (const [key, child] of Object.entries(schema.properties ?? {})) check(child, `${where}.${key}`);
      for (const member of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) check(member, `${where}|`);
      check(schema.items, `${where}[]`);
    };
    let bodies = 0;
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [type, content] of Object.entries(operation.requestBody?.content ?? {})) {
          bodies++;
          check(content.schema, `${method.toUpperCase()} ${template} (${type})`);
        }
      }
    }
    expect(bodies).toBeGreaterThan(15);
    expect(loose).toEqual([]);
  });
});

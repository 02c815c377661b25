import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { CORPUS, publishCorpus, untilAllSearchable } from './relevance/seed.js';

/** A few of the relevance corpus's materials are enough to tell a sensible answer from a broken one. */
const ITEMS = CORPUS.items.filter((item) => ['toan8-tam-giac-dong-dang', 'toan9-pt-bac-hai', 'toan12-tich-phan', 'van9-nguyen-du', 'su12-dien-bien-phu', 'gdcd8-bao-luc-gia-dinh', 'mn-giac-quan'].includes(item.key));
const PAGE_SIZE = 20;

let server: TestServer;
let keyOf: Map<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  keyOf = await publishCorpus(server, ITEMS);
  await untilAllSearchable(server.http, ITEMS.length, 120_000);
}, 300_000);
afterAll(async () => server?.close());

interface Answer { status: number; total: number; keys: string[] }

/** A search by raw query string (so that bytes which are not UTF-8 reach the server as sent). */
async function search(rawQuery: string): Promise<Answer> {
  const res = await server.http.get(`/api/v1/search?${rawQuery}`);
  expect(res.status, `${rawQuery} → ${res.status} ${JSON.stringify(res.body)}`).toBe(200);
  expect(Array.isArray(res.body.hits)).toBe(true);
  expect(res.body.hits.length).toBeLessThanOrEqual(PAGE_SIZE);
  expect(res.body.total).toBeGreaterThanOrEqual(res.body.hits.length);
  return { status: res.status, total: res.body.total, keys: res.body.hits.map((hit: { id: string }) => keyOf.get(hit.id)) };
}
const q = (text: string) => `q=${encodeURIComponent(text)}`;

describe('search with bad input answers 200, never a 500', () => {
  it('takes a query of 200 characters and finds what its words ask for', async () => {
    const long = 'phương trình bậc hai '.repeat(20).slice(0, 200);
    expect(long).toHaveLength(200);
    expect((await search(q(long))).keys).toContain('toan9-pt-bac-hai');
    // Past the schema's limit the answer is a clear 400, not an error page.
    const tooLong = await server.http.get(`/api/v1/search?${q('a'.repeat(201))}`).expect(400);
    expect(tooLong.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('takes punctuation only, stop words only, and emoji', async () => {
    for (const text of ['!!!', '.,;:?!…–—()[]{}"\'', '-', '%', '_', '*', 'và của là những các', 'thì mà nhưng', '😀😀😀', '📐']) {
      const answer = await search(q(text));
      // Nothing in them names a material: either nothing, or the plain listing of everything.
      expect([0, ITEMS.length], text).toContain(answer.total);
    }
    expect((await search(q('📐 tam giác đồng dạng 😀'))).keys[0]).toBe('toan8-tam-giac-dong-dang');
  });

  it('treats SQL and tsquery syntax as text', async () => {
    const hostile = [
      'tam & giác', 'tam | giác', '!tam', 'tam:*', 'tam:* & !giác', '"tam giác"', "'tam giác'", 'tam\\', '\\\\', 'tam\\:*',
      '& | ! :*', '((tam', 'tam <-> giác', 'tam <2> giác', "' OR 1=1 --", "'; DROP TABLE materials; --", 'a:*A:*B', "tam''giác",
    ];
    for (const text of hostile) await search(q(text));
    expect((await search(q('"tam giác đồng dạng"'))).keys).toContain('toan8-tam-giac-dong-dang');
    expect((await search(q('tam & giác & đồng & dạng'))).keys).toContain('toan8-tam-giac-dong-dang');
    // The tables are all still there.
    expect((await search('')).total).toBe(ITEMS.length);
  });

  it('takes percent-encoded bytes that are not UTF-8', async () => {
    for (const raw of ['q=%C3%28', 'q=%FF%FE%FD', 'q=%ED%A0%80', 'q=tam%20gi%C3', 'q=%C0%AF', 'q=%E2%82', 'q=%F0%9F%98']) await search(raw);
    // Good words beside a bad byte: the material they name, or nothing at all — never something unrelated.
    const mixed = await search('q=%FF%20tam%20gi%C3%A1c%20%C4%91%E1%BB%93ng%20d%E1%BA%A1ng');
    expect(mixed.keys.filter((key) => key !== 'toan8-tam-giac-dong-dang')).toEqual([]);
  });

  it('gives an empty page past the end', async () => {
    const first = await search(`${q('tam giác')}&pageSize=${PAGE_SIZE}`);
    expect(first.total).toBeGreaterThan(0);
    const after = Math.ceil(first.total / PAGE_SIZE) + 1;
    for (const page of [after, 999, 1000]) {
      const answer = await search(`${q('tam giác')}&pageSize=${PAGE_SIZE}&page=${page}`);
      expect(answer.keys).toEqual([]);
      expect(answer.total).toBe(first.total);
    }
    expect((await search(`page=999`)).keys).toEqual([]);
  });
});

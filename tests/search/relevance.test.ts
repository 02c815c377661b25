import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ndcgAt } from './relevance/ndcg.js';
import { CORPUS, publishCorpus, untilAllSearchable } from './relevance/seed.js';

interface JudgedQuery { q: string; class: string; judgements: Record<string, number>; note?: string }
interface ScoredQuery extends JudgedQuery { ndcg: number; total: number; returned: string[] }
const QUERIES: JudgedQuery[] = JSON.parse(await fs.readFile(new URL('./relevance/judgements.json', import.meta.url), 'utf8')).queries;
const K = 10;
const TARGET = 0.9;
const RESULTS = new URL('../../bench/relevance.json', import.meta.url);

let server: TestServer;
let keyOf: Map<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  keyOf = await publishCorpus(server);
  // Indexing runs in the background after each final approval; today it takes one material per poll.
  await untilAllSearchable(server.http, CORPUS.items.length, 10 * 60_000);
}, 20 * 60_000);
afterAll(async () => server?.close());

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('search relevance: teachers\' queries over a judged corpus', () => {
  it(`reaches a mean nDCG@${K} of at least ${TARGET}`, async () => {
    const scored: ScoredQuery[] = [];
    for (const query of QUERIES) {
      const res = await server.http.get('/api/v1/search').query({ q: query.q, pageSize: K }).expect(200);
      const returned = (res.body.hits as Array<{ id: string }>).map((hit) => keyOf.get(hit.id) ?? hit.id);
      scored.push({ ...query, ndcg: ndcgAt(K, returned, query.judgements), total: res.body.total as number, returned });
    }
    const overall = mean(scored.map((s) => s.ndcg));
    const classes = Object.fromEntries([...new Set(scored.map((s) => s.class))]
      .map((name) => [name, round(mean(scored.filter((s) => s.class === name).map((s) => s.ndcg)))]));

    console.log([
      `nDCG@${K} per query (${CORPUS.items.length} materials, ${QUERIES.length} queries)`,
      ...scored.map((s) => `${s.ndcg.toFixed(3)}  ${s.class.padEnd(15)} ${JSON.stringify(s.q).padEnd(40)} ${s.total} found; top: ${s.returned.slice(0, 3).join(', ') || '—'}`),
      ...Object.entries(classes).map(([name, value]) => `mean ${name.padEnd(15)} ${value.toFixed(3)}`),
      `mean nDCG@${K}: ${overall.toFixed(3)} (target ${TARGET})`,
    ].join('\n'));
    await fs.writeFile(RESULTS, `${JSON.stringify({
      measuredAt: new Date().toISOString(), backend: server.ctx.search.name, materials: CORPUS.items.length, queries: QUERIES.length,
      k: K, target: TARGET, mean: round(overall), classes,
      perQuery: scored.map((s) => ({ q: s.q, class: s.class, ndcg: round(s.ndcg), total: s.total, top: s.returned.slice(0, 5) })),
    }, null, 2)}\n`);

    expect(overall).toBeGreaterThanOrEqual(TARGET);
  });
});

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

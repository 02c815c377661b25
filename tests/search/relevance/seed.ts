import fs from 'node:fs';
import { eventually, type TestServer } from '../../helpers/server.js';
import { createWorld, PASSWORD, pdfBytes } from '../../helpers/world.js';

/** One published material of the relevance corpus (tests/search/relevance/corpus.json). */
export interface CorpusItem {
  key: string;
  title: string;
  description: string;
  type: string;
  level: string;
  grades: number[];
  subject: string;
  series: string | null;
  /** Code of the contributor's school (an org under its province). */
  school: string;
  /** Name of the file the teacher uploads. */
  file: string;
  /** A question bank's question stems (imported as Aiken); its content instead of a file. */
  questions?: string[];
}

interface Org { code: string; name: string }
export interface Corpus {
  orgs: { departments: Array<Org & { reviewScope: { levels?: string[]; subjects?: string[] } }>; provinces: Org[]; schools: Array<Org & { province: string }> };
  items: CorpusItem[];
}

export const CORPUS: Corpus = JSON.parse(fs.readFileSync(new URL('./corpus.json', import.meta.url), 'utf8'));

type Http = TestServer['http'];
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** What the teacher uploads: a PDF for documents, a caption track (SRT) for videos, which needs no transcoding. */
function fileBytes(item: CorpusItem): Buffer {
  if (item.file.endsWith('.srt')) return Buffer.from(`1\n00:00:00,000 --> 00:00:03,000\n${item.title}\n`);
  return pdfBytes(item.title);
}

function aiken(stems: string[]): Buffer {
  return Buffer.from(stems.map((stem) => `${stem}\nA. Phương án thứ nhất\nB. Phương án thứ hai\nANSWER: A\n`).join('\n'));
}

async function login(http: Http, username: string): Promise<string> {
  return (await http.post('/api/v1/auth/login').send({ username, password: PASSWORD }).expect(200)).body.token;
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/**
 * Publishes the corpus the way teachers and reviewers do, over the API: the corpus's departments,
 * provinces and schools; one contributor per school, who creates each material, uploads its file
 * (or imports its questions) and submits it; then each department's reviewer approves its queue,
 * one material after another. Publication enqueues the ordinary indexing job. Returns material id → corpus key.
 */
export async function publishCorpus(server: TestServer, items: readonly CorpusItem[] = CORPUS.items): Promise<Map<string, string>> {
  const { http } = server;
  // The test country's ministry, admin and the departments its routing needs (vu-gdpt, vu-gdqpan).
  const world = await createWorld(server, []);
  const admin = bearer(world.tokens.admin);
  const existing = new Set(((await http.get('/api/v1/orgs').set(admin).expect(200)).body.items as Org[]).map((o) => o.code));
  const { departments, provinces, schools } = CORPUS.orgs;
  for (const org of departments.filter((d) => !existing.has(d.code))) {
    await http.post('/api/v1/orgs').set(admin).send({ ...org, kind: 'department', parentCode: 'bgddt' }).expect(201);
  }
  for (const org of provinces) await http.post('/api/v1/orgs').set(admin).send({ ...org, kind: 'province', parentCode: 'bgddt' }).expect(201);
  for (const { province, ...org } of schools) await http.post('/api/v1/orgs').set(admin).send({ ...org, kind: 'school', parentCode: province }).expect(201);

  const tokens = new Map<string, string>();
  const account = async (username: string, orgCode: string, role: 'contributor' | 'reviewer') => {
    await http.post('/api/v1/users').set(admin)
      .send({ username, password: PASSWORD, displayName: `Thầy cô ${orgCode}`, orgCode, roles: [role] }).expect(201);
    tokens.set(orgCode, await login(http, username));
  };
  await inBatches(schools, 4, (school) => account(`gv-${school.code}`, school.code, 'contributor'));
  await inBatches(departments, 4, (department) => account(`td-${department.code}`, department.code, 'reviewer'));

  const keys = new Map<string, string>();
  await inBatches(items, 4, async (item) => {
    const teacher = bearer(tokens.get(item.school)!);
    const { key, school, file, questions, series, ...fields } = item;
    const created = await http.post('/api/v1/materials').set(teacher)
      .send({ ...fields, ...(series ? { series } : {}), license: 'CC-BY-4.0' }).expect(201);
    const id = created.body.id as string;
    if (questions) {
      await http.post(`/api/v1/materials/${id}/questions/import`).set(teacher).attach('file', aiken(questions), file).expect(200);
    } else {
      await http.post(`/api/v1/materials/${id}/files`).set(teacher).attach('file', fileBytes(item), file).expect(201);
    }
    const submitted = await http.post(`/api/v1/materials/${id}/submit`).set(teacher).expect(200);
    if (submitted.body.stages.length !== 1) throw new Error(`${key}: expected one review stage, got ${JSON.stringify(submitted.body.stages)}`);
    keys.set(id, key);
  });

  for (const department of departments) {
    const reviewer = bearer(tokens.get(department.code)!);
    const open = (await http.get('/api/v1/review/tasks?status=open').set(reviewer).expect(200)).body.items as Array<{ id: string }>;
    for (const task of open) {
      await http.post(`/api/v1/review/tasks/${task.id}/claim`).set(reviewer).expect(200);
      await http.post(`/api/v1/review/tasks/${task.id}/decision`).set(reviewer).send({ decision: 'approve' }).expect(200);
    }
  }
  return keys;
}

/** Waits until browsing the index with no query counts every published material. */
export async function untilAllSearchable(http: Http, count: number, timeoutMs: number): Promise<void> {
  await eventually(async () => {
    const res = await http.get('/api/v1/search').query({ pageSize: 1 }).expect(200);
    return res.body.total === count;
  }, timeoutMs);
}

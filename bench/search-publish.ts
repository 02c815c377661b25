import { sql } from 'drizzle-orm';
import type { TestServer } from '../tests/helpers/server.js';
import { MATERIAL, pdfBytes, type World } from '../tests/helpers/world.js';

const STAGES = ['reviewerA1', 'reviewerSgdA'] as const;
const FINAL = 'reviewerGdpt' as const;

/**
 * Takes `count` materials through the real path (create, upload, submit, school and province
 * approvals, the ministry's claim) and then makes the final approvals: one at a time, each timed until
 * a search finds it, or all at once (8 in flight) timed until the search finds them all.
 */
export async function publishThroughReview(server: TestServer, world: World, options: { count: number; marker: string; oneByOne: boolean }) {
  const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
  const openTask = async (materialId: string) => {
    const rows = await server.ctx.db.db.execute<{ id: string }>(sql`SELECT id FROM review_tasks WHERE material_id = ${materialId} AND NOT done ORDER BY stage_order LIMIT 1`);
    return rows.rows[0]!.id;
  };
  const pdf = pdfBytes('Chuyen de');
  const prepare = async (i: number) => {
    const created = await server.http.post('/api/v1/materials').set(auth('teacherA1'))
      .send({ ...MATERIAL, title: `Chuyên đề ${options.marker}${i} và ${options.marker}`, type: 'document' }).expect(201);
    const id: string = created.body.id;
    await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdf, 'chuyen-de.pdf').expect(201);
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
    for (const reviewer of STAGES) {
      const task = await openTask(id);
      await server.http.post(`/api/v1/review/tasks/${task}/claim`).set(auth(reviewer)).expect(200);
      await server.http.post(`/api/v1/review/tasks/${task}/decision`).set(auth(reviewer)).send({ decision: 'approve' }).expect(200);
    }
    const task = await openTask(id);
    await server.http.post(`/api/v1/review/tasks/${task}/claim`).set(auth(FINAL)).expect(200);
    return task;
  };
  const approve = (task: string) => server.http.post(`/api/v1/review/tasks/${task}/decision`).set(auth(FINAL)).send({ decision: 'approve' }).expect(200);
  const found = async (q: string) => (await server.http.get('/api/v1/search').query({ q, pageSize: 1 }).expect(200)).body.total as number;
  const until = async (check: () => Promise<boolean>) => {
    for (;;) {
      if (await check()) return performance.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const tasks: string[] = [];
  for (let i = 0; i < options.count; i += 8) tasks.push(...await Promise.all(Array.from({ length: Math.min(8, options.count - i) }, (_, k) => prepare(i + k))));
  if (options.oneByOne) {
    const lagsMs: number[] = [];
    for (const [i, task] of tasks.entries()) {
      await approve(task);
      const decided = performance.now();
      lagsMs.push((await until(async () => (await found(`${options.marker}${i}`)) > 0)) - decided);
    }
    return { lagsMs, decisionsMs: 0, allFoundAfterFirstMs: 0, allFoundAfterLastMs: 0 };
  }
  // Eight reviewers' decisions in flight at any time: each one done starts the next.
  const first = performance.now();
  const queue = [...tasks];
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await approve(task);
  }));
  const last = performance.now();
  const all = await until(async () => (await found(options.marker)) >= options.count);
  return { lagsMs: [], decisionsMs: last - first, allFoundAfterFirstMs: all - first, allFoundAfterLastMs: all - last };
}

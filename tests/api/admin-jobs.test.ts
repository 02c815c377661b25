import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobErrorText } from '../../src/jobs-admin/jobs-admin.service.js';
import { IndexMaterialJob } from '../../src/search/jobs/index-material.job.js';
import { createWorld, type World } from '../helpers/world.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  // No workers: the jobs below stay as this test puts them.
  server = await startTestServer({ workers: false });
  world = await createWorld(server, ['teacherA1', 'orgAdminA']);
});
afterAll(async () => server?.close());

/** A real job of a real queue, then put in the state under test the way pg-boss itself keeps it. */
async function job(state: 'active' | 'failed', fields: { startedMinutesAgo?: number; leaseSeconds?: number; output?: object }): Promise<string> {
  await server.ctx.db.transaction((tx) => server.ctx.queue.enqueue(tx, IndexMaterialJob.queue, { materialId: crypto.randomUUID() }));
  const pool = server.ctx.db.pool;
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM pgboss.job WHERE name = $1 AND state = 'created' ORDER BY created_on DESC LIMIT 1`, [IndexMaterialJob.queue]);
  const id = rows[0]!.id;
  await pool.query(
    `UPDATE pgboss.job SET state = $2::text::pgboss.job_state, started_on = now() - make_interval(mins => $3), expire_in = make_interval(secs => $4), output = $5,
       completed_on = CASE WHEN $2::text = 'failed' THEN now() END WHERE id = $1`,
    [id, state, fields.startedMinutesAgo ?? 0, fields.leaseSeconds ?? 120, fields.output ? JSON.stringify(fields.output) : null],
  );
  return id;
}

describe('failed and stuck jobs, for administrators', () => {
  it('lists a job running past its lease as stuck (not one within it), and cancels then retries it', async () => {
    const stuck = await job('active', { startedMinutesAgo: 30, leaseSeconds: 60 });
    const running = await job('active', { startedMinutesAgo: 0, leaseSeconds: 600 });
    const list = await server.http.get('/api/v1/jobs?state=stuck').set(auth('admin')).expect(200);
    expect(list.body.items.map((j: { id: string }) => j.id)).toEqual([stuck]);
    expect(list.body.items[0]).toMatchObject({ name: IndexMaterialJob.queue, state: 'active', stuck: true });
    expect(new Date(list.body.items[0].leaseEndsOn).getTime()).toBeLessThan(Date.now());
    const active = await server.http.get('/api/v1/jobs?state=active').set(auth('admin')).expect(200);
    expect(active.body.items.find((j: { id: string }) => j.id === running)).toMatchObject({ stuck: false });

    await server.http.get('/api/v1/jobs?state=stuck').set(auth('orgAdminA')).expect(403);
    await server.http.post(`/api/v1/jobs/${stuck}/retry`).set(auth('admin')).expect(409);
    await server.http.post(`/api/v1/jobs/${stuck}/cancel`).set(auth('admin')).expect(200);
    expect((await server.http.get('/api/v1/jobs?state=stuck').set(auth('admin')).expect(200)).body.items).toEqual([]);
    await server.http.post(`/api/v1/jobs/${stuck}/retry`).set(auth('admin')).expect(200);
    const states = (await server.ctx.db.pool.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [stuck])).rows;
    expect(['created', 'retry']).toContain(states[0]!.state);
  });

  it('shows a failed job\'s reason without the stack or any server path', async () => {
    const failed = await job('failed', {
      output: {
        name: 'Error', message: "ENOENT: không mở được '/var/lib/hoclieu/objects/ab/cd.bin' (C:\\hoclieu\\tmp\\x.mp4)",
        stack: 'Error: ENOENT\n    at open (/work/main/src/core/storage/file-storage.ts:10:3)', tail: '/tmp/hoclieu-123/input.mp4: Invalid data',
      },
    });
    const list = await server.http.get('/api/v1/jobs?state=failed').set(auth('admin')).expect(200);
    const item = list.body.items.find((j: { id: string }) => j.id === failed);
    expect(item.error).toBe("ENOENT: không mở được '…/cd.bin' (…/x.mp4)");
    expect(JSON.stringify(list.body)).not.toMatch(/\/var\/lib|\/work\/main|\/tmp\/|hoclieu\\\\tmp|stack/);
  });
});

describe('jobErrorText', () => {
  it('keeps the message, cuts paths down to their last name, and ignores what is not an error', () => {
    expect(jobErrorText({ message: 'Tệp /srv/data/a/b.pdf hỏng tại file:///opt/x/y.js' })).toBe('Tệp …/b.pdf hỏng tại …/y.js');
    expect(jobErrorText({ value: { message: 'job failed by timeout in active state' } })).toBe('job failed by timeout in active state');
    expect(jobErrorText({ message: 'tỉ lệ 1/2 và 3/4 giữ nguyên' })).toBe('tỉ lệ 1/2 và 3/4 giữ nguyên');
    expect(jobErrorText(null)).toBeNull();
    expect(jobErrorText({ result: 1 })).toBeNull();
    expect(jobErrorText({ message: 'x'.repeat(600) })).toHaveLength(501);
  });
});

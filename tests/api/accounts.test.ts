import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFirstRun } from '../../src/bootstrap.js';
import { ConfigError } from '../../src/core/config.js';
import { createTestDatabase } from '../helpers/database.js';
import { createWorld, MATERIAL, PASSWORD, pdfBytes, type World } from '../helpers/world.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

// The tests stand behind a proxy on loopback, so X-Forwarded-For chooses the client's address.
// The address limit stays above the world's fifteen parallel first sign-ins from loopback: each
// attempt counts until its password is checked.
beforeAll(async () => {
  server = await startTestServer({ env: { TRUST_PROXY: 'loopback', LOGIN_ADDRESS_MAX_FAILURES: '20', LOGIN_ACCOUNT_MAX_FAILURES: '8' } });
  world = await createWorld(server);
});
afterAll(async () => server?.close());

const login = (username: string, password: string, from: string) =>
  server.http.post('/api/v1/auth/login').set('x-forwarded-for', from).send({ username, password });
const sql = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await server.ctx.db.pool.query(text, values)).rows as T[];
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

describe('sign-in throttling', () => {
  it('evaluates only LOGIN_MAX_FAILURES of thirty parallel guesses; the real user still signs in from elsewhere', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => login('teacherA2', 'doan-mo-mat-khau', '10.0.0.66')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(30);
    // Even the right password waits at the attacker's address; the user's own address is unaffected.
    await login('teacherA2', PASSWORD, '10.0.0.66').expect(429);
    await login('teacherA2', PASSWORD, '10.0.0.7').expect(200);
  });

  it('keeps an account attacked from many addresses open from the addresses its user signs in from', async () => {
    await login('teacherB1', PASSWORD, '10.0.1.7').expect(200);
    for (const address of ['10.1.0.1', '10.1.0.2']) {
      for (let i = 0; i < 4; i++) await login('teacherB1', `sai-${i}-mat-khau`, address).expect(401);
    }
    // LOGIN_ACCOUNT_MAX_FAILURES (8) reached: a new address waits, the known one does not.
    await login('teacherB1', PASSWORD, '10.2.0.1').expect(429);
    await login('teacherB1', PASSWORD, '10.0.1.7').expect(200);
  });

  it('slows an address that sprays many accounts, but not for accounts already signed in from it', async () => {
    await login('reviewerSgdB', PASSWORD, '10.3.0.1').expect(200);
    for (let i = 0; i < 20; i++) await login(`nobody-${i}`, 'mat-khau-doan-bua', '10.3.0.1').expect(401);
    await login('teacherA1', PASSWORD, '10.3.0.1').expect(429);
    await login('reviewerSgdB', PASSWORD, '10.3.0.1').expect(200);
    await login('teacherA1', PASSWORD, '10.3.0.2').expect(200);
  });
  it('forgets counters quiet for a day, but keeps the addresses an account signed in from this month', async () => {
    await login('nobody-at-all', 'doan-mo-mat-khau', '10.0.9.1').expect(401);
    await login('reviewerQpan', PASSWORD, '10.0.9.2').expect(200);
    await sql(`UPDATE login_throttles SET last_failure_at = now() - interval '2 days' WHERE key LIKE '%10.0.9.%'`);
    await server.ctx.auth.forgetQuietThrottles();
    const left = (await sql<{ key: string }>(`SELECT key FROM login_throttles WHERE key LIKE '%10.0.9.%' ORDER BY key`)).map((row) => row.key);
    expect(left).toEqual(['pair:reviewerqpan 10.0.9.2']);
  });
});

describe('account lifecycle', () => {
  it('deactivation refuses the user\'s tokens at once, frees their claims and their sign-in; reactivation restores sign-in', async () => {
    const material = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send(MATERIAL).expect(201);
    await server.http.post(`/api/v1/materials/${material.body.id}/files`).set(auth('teacherA1')).attach('file', pdfBytes('lifecycle'), 'a.pdf').expect(201);
    await server.http.post(`/api/v1/materials/${material.body.id}/submit`).set(auth('teacherA1')).expect(200);
    const open = await server.http.get('/api/v1/review/tasks?status=open').set(auth('reviewerA1')).expect(200);
    const task = open.body.items.find((t: { materialId: string }) => t.materialId === material.body.id);
    await server.http.post(`/api/v1/review/tasks/${task.id}/claim`).set(auth('reviewerA1')).expect(200);
    await server.http.post(`/api/v1/review/tasks/${task.id}/claim`).set(auth('reviewerA1bis')).expect(409);

    const updated = await server.http.patch(`/api/v1/users/${world.ids.reviewerA1}`).set(auth('orgAdminA')).send({ active: false }).expect(200);
    expect(updated.body).toMatchObject({ username: 'reviewera1', active: false });
    expect(updated.body.passwordHash).toBeUndefined();
    expect((await server.http.get('/api/v1/me').set(auth('reviewerA1')).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    await server.http.post(`/api/v1/review/tasks/${task.id}/claim`).set(auth('reviewerA1bis')).expect(200);

    const refused = await login('reviewerA1', PASSWORD, '10.4.0.1').expect(401);
    const wrong = await login('reviewerA1', 'khong-phai-mat-khau', '10.4.0.1').expect(401);
    expect(refused.body).toEqual(wrong.body);
    const trail = await sql<{ action: string; data: { releasedClaims?: number; reason?: string } }>(
      `SELECT action, data FROM audit_events WHERE action IN ('user_deactivated', 'login_refused') AND (data->>'userId' = $1 OR actor_id::text = $1) ORDER BY id`, [world.ids.reviewerA1]);
    expect(trail).toEqual([{ action: 'user_deactivated', data: expect.objectContaining({ releasedClaims: 1 }) }, { action: 'login_refused', data: expect.objectContaining({ reason: 'deactivated' }) }]);

    await server.http.patch(`/api/v1/users/${world.ids.reviewerA1}`).set(auth('admin')).send({ active: true }).expect(200);
    const token = (await login('reviewerA1', PASSWORD, '10.4.0.2').expect(200)).body.token as string;
    // A reviewer who loses the role gives their claims back too.
    await server.http.post(`/api/v1/review/tasks/${task.id}/claim`).set(bearer(token)).expect(409);
    await server.http.patch(`/api/v1/users/${world.ids.reviewerA1bis}`).set(auth('orgAdminA')).send({ roles: ['contributor'] }).expect(200);
    await server.http.post(`/api/v1/review/tasks/${task.id}/claim`).set(bearer(token)).expect(200);
  });

  it('limits who may change whom: subtree, the admin role, oneself', async () => {
    const patch = (target: keyof World['ids'], as: keyof World['tokens'] | null, body: object) => {
      const request = server.http.patch(`/api/v1/users/${world.ids[target]}`);
      return (as ? request.set(auth(as)) : request).send(body);
    };
    await patch('teacherB1', 'orgAdminA', { active: false }).expect(403);
    await patch('teacherA2', 'orgAdminA', { roles: ['admin'] }).expect(403);
    await patch('admin', 'orgAdminA', { displayName: 'Không được' }).expect(403);
    await patch('teacherA2', 'teacherA1', { active: false }).expect(403);
    await patch('teacherA2', null, { active: false }).expect(401);
    expect((await patch('admin', 'admin', { active: false }).expect(403)).body.error.code).toBe('OWN_ACCOUNT');
    expect((await patch('orgAdminA', 'orgAdminA', { roles: ['contributor'] }).expect(403)).body.error.code).toBe('OWN_ACCOUNT');
    await patch('orgAdminA', 'orgAdminA', { displayName: 'Quản trị Sở A' }).expect(200);
    expect((await patch('teacherA2', 'admin', { owner: 'x' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    await patch('teacherA2', 'admin', {}).expect(400);
    await server.http.patch('/api/v1/users/00000000-0000-4000-8000-000000000000').set(auth('admin')).send({ active: false }).expect(404);

    const changed = await patch('teacherA2', 'orgAdminA', { displayName: 'Cô giáo A2', roles: ['contributor', 'reviewer'] }).expect(200);
    expect(changed.body).toMatchObject({ displayName: 'Cô giáo A2', roles: ['contributor', 'reviewer'], active: true });
    const [event] = await sql<{ data: Record<string, unknown> }>(`SELECT data FROM audit_events WHERE action = 'user_updated' AND data->>'userId' = $1`, [world.ids.teacherA2]);
    expect(event!.data).toMatchObject({ roles: { from: ['contributor'], to: ['contributor', 'reviewer'] }, displayName: { to: 'Cô giáo A2' } });
  });

  it('lists accounts with filters and paging, personal data included, to admins and to org-admins within their subtree only', async () => {
    await server.http.post('/api/v1/users').set(auth('admin'))
      .send({ username: 'gv-hoa', password: PASSWORD, displayName: 'Nguyễn Thị Hoà', orgCode: 'thcs-a2', roles: ['contributor'], personalId: 'GD-0042' }).expect(201);
    const all = await server.http.get('/api/v1/users?limit=200').set(auth('admin')).expect(200);
    expect(all.body.total).toBe(all.body.items.length);
    expect(all.body.items.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['admin', 'teacherb1', 'gv-hoa']));
    expect(all.body.items.every((u: object) => !('passwordHash' in u))).toBe(true);

    const found = await server.http.get('/api/v1/users?q=hoa').set(auth('orgAdminA')).expect(200);
    expect(found.body).toMatchObject({ total: 1, items: [{ username: 'gv-hoa', personalId: 'GD-0042', orgCode: 'thcs-a2' }] });
    const provinceA = await server.http.get('/api/v1/users?limit=200').set(auth('orgAdminA')).expect(200);
    const orgs = new Set(provinceA.body.items.map((u: { orgCode: string }) => u.orgCode));
    expect([...orgs].sort()).toEqual(['sgd-a', 'thcs-a1', 'thcs-a2']);
    const school = await server.http.get('/api/v1/users?org=thcs-a1&role=reviewer&active=true').set(auth('orgAdminA')).expect(200);
    expect(school.body.items.map((u: { username: string }) => u.username).sort()).toEqual(['reviewera1', 'teacherreviewera1']);
    const paged = await server.http.get('/api/v1/users?org=thcs-a1&limit=2&offset=1').set(auth('admin')).expect(200);
    expect(paged.body.items).toHaveLength(2);
    expect(paged.body.total).toBeGreaterThan(3);

    await server.http.get('/api/v1/users?org=sgd-b').set(auth('orgAdminA')).expect(403);
    expect((await server.http.get('/api/v1/users?org=nowhere').set(auth('admin')).expect(400)).body.error.code).toBe('UNKNOWN_ORG');
    await server.http.get('/api/v1/users').set(auth('teacherA1')).expect(403);
    await server.http.get('/api/v1/users').set(auth('reviewerSgdA')).expect(403);
    await server.http.get('/api/v1/users').expect(401);
  });
});

describe('passwords and sessions', () => {
  it('a password change keeps the current session and ends the others', async () => {
    const first = (await login('teacherReviewerA1', PASSWORD, '10.5.0.1').expect(200)).body.token as string;
    const second = (await login('teacherReviewerA1', PASSWORD, '10.5.0.2').expect(200)).body.token as string;
    const change = (token: string, body: object) => server.http.post('/api/v1/me/password').set(bearer(token)).send(body);
    expect((await change(first, { currentPassword: 'khong-dung-dau', newPassword: 'mot-cau-moi-rat-dai' }).expect(400)).body.error.code).toBe('CURRENT_PASSWORD_WRONG');
    const weak = await change(first, { currentPassword: PASSWORD, newPassword: 'matkhau123' }).expect(400);
    expect(weak.body.error).toMatchObject({ code: 'WEAK_PASSWORD', details: [{ field: 'newPassword', reason: 'common' }] });
    await server.http.post('/api/v1/me/password').send({ currentPassword: PASSWORD, newPassword: 'mot-cau-moi-rat-dai' }).expect(401);

    await change(first, { currentPassword: PASSWORD, newPassword: 'mot-cau-moi-rat-dai' }).expect(204);
    await server.http.get('/api/v1/me').set(bearer(first)).expect(200);
    await server.http.get('/api/v1/me').set(bearer(second)).expect(401);
    await server.http.get('/api/v1/me').set(auth('teacherReviewerA1')).expect(401);
    await login('teacherReviewerA1', PASSWORD, '10.5.0.3').expect(401);
    await login('teacherReviewerA1', 'mot-cau-moi-rat-dai', '10.5.0.3').expect(200);
    expect(await sql(`SELECT 1 FROM audit_events WHERE action = 'password_changed' AND actor_id::text = $1`, [world.ids.teacherReviewerA1])).toHaveLength(1);
  });

  it('refuses common passwords and trivial patterns when creating accounts', async () => {
    const create = (username: string, password: string) => server.http.post('/api/v1/users').set(auth('admin'))
      .send({ username, password, displayName: 'Mật khẩu yếu', orgCode: 'thcs-a1', roles: ['contributor'] });
    const cases = { matkhau123: 'common', '123456789a': 'common', Password123: 'common', aaaaaaaaaa: 'pattern', '1234567890': 'common', '9876543210': 'pattern',
      abcdefghij: 'pattern', asdfghjklz: 'pattern', abcabcabca: 'pattern', '1212121212': 'pattern', ngan: 'too_short', 'gv-yeu-mat-khau-gv-yeu': 'contains_username' };
    for (const [password, reason] of Object.entries(cases)) {
      const answer = await create('gv-yeu', password).expect(400);
      expect(answer.body.error, password).toMatchObject({ code: 'WEAK_PASSWORD', details: [{ field: 'password', reason }] });
    }
    await create('gv-yeu', 'ba-con-meo-tren-mai-nha').expect(201);
  });

  it('refuses a common ADMIN_PASSWORD at first start, naming the variable', async () => {
    const database = await createTestDatabase();
    try {
      const attempt = seedFirstRun(database.url, { ...server.ctx.config, adminPassword: 'matkhau123' }, () => undefined);
      await expect(attempt).rejects.toThrow(ConfigError);
      await expect(attempt).rejects.toThrow(/ADMIN_PASSWORD: one of the most common passwords/);
    } finally {
      await database.drop();
    }
  });

  it('refuses a session unused for SESSION_IDLE_HOURS, and records use at most once a minute', async () => {
    const token = (await login('publisherA', PASSWORD, '10.6.0.1').expect(200)).body.token as string;
    const setLastUse = (interval: string) => sql(`UPDATE sessions SET last_used_at = now() - $2::interval WHERE token_hash = $1`, [tokenHash(token), interval]);
    const lastUse = async () => (await sql<{ at: Date }>(`SELECT last_used_at AS at FROM sessions WHERE token_hash = $1`, [tokenHash(token)]))[0]!.at;

    await setLastUse('30 seconds');
    const recent = await lastUse();
    await server.http.get('/api/v1/me').set(bearer(token)).expect(200);
    expect(await lastUse()).toEqual(recent);
    await setLastUse('2 minutes');
    const stale = await lastUse();
    await server.http.get('/api/v1/me').set(bearer(token)).expect(200);
    expect((await lastUse()).getTime()).toBeGreaterThan(stale.getTime());

    await setLastUse('25 hours');
    await server.http.get('/api/v1/me').set(bearer(token)).expect(401);
  });
});

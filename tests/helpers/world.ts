import { OrgRepository } from '../../src/orgs/org.repository.js';
import { UserRepository } from '../../src/users/user.repository.js';
import { hashPassword } from '../../src/users/user.service.js';
import type { TestServer } from './server.js';

export const PASSWORD = 'mat-khau-an-toan-2025';

/**
 * A small country: the ministry with two reviewing departments, two provinces with their own
 * review stage, and schools under them, plus one account per role that the tests act as.
 */
export const ORGS = [
  { code: 'vu-gdpt', name: 'Vụ Giáo dục Phổ thông', kind: 'department', parentCode: 'bgddt', reviewScope: { levels: ['tieu-hoc', 'thcs', 'thpt'] } },
  { code: 'vu-gdqpan', name: 'Vụ Giáo dục Quốc phòng và An ninh', kind: 'department', parentCode: 'bgddt', reviewScope: { subjects: ['giao-duc-quoc-phong-an-ninh'] } },
  { code: 'sgd-a', name: 'Sở GDĐT A', kind: 'province', parentCode: 'bgddt', reviewScope: {} },
  { code: 'sgd-b', name: 'Sở GDĐT B', kind: 'province', parentCode: 'bgddt', reviewScope: {} },
  { code: 'thcs-a1', name: 'Trường THCS A1', kind: 'school', parentCode: 'sgd-a', reviewScope: {} },
  { code: 'thcs-a2', name: 'Trường THCS A2', kind: 'school', parentCode: 'sgd-a' },
  { code: 'thpt-b1', name: 'Trường THPT B1', kind: 'school', parentCode: 'sgd-b' },
] as const;

export const USERS = {
  teacherA1: { orgCode: 'thcs-a1', roles: ['contributor'] },
  teacherA2: { orgCode: 'thcs-a2', roles: ['contributor'] },
  teacherB1: { orgCode: 'thpt-b1', roles: ['contributor'] },
  reviewerA1: { orgCode: 'thcs-a1', roles: ['reviewer'] },
  reviewerA1bis: { orgCode: 'thcs-a1', roles: ['reviewer'] },
  reviewerSgdA: { orgCode: 'sgd-a', roles: ['reviewer'] },
  reviewerSgdB: { orgCode: 'sgd-b', roles: ['reviewer'] },
  reviewerGdpt: { orgCode: 'vu-gdpt', roles: ['reviewer'] },
  reviewerQpan: { orgCode: 'vu-gdqpan', roles: ['reviewer'] },
  orgAdminA: { orgCode: 'sgd-a', roles: ['org-admin'] },
  // Publishers put approved lessons on YouTube and on air: the ministry's and two provinces'.
  publisherBgd: { orgCode: 'bgddt', roles: ['publisher'] },
  publisherA: { orgCode: 'sgd-a', roles: ['publisher'] },
  publisherB: { orgCode: 'sgd-b', roles: ['publisher'] },
  // A teacher who also reviews at their school: never for their own material.
  teacherReviewerA1: { orgCode: 'thcs-a1', roles: ['contributor', 'reviewer'] },
} as const;

export type UserName = keyof typeof USERS | 'admin';
export type World = { tokens: Record<UserName, string>; ids: Record<UserName, string> };

export async function createWorld(server: TestServer, only: readonly (keyof typeof USERS)[] = Object.keys(USERS) as (keyof typeof USERS)[]): Promise<World> {
  const orgs = new OrgRepository(server.ctx.db.db);
  const ministry = await orgs.insert({ code: 'bgddt', name: 'Bộ Giáo dục và Đào tạo', kind: 'ministry' });
  await new UserRepository(server.ctx.db.db).insert({ username: 'admin', passwordHash: await hashPassword(PASSWORD), displayName: 'Quản trị', orgId: ministry.id, roles: ['admin'] });
  const tokens = {} as Record<UserName, string>;
  const ids = {} as Record<UserName, string>;
  const adminLogin = await server.http.post('/api/v1/auth/login').send({ username: 'admin', password: PASSWORD }).expect(200);
  tokens.admin = adminLogin.body.token;
  ids.admin = adminLogin.body.user.id;
  for (const org of ORGS) {
    await server.http.post('/api/v1/orgs').set('authorization', `Bearer ${tokens.admin}`).send(org).expect(201);
  }
  await Promise.all(only.map(async (name) => {
    const user = USERS[name];
    const created = await server.http.post('/api/v1/users').set('authorization', `Bearer ${tokens.admin}`)
      .send({ username: name, password: PASSWORD, displayName: `Người dùng ${name}`, orgCode: user.orgCode, roles: user.roles }).expect(201);
    ids[name] = created.body.id;
    const login = await server.http.post('/api/v1/auth/login').send({ username: name, password: PASSWORD }).expect(200);
    tokens[name] = login.body.token;
  }));
  return { tokens, ids };
}

export const MATERIAL = {
  title: 'Tam giác đồng dạng',
  description: 'Bài giảng về các trường hợp đồng dạng của tam giác, Toán 8.',
  type: 'document',
  level: 'thcs',
  grades: [8],
  subject: 'toan',
  series: 'ket-noi-tri-thuc',
  license: 'CC-BY-4.0',
};

/** A tiny but real one-page PDF (with its cross-reference table) showing `text` (ASCII), which poppler renders. */
export function pdfBytes(text = 'Hoc lieu'): Buffer {
  const shown = text.replace(/[()\\]/g, (c) => `\\${c}`);
  const content = `BT /F1 12 Tf 10 40 Td (${shown}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 80] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const at = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return at;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** One reviewer claims and approves the open task of a material at their stage. */
export async function approveAsReviewer(server: TestServer, world: World, reviewer: UserName, materialId: string): Promise<void> {
  const auth = { authorization: `Bearer ${world.tokens[reviewer]}` };
  const list = await server.http.get('/api/v1/review/tasks?status=open').set(auth).expect(200);
  const task = list.body.items.find((t: { materialId: string }) => t.materialId === materialId);
  await server.http.post(`/api/v1/review/tasks/${task.id}/claim`).set(auth).expect(200);
  await server.http.post(`/api/v1/review/tasks/${task.id}/decision`).set(auth).send({ decision: 'approve' }).expect(200);
}

/** The review stages of teacherA1's school, in order: the school, province A, the ministry's department. */
export const STAGES_A1 = ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const;

/** The teacher submits the material and each stage in turn approves it: it is published. */
export async function submitAndApprove(server: TestServer, world: World, materialId: string, teacher: UserName = 'teacherA1', stages: readonly UserName[] = STAGES_A1): Promise<void> {
  await server.http.post(`/api/v1/materials/${materialId}/submit`).set({ authorization: `Bearer ${world.tokens[teacher]}` }).expect(200);
  for (const reviewer of stages) await approveAsReviewer(server, world, reviewer, materialId);
}

import { Type } from 'typebox';
import { JOB_STATES } from '../../core/queue/queue.js';
import { BEARER, type Route } from '../../http/types.js';
import type { JobFilter } from '../jobs-admin.service.js';

const Query = Type.Object({
  state: Type.Optional(Type.Union([...JOB_STATES, 'stuck'].map((s) => Type.Literal(s)), { default: 'failed', description: 'stuck: đang chạy nhưng đã quá hạn thuê (worker chết hoặc treo)' })),
});

export const listJobs: Route = (app, ctx) => {
  app.get('/api/v1/jobs', { schema: { tags: ['jobs'], summary: 'Tác vụ nền theo trạng thái (quản trị); lỗi chỉ gồm thông điệp, không có đường dẫn máy chủ', security: BEARER, querystring: Query } }, async (request) => (
    { items: await ctx.jobsAdmin.list(request.principal, (request.query.state ?? 'failed') as JobFilter) }
  ));
};

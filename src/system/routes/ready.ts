import { sql } from 'drizzle-orm';
import type { Route } from '../../http/types.js';

export const ready: Route = (app, ctx) => {
  app.get('/api/v1/ready', { schema: { tags: ['system'], summary: 'Readiness: cơ sở dữ liệu, lưu trữ, hàng đợi, tìm kiếm' } }, async (_request, reply) => {
    const probes = {
      database: () => ctx.db.db.execute(sql`SELECT 1`),
      storage: () => ctx.storage.check(),
      queue: () => ctx.queue.check(),
      search: () => ctx.searchIndex.check(),
    };
    const results = await Promise.all(Object.entries(probes).map(async ([name, probe]) => {
      try {
        await probe();
        return [name, 'ok'] as const;
      } catch {
        return [name, 'unavailable'] as const;
      }
    }));
    const checks = Object.fromEntries(results);
    const ok = results.every(([, state]) => state === 'ok');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks });
  });
};

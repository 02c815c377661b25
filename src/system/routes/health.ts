import type { Route } from '../../http/types.js';

export const health: Route = (app) => {
  app.get('/api/v1/health', { schema: { tags: ['system'], summary: 'Liveness' } }, async () => ({ status: 'ok' }));
};

import { etagOf, isNotModified } from '../../http/etag.js';
import { IdParams, type Route } from '../../http/types.js';

/**
 * Anonymous readers get the published version, the same for all (served from memory): a proxy or
 * CDN may keep it a minute and revalidate it by its ETag. Signed-in callers may see a working
 * version: theirs is private.
 */
export const getMaterial: Route = (app, ctx) => {
  app.get('/api/v1/materials/:id', { schema: { tags: ['materials'], summary: 'Xem học liệu (công chúng: phiên bản đã xuất bản)', params: IdParams } },
    async (request, reply) => {
      const body = JSON.stringify(await ctx.materials.get(request.principal, request.params.id));
      const etag = etagOf(body);
      reply.header('cache-control', request.principal ? 'private, no-cache' : 'public, max-age=60').header('vary', 'authorization').header('etag', etag);
      if (isNotModified(request, etag)) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(body);
    });
};

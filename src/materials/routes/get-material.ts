import { etagOf, isNotModified } from '../../http/etag.js';
import { IdParams, type Route } from '../../http/types.js';

/**
 * Anonymous readers get the published version, the same for all (served from memory): a proxy or
 * CDN may keep it a minute and revalidate it by its ETag. Signed-in callers may see a working
 * version: theirs is private.
 */
export const getMaterial: Route = (app, ctx) => {
  // The public view is one object for as long as the cache keeps it: serialised and hashed once.
  const serialised = new WeakMap<object, { body: string; etag: string }>();
  app.get('/api/v1/materials/:id', { schema: { tags: ['materials'], summary: 'Xem học liệu (công chúng: phiên bản đã xuất bản)', params: IdParams } },
    async (request, reply) => {
      const shown = await ctx.materials.get(request.principal, request.params.id);
      let representation = serialised.get(shown);
      if (!representation) {
        const body = JSON.stringify(shown);
        representation = { body, etag: etagOf(body) };
        serialised.set(shown, representation);
      }
      const { body, etag } = representation;
      reply.header('cache-control', request.principal ? 'private, no-cache' : 'public, max-age=60').header('vary', 'authorization').header('etag', etag);
      if (isNotModified(request, etag)) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(body);
    });
};

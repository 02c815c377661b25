import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Route } from '../../http/types.js';
import { createTusServer, handleTus, UPLOADS_PATH } from '../tus-server.js';

export const tusUploads: Route = (app, ctx) => {
  const tus = createTusServer(ctx);
  // Only a process that serves uploads listens for lock-release requests; workers never do.
  app.addHook('onReady', () => ctx.uploads.locker.start());
  // tus reads the raw body itself.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
  const handler = (request: FastifyRequest, reply: FastifyReply) => handleTus(tus, request, reply);
  const schema = { tags: ['files'], summary: 'Tải lên tiếp nối được (giao thức tus 1.0); Upload-Metadata: materialId, filename, filetype', hide: false };
  app.route({ method: ['POST', 'OPTIONS'], url: UPLOADS_PATH, schema, handler });
  app.route({ method: ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'], url: `${UPLOADS_PATH}/:id`, schema, handler });
};

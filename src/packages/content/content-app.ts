import { createRequire } from 'node:module';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { errorHandler, sendError } from '../../http/error-handler.js';
import { Assets, assetsDirectory } from '../../web/assets.js';
import { commitAttempt } from './commit-attempt.js';
import { PERMISSIONS_POLICY } from './content-policy.js';
import { packageFile } from './package-file.js';
import { wrapperPage } from './wrapper-page.js';

const H5P_STANDALONE = path.join(path.dirname(createRequire(import.meta.url).resolve('h5p-standalone/package.json')), 'dist');

export type ContentApp = Awaited<ReturnType<typeof buildContentApp>>;

/**
 * The content origin (CONTENT_ORIGIN): a listener of its own that serves unpacked packages, the
 * SCORM and H5P player pages and h5p-standalone, on another site than the app, so that nothing a package runs can read the app's
 * pages or cookies or call its API as the learner. It reads no cookie and sets none; a token in the
 * path authorises each request. Files are GET/HEAD only; the one POST stores an attempt's commit.
 */
export async function buildContentApp(ctx: AppContext, options: { logger?: FastifyServerOptions['logger'] } = {}) {
  const app = Fastify({ logger: options.logger ?? false, routerOptions: { maxParamLength: 300 }, bodyLimit: 256 * 1024 })
    .withTypeProvider<TypeBoxTypeProvider>().setValidatorCompiler(TypeBoxValidatorCompiler);
  const appOrigin = new URL(ctx.config.publicUrl).origin;
  const assets = Assets.load();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer')
      .header('permissions-policy', PERMISSIONS_POLICY).header('cross-origin-resource-policy', 'same-origin')
      .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    // A service worker would outlive the token and intercept every later visit to this origin.
    if (request.headers['service-worker'] !== undefined) return sendError(request, reply, new AppError('FORBIDDEN'));
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendError(request, reply, AppError.notFound('route')));

  await app.register(fastifyStatic, { root: assetsDirectory(), prefix: '/assets/', index: false, immutable: true, maxAge: '365d' });
  // h5p-standalone's player (its bundles, styles and fonts) as the npm package ships it.
  await app.register(fastifyStatic, { root: H5P_STANDALONE, prefix: '/h5p/', index: false, decorateReply: false, maxAge: '1d' });
  packageFile(app, ctx, appOrigin);
  wrapperPage(app, ctx, { appOrigin, assets });
  commitAttempt(app, ctx);
  return app;
}

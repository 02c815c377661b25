import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { Settings } from 'typebox/system';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { toNFC } from '../core/text.js';
import { errorHandler, sendError } from './error-handler.js';
import { ROUTES } from './routes.js';
import type { App } from './types.js';

export async function buildApp(ctx: AppContext, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<App> {
  // TypeBox stops after 8 errors; a choice among more fixed values (nine question types) fails
  // once per value, and the error details must name every allowed one.
  Settings.Set({ maxErrors: 100 });
  const app = Fastify({
    logger: options.logger ?? false,
    // Long uploads over slow links: no request timeout; the proxy in front decides.
    requestTimeout: 0,
  }).withTypeProvider<TypeBoxTypeProvider>().setValidatorCompiler(TypeBoxValidatorCompiler);

  // Action endpoints (submit, claim, logout…) take no body; many clients still send a JSON content type.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    return parseJson(request, body.toString(), done);
  });

  app.decorateRequest('principal', null);
  app.decorateRequest('bearerToken', null);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendError(request, reply, AppError.notFound('route')));

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Hoclieu — Kho học liệu số dùng chung', version: '1', description: 'API của kho học liệu số dùng chung ngành giáo dục. Lỗi: {"error":{"code","message","details"}}; thông báo tiếng Việt, tiếng Anh khi Accept-Language: en.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(fastifyMultipart, { limits: { fileSize: ctx.config.maxUploadBytes, files: 1, fields: 10, parts: 12 } });

  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await ctx.auth.authenticate(match[1]!) : null;
    if (!principal) throw new AppError('UNAUTHENTICATED');
    request.principal = principal;
    request.bearerToken = match![1]!;
  });
  // Vietnamese typed on macOS and many phones arrives decomposed (NFD); store and compare NFC.
  app.addHook('preValidation', async (request) => {
    if (request.body && typeof request.body === 'object' && !request.isMultipart()) request.body = toNFC(request.body);
    request.query = toNFC(request.query);
  });

  for (const route of ROUTES) route(app, ctx);
  return app;
}

import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { Settings } from 'typebox/system';
import { isUploadToken } from '../auth/upload-token.js';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { toNFC } from '../core/text.js';
import { registerCors } from './cors.js';
import { errorHandler, sendError } from './error-handler.js';
import { controlCharacterFields, hasMultipartBoundary, jsonNestsDeeperThan, MAX_JSON_DEPTH } from './input-guards.js';
import { documentedSchema } from './openapi.js';
import { ROUTES } from './routes.js';
import { UPLOADS_PATH } from '../uploads/tus-server.js';
import { registerWeb } from '../web/register.js';
import { DOCS_CONTENT_SECURITY_POLICY, setSecurityHeaders } from './security-headers.js';
import { refuseUnknownProperties } from './strict-schemas.js';
import type { App } from './types.js';

export async function buildApp(ctx: AppContext, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<App> {
  // TypeBox stops after 8 errors; a choice among more fixed values (nine question types) fails
  // once per value, and the error details must name every allowed one.
  Settings.Set({ maxErrors: 100 });
  const app = Fastify({
    logger: options.logger ?? false,
    // Long uploads over slow links: no request timeout; the proxy in front decides.
    requestTimeout: 0,
    // request.ip (sign-in throttling, logs) believes X-Forwarded-For only from the configured proxies.
    trustProxy: ctx.config.trustProxy.length > 0 ? ctx.config.trustProxy : false,
    // A URL fastify cannot route (bad percent-encoding, a parameter over 100 characters) is answered before
    // any hook: in our format, with our headers.
    frameworkErrors: (error, request, reply) => {
      setSecurityHeaders(reply.raw);
      return errorHandler(error, request, reply);
    },
  }).withTypeProvider<TypeBoxTypeProvider>().setValidatorCompiler(TypeBoxValidatorCompiler);

  // Action endpoints (submit, claim, logout…) take no body; many clients still send a JSON content type.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    const text = body.toString();
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) return done(new AppError('JSON_TOO_DEEP', { max: MAX_JSON_DEPTH }), undefined);
    return parseJson(request, text, done);
  });
  app.addHook('onRoute', (route) => {
    refuseUnknownProperties(route.schema?.body, `${route.method} ${route.url} body`);
    refuseUnknownProperties(route.schema?.querystring, `${route.method} ${route.url} querystring`);
  });

  // First of all hooks, so that every answer carries them: refusals, 404s and hijacked replies (tus) too.
  app.addHook('onRequest', async (_request, reply) => setSecurityHeaders(reply.raw));
  app.decorateRequest('principal', null);
  app.decorateRequest('bearerToken', null);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendError(request, reply, AppError.notFound('route')));

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Hoclieu — Kho học liệu số dùng chung', version: '1', description: 'API của kho học liệu số dùng chung ngành giáo dục. Lỗi: {"error":{"code","message","details"}}; thông báo tiếng Việt, tiếng Anh khi Accept-Language: en.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: ({ schema, url }) => ({ schema: documentedSchema(schema) as typeof schema, url }),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CONTENT_SECURITY_POLICY });
  await registerCors(app, ctx.config);
  await app.register(fastifyMultipart, { limits: { fileSize: ctx.config.maxUploadBytes, files: 1, fields: 10, parts: 12 } });

  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    // An upload token (a page's upload island) is good for tus alone, which checks it itself.
    if (match && isUploadToken(match[1]!) && request.url.startsWith(UPLOADS_PATH)) return;
    const principal = match ? await ctx.auth.authenticate(match[1]!) : null;
    if (!principal) throw new AppError('UNAUTHENTICATED');
    request.principal = principal;
    request.bearerToken = match![1]!;
  });
  // Control characters are refused here, for every route and form: Postgres refuses U+0000 in text,
  // and none of the others belongs in a name, a code or a title.
  app.addHook('preValidation', async (request) => {
    if (request.isMultipart() && !hasMultipartBoundary(request.headers['content-type'])) throw new AppError('MULTIPART_MALFORMED');
    const body = request.isMultipart() ? undefined : request.body;
    const problems = [
      ...controlCharacterFields(request.params, 'params'), ...controlCharacterFields(request.query, 'querystring'), ...controlCharacterFields(body, 'body'),
    ];
    if (problems.length > 0) throw new AppError('VALIDATION_FAILED', {}, problems);
  });
  // Vietnamese typed on macOS and many phones arrives decomposed (NFD); store and compare NFC.
  app.addHook('preValidation', async (request) => {
    if (request.body && typeof request.body === 'object' && !request.isMultipart()) request.body = toNFC(request.body);
    // The query parser's objects have no Object prototype, which toNFC leaves alone: copied first.
    request.query = toNFC({ ...(request.query as object) });
  });

  // The API process keeps what the public reads in memory: it listens for changes from every process.
  app.addHook('onReady', () => ctx.changes.start());
  for (const route of ROUTES) route(app, ctx);
  await registerWeb(app, ctx);
  return app;
}

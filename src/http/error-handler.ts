import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, languageOf, type ErrorCode } from '../core/errors.js';

/**
 * One entry per field. A choice among fixed values (a union of literals) fails once per allowed
 * value in the validator; it is reported once, with the values it may take. An unknown property
 * is named (TypeBox reports it as a failed `false` schema, and again on its object).
 */
function validationDetails(error: FastifyError): Array<{ field: string; message?: string; allowedValues?: unknown[] }> {
  const byField = new Map<string, { field: string; message?: string; allowedValues?: unknown[] }>();
  for (const issue of error.validation!) {
    if (issue.keyword === 'additionalProperties') continue;
    const params = issue.params as { missingProperty?: string; allowedValue?: unknown };
    const field = (issue.instancePath || `/${params?.missingProperty ?? ''}`).replace(/^\//, '').replace(/\//g, '.') || String(error.validationContext);
    const unknown = issue.keyword === 'boolean' && issue.schemaPath.endsWith('/additionalProperties');
    const entry = byField.get(field) ?? { field, message: unknown ? 'is not a known field' : issue.message };
    if (params && 'allowedValue' in params) {
      entry.allowedValues = [...(entry.allowedValues ?? []), params.allowedValue];
      entry.message = 'must be one of the allowed values';
    }
    byField.set(field, entry);
  }
  return [...byField.values()];
}

/** busboy's words for a multipart body cut short or without a usable boundary (plain Errors, no code). */
const MALFORMED_MULTIPART = /unexpected end of multipart data|boundary not found/i;

/** Fastify's and plugins' own 4xx errors (and busboy's), mapped onto our codes. */
function fromFrameworkError(error: FastifyError, request: FastifyRequest): AppError | null {
  if (error.validation) return new AppError('VALIDATION_FAILED', {}, validationDetails(error));
  // @fastify/csrf-protection's refusals of a page form (src/web/csrf.ts).
  if (error.code === 'FST_CSRF_MISSING_SECRET' || error.code === 'FST_CSRF_INVALID_TOKEN') return new AppError('CSRF_INVALID');
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('BODY_TOO_LARGE', { limit: request.routeOptions.bodyLimit ?? '' });
  if (error.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new AppError('UNSUPPORTED_MEDIA_TYPE', {}, { reason: 'multipart/form-data expected' });
  if (!error.statusCode && MALFORMED_MULTIPART.test(error.message)) return new AppError('MULTIPART_MALFORMED', {}, { reason: error.message });
  if (!error.statusCode || error.statusCode < 400 || error.statusCode >= 500) return null;
  const byStatus: Record<number, ErrorCode> = { 413: 'FILE_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 404: 'NOT_FOUND' };
  // Any other refusal of the request by the framework is a bad request, never a 500.
  const code = byStatus[error.statusCode] ?? 'VALIDATION_FAILED';
  return new AppError(code, code === 'NOT_FOUND' ? { resource: 'route' } : {}, { reason: error.message });
}

export function errorHandler(this: unknown, error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const appError = error instanceof AppError ? error : fromFrameworkError(error, request);
  if (!appError) {
    request.log.error({ err: error }, 'unhandled error');
    if (process.env.DEBUG_ERRORS) console.error(error);
    return sendError(request, reply, new AppError('INTERNAL'));
  }
  return sendError(request, reply, appError);
}

/** A browser asking for a page (not the API, not its documentation): it gets an HTML error page. */
function wantsPage(request: FastifyRequest): boolean {
  const path = request.url;
  return !path.startsWith('/api/') && !path.startsWith('/docs') && (request.headers.accept ?? '').includes('text/html');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  // The web portal (src/web/error-pages.tsx) sets sendErrorPage; the API keeps its JSON errors.
  if (reply.sendErrorPage && wantsPage(request)) return reply.sendErrorPage(error);
  const body: { code: string; message: string; details?: unknown } = { code: error.code, message: error.describe(languageOf(request.headers['accept-language'])) };
  if (error.details !== undefined) body.details = error.details;
  // A 429 that knows its wait says it the standard way too (RFC 9110 §10.2.3).
  if (error.status === 429 && typeof error.params.seconds === 'number') reply.header('retry-after', String(error.params.seconds));
  return reply.code(error.status).send({ error: body });
}

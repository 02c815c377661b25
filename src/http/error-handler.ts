import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, languageOf, type ErrorCode } from '../core/errors.js';

/**
 * One entry per field. A choice among fixed values (a union of literals) fails once per allowed
 * value in the validator; it is reported once, with the values it may take.
 */
function validationDetails(error: FastifyError): Array<{ field: string; message?: string; allowedValues?: unknown[] }> {
  const byField = new Map<string, { field: string; message?: string; allowedValues?: unknown[] }>();
  for (const issue of error.validation!) {
    const params = issue.params as { missingProperty?: string; allowedValue?: unknown };
    const field = (issue.instancePath || `/${params?.missingProperty ?? ''}`).replace(/^\//, '').replace(/\//g, '.') || String(error.validationContext);
    const entry = byField.get(field) ?? { field, message: issue.message };
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

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const body: { code: string; message: string; details?: unknown } = { code: error.code, message: error.describe(languageOf(request.headers['accept-language'])) };
  if (error.details !== undefined) body.details = error.details;
  return reply.code(error.status).send({ error: body });
}

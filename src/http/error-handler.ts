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

/** Fastify's and plugins' own 4xx errors, mapped onto our codes. */
function fromFrameworkError(error: FastifyError): AppError | null {
  if (error.validation) return new AppError('VALIDATION_FAILED', {}, validationDetails(error));
  const byStatus: Record<number, ErrorCode> = { 400: 'VALIDATION_FAILED', 413: 'FILE_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 404: 'NOT_FOUND' };
  const code = error.statusCode && byStatus[error.statusCode];
  if (!code) return null;
  const appError = new AppError(code, code === 'NOT_FOUND' ? { resource: 'route' } : {}, { reason: error.message });
  return appError;
}

export function errorHandler(this: unknown, error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const appError = error instanceof AppError ? error : fromFrameworkError(error);
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

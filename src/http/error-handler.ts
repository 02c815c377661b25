import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, languageOf, type ErrorCode, type Language } from '../core/errors.js';
import { localizeFieldProblems, ruleOf, type FieldProblem } from './field-problems.js';

/**
 * One entry per field, as a rule the answer words in the caller's language (field-problems.ts).
 * A choice among fixed values (a union of literals) fails once per allowed value in the validator;
 * it is reported once, with the values it may take; a union of types names them all. A missing
 * property is named, one entry each. An unknown property is named too (TypeBox reports it as a
 * failed `false` schema, and again on its object).
 */
function validationDetails(error: FastifyError): FieldProblem[] {
  const byField = new Map<string, FieldProblem & { types?: unknown[] }>();
  const fieldOf = (path: string[]) => path.filter(Boolean).join('.') || String(error.validationContext);
  for (const issue of error.validation!) {
    if (issue.keyword === 'additionalProperties') continue;
    const params = (issue.params ?? {}) as Record<string, unknown>;
    const path = issue.instancePath.split('/').slice(1);
    if (issue.keyword === 'required') {
      for (const name of [params.requiredProperties ?? params.missingProperty].flat()) {
        const field = fieldOf([...path, String(name)]);
        if (!byField.has(field)) byField.set(field, { field, rule: 'required' });
      }
      continue;
    }
    const field = fieldOf(path);
    const unknown = issue.keyword === 'boolean' && issue.schemaPath.endsWith('/additionalProperties');
    const entry = byField.get(field) ?? { field, rule: unknown ? 'unknownField' : ruleOf(issue.keyword), params };
    if ('allowedValue' in params || Array.isArray(params.allowedValues)) {
      entry.allowedValues = [...(entry.allowedValues ?? []), ...[params.allowedValues ?? params.allowedValue].flat()];
      entry.rule = 'allowedValues';
    } else if (issue.keyword === 'type') {
      entry.types = [...(entry.types ?? []), params.type];
    } else if (issue.keyword === 'anyOf' && !entry.allowedValues) {
      // Every branch of the union failed: say what it accepts, not what its first branch wanted.
      Object.assign(entry, entry.types && entry.types.length > 1 ? { rule: 'type', params: { type: entry.types } } : { rule: 'anyOf', params: {} });
    }
    byField.set(field, entry);
  }
  return [...byField.values()].map(({ types: _types, ...problem }) => problem);
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

/** The one JSON error body of the API, `{"error":{code,message,details?}}`, in the caller's language (the tus routes write it too). */
export function errorBody(error: AppError, language: Language): { error: { code: string; message: string; details?: unknown } } {
  const body: { code: string; message: string; details?: unknown } = { code: error.code, message: error.describe(language) };
  if (error.details !== undefined) body.details = localizeFieldProblems(error.details, language);
  return { error: body };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  // The web portal (src/web/error-pages.tsx) sets sendErrorPage; the API keeps its JSON errors.
  if (reply.sendErrorPage && wantsPage(request)) return reply.sendErrorPage(error);
  // A 429 that knows its wait says it the standard way too (RFC 9110 §10.2.3).
  if (error.status === 429 && typeof error.params.seconds === 'number') reply.header('retry-after', String(error.params.seconds));
  return reply.code(error.status).send(errorBody(error, languageOf(request.headers['accept-language'])));
}

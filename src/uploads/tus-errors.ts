import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyBaseLogger } from 'fastify';
import { AppError, type ErrorCode, type Language } from '../core/errors.js';
import { errorBody } from '../http/error-handler.js';

/** The request a tus answer is for, where @tus/server does not pass it (its own refusals). */
export interface TusRequestScope {
  lang: Language;
  log: FastifyBaseLogger;
}
export const tusRequestScope = new AsyncLocalStorage<TusRequestScope>();

/** Our JSON error body, as every other route answers it. */
export function errorText(error: AppError, lang: Language): string {
  return JSON.stringify(errorBody(error, lang));
}

// The protocol keeps its status codes (clients act on them); the body says it our way.
const BY_STATUS: Record<number, ErrorCode> = {
  400: 'UPLOAD_REQUEST_INVALID', 403: 'UPLOAD_REQUEST_INVALID', 404: 'NOT_FOUND', 409: 'UPLOAD_OFFSET_CONFLICT',
  410: 'UPLOAD_GONE', 412: 'TUS_VERSION_REQUIRED', 413: 'FILE_TOO_LARGE', 501: 'UPLOAD_FEATURE_UNSUPPORTED',
};

/**
 * One of @tus/server's own refusals (a status and an English line of text) as our error. Its
 * text goes along as details for 4xx answers; a 5xx says nothing of the cause (its text may carry
 * an exception's message: SQL, paths).
 */
export function fromTusRefusal(status: number, text: string, maxUploadBytes: number): AppError {
  const code = BY_STATUS[status];
  if (!code) return new AppError('INTERNAL');
  const params: Record<string, string | number> = code === 'NOT_FOUND' ? { resource: 'upload' } : code === 'FILE_TOO_LARGE' ? { limit: maxUploadBytes } : {};
  const reason = text.trim();
  return new AppError(code, params, reason && code !== 'NOT_FOUND' ? { reason } : undefined);
}

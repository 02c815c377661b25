import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import type { App } from '../http/types.js';
import { checkCsrfToken } from './csrf.js';

/**
 * The file of a page's multipart form, streamed: the form's `_csrf` field comes before the file
 * and is checked before a byte of it is read; other fields and an empty file input are passed
 * over. `onFile` gets the `file` part while it streams; `onNone` answers a form without one.
 */
export async function handlePostedFile<T>(app: App, request: FastifyRequest, reply: FastifyReply, onFile: (part: MultipartFile) => Promise<T>, onNone: () => T | Promise<T>): Promise<T> {
  let checked = false;
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (part.fieldname === '_csrf') {
        await checkCsrfToken(app, request, reply, String(part.value));
        checked = true;
      }
      continue;
    }
    if (!checked) throw new AppError('CSRF_INVALID');
    if (part.fieldname !== 'file' || part.filename === '') {
      part.file.resume();
      continue;
    }
    return onFile(part);
  }
  if (!checked) throw new AppError('CSRF_INVALID');
  return onNone();
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { parseRange } from './content-disposition.js';
import { isNotModified } from '../http/etag.js';

export interface StoredFile {
  storageKey: string;
  size: number;
  mime: string;
  etag: string;
  disposition?: string;
  /** Cache-Control: public content may be cached by proxies, private content not. */
  cache: 'public' | 'private';
}

/**
 * Whether a request for an object is a download to count: a GET of the whole object or of a range
 * from its first byte (players and download managers then fetch the rest in ranges). HEAD
 * requests, revalidations (304) and later ranges are not.
 */
export function isDownload(request: FastifyRequest, range: { start: number } | null | 'invalid'): boolean {
  return request.method === 'GET' && range !== 'invalid' && (range === null || range.start === 0);
}

/** Sends a stored object with ETag, conditional GET and single byte ranges (206/416). */
export async function sendObject(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, object: StoredFile, onDownload?: () => Promise<void>) {
  const etag = `"${object.etag}"`;
  reply.header('etag', etag).header('accept-ranges', 'bytes').header('x-content-type-options', 'nosniff')
    .header('cache-control', object.cache === 'public' ? 'public, max-age=3600' : 'private, max-age=0, must-revalidate');
  if (object.disposition) reply.header('content-disposition', object.disposition);
  if (isNotModified(request, etag)) return reply.code(304).send();
  const ifRange = request.headers['if-range'];
  const range = parseRange(ifRange && ifRange !== etag ? undefined : request.headers.range, object.size);
  if (range === 'invalid') {
    reply.header('content-range', `bytes */${object.size}`);
    throw new AppError('INVALID_RANGE');
  }
  if (onDownload && isDownload(request, range)) await onDownload();
  reply.type(object.mime);
  if (range) {
    reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${object.size}`).header('content-length', range.end - range.start + 1);
    return reply.send(await ctx.storage.read(object.storageKey, range));
  }
  reply.header('content-length', object.size);
  return reply.send(await ctx.storage.read(object.storageKey));
}

import { Type } from 'typebox';
import { AppError } from '../../core/errors.js';
import { sendObject } from '../../files/send-object.js';
import type { Route } from '../../http/types.js';
import { mediaFile, SignedQuery } from './media-access.js';

const MIME: Record<string, string> = { mp4: 'video/mp4', m4a: 'audio/mp4', webp: 'image/webp', jpeg: 'image/jpeg' };
const Params = Type.Object({ id: Type.String({ format: 'uuid' }), renditionId: Type.String({ format: 'uuid' }) });

export const renditionContent: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/renditions/:renditionId', {
    schema: { tags: ['media'], summary: 'Nội dung một bản chuyển mã (hỗ trợ Range)', params: Params, querystring: SignedQuery },
  }, async (request, reply) => {
    const { file, isPublic } = await mediaFile(ctx, request, request.params.id);
    const rendition = await ctx.mediaRepository.rendition(request.params.renditionId);
    if (!rendition || rendition.sha256 !== file.sha256 || rendition.kind === 'hls') throw AppError.notFound('file');
    return sendObject(ctx, request, reply, {
      storageKey: rendition.storageKey, size: rendition.size, mime: MIME[rendition.format] ?? 'application/octet-stream', etag: rendition.id, cache: isPublic ? 'public' : 'private',
    });
  });
};

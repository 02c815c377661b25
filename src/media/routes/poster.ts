import { Type } from 'typebox';
import { AppError } from '../../core/errors.js';
import { sendObject } from '../../files/send-object.js';
import { IdParams, type Route } from '../../http/types.js';
import { mediaFile, SignedQuery } from './media-access.js';

const Query = Type.Object({ ...SignedQuery.properties, size: Type.Optional(Type.Union([Type.Literal(1280), Type.Literal(640), Type.Literal(320)])) });

export const poster: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/poster', {
    schema: { tags: ['media'], summary: 'Ảnh đại diện (WebP nếu trình duyệt nhận, không thì JPEG)', params: IdParams, querystring: Query },
  }, async (request, reply) => {
    const { file, isPublic } = await mediaFile(ctx, request, request.params.id);
    const size = request.query.size ?? 1280;
    const format = /image\/webp/.test(request.headers.accept ?? '') ? 'webp' : 'jpeg';
    const images = [...(await ctx.mediaRepository.renditions(file.sha256, 'poster')), ...(await ctx.mediaRepository.renditions(file.sha256, 'thumbnail'))];
    const chosen = images.find((r) => r.format === format && r.storageKey.endsWith(`/poster-${size}.${format === 'jpeg' ? 'jpg' : 'webp'}`));
    if (!chosen) throw AppError.notFound('file');
    reply.header('vary', 'accept');
    return sendObject(ctx, request, reply, { storageKey: chosen.storageKey, size: chosen.size, mime: `image/${format}`, etag: chosen.id, cache: isPublic ? 'public' : 'private' });
  });
};

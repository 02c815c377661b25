import { Type } from 'typebox';
import { AppError } from '../../core/errors.js';
import { sendObject } from '../../files/send-object.js';
import type { Route } from '../../http/types.js';
import { mediaFile, SignedQuery } from '../../media/routes/media-access.js';

const Params = Type.Object({ id: Type.String({ format: 'uuid' }), page: Type.Integer({ minimum: 1, maximum: 100_000 }) });
const Query = Type.Object({ ...SignedQuery.properties, width: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096, description: 'Bề rộng ảnh (mặc định ảnh rộng nhất)' })) });

export const documentPage: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/document/pages/:page', {
    schema: { tags: ['documents'], summary: 'Ảnh một trang của tài liệu (WebP)', params: Params, querystring: Query },
  }, async (request, reply) => {
    const { file, isPublic } = await mediaFile(ctx, request, request.params.id);
    const image = await ctx.documents.pageImage(file.sha256, request.params.page, request.query.width);
    if (!image) throw AppError.notFound('document');
    return sendObject(ctx, request, reply, { storageKey: image.key, size: image.size, mime: 'image/webp', etag: image.key, cache: isPublic ? 'public' : 'private' });
  });
};

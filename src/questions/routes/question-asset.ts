import { Type } from 'typebox';
import { blobKey } from '../../files/blob-key.js';
import { sendObject } from '../../files/send-object.js';
import { BEARER, type Route } from '../../http/types.js';

const Params = Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String({ minLength: 1, maxLength: 500 }) });

export const questionAsset: Route = (app, ctx) => {
  app.get('/api/v1/questions/:id/assets/:name', {
    schema: { tags: ['questions'], summary: 'Ảnh/âm thanh nhúng trong câu hỏi', security: BEARER, params: Params },
  }, async (request, reply) => {
    const asset = await ctx.questions.asset(request.principal, request.params.id, request.params.name.normalize('NFC'));
    return sendObject(ctx, request, reply, { storageKey: blobKey(asset.sha256), size: asset.size, mime: asset.mime, etag: asset.sha256, cache: 'private' });
  });
};

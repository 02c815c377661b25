import { IdParams, type Route } from '../../http/types.js';
import { contentDisposition, parseRange } from '../content-disposition.js';
import { fileNameFor } from '../file-name.js';
import { isDownload, sendObject } from '../send-object.js';
import { isNotModified } from '../../http/etag.js';
import { Type } from 'typebox';
import { verifyFileSignature } from '../signed-url.js';

/** A signed link's query (src/files/signed-url.ts). */
const SignedQuery = Type.Object({ exp: Type.Optional(Type.String({ maxLength: 20 })), sig: Type.Optional(Type.String({ maxLength: 200 })) });

export const downloadFile: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/content', {
    // A signed link (exp, sig) opens a file that is not public to a page's plain link or caption track, which send no token.
    schema: { tags: ['files'], summary: 'Tải tệp (hỗ trợ Range, ETag = sha256)', params: IdParams, querystring: SignedQuery },
  }, async (request, reply) => {
    const { file, storageKey, materialId, isPublic } = await ctx.files.forDownload(request.principal, request.params.id, { signed: verifyFileSignature(ctx.secretKey, request.params.id, request.query) });
    const disposition = contentDisposition(fileNameFor(file.name, file.mime));
    if (ctx.config.downloadRedirect && !isNotModified(request, `"${file.sha256}"`)) {
      const url = await ctx.files.presignedUrl(storageKey, { contentDisposition: disposition, contentType: file.mime });
      if (url) {
        if (isDownload(request, parseRange(request.headers.range, file.size))) await ctx.files.countDownload(materialId);
        return reply.redirect(url, 302);
      }
    }
    return sendObject(ctx, request, reply, { storageKey, size: file.size, mime: file.mime, etag: file.sha256, disposition, cache: isPublic ? 'public' : 'private' },
      () => ctx.files.countDownload(materialId));
  });
};

import { IdParams, type Route } from '../../http/types.js';
import { contentDisposition, parseRange } from '../content-disposition.js';
import { fileNameFor } from '../file-name.js';
import { isDownload, sendObject } from '../send-object.js';
import { isNotModified } from '../../http/etag.js';

export const downloadFile: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/content', {
    schema: { tags: ['files'], summary: 'Tải tệp (hỗ trợ Range, ETag = sha256)', params: IdParams },
  }, async (request, reply) => {
    const { file, storageKey, materialId, isPublic } = await ctx.files.forDownload(request.principal, request.params.id);
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

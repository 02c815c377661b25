import { IdParams, type Route } from '../../http/types.js';
import { contentDisposition } from '../content-disposition.js';
import { sendObject } from '../send-object.js';

export const downloadFile: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/content', {
    schema: { tags: ['files'], summary: 'Tải tệp (hỗ trợ Range, ETag = sha256)', params: IdParams },
  }, async (request, reply) => {
    const { file, storageKey, materialId, isPublic } = await ctx.files.forDownload(request.principal, request.params.id);
    const disposition = contentDisposition(file.name);
    if (ctx.config.downloadRedirect && request.headers['if-none-match'] !== `"${file.sha256}"`) {
      const url = await ctx.files.presignedUrl(storageKey, { contentDisposition: disposition, contentType: file.mime });
      if (url) {
        if (!request.headers.range) await ctx.files.countDownload(materialId);
        return reply.redirect(url, 302);
      }
    }
    return sendObject(ctx, request, reply, { storageKey, size: file.size, mime: file.mime, etag: file.sha256, disposition, cache: isPublic ? 'public' : 'private' },
      () => ctx.files.countDownload(materialId));
  });
};

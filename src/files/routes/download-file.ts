import { AppError } from '../../core/errors.js';
import { IdParams, type Route } from '../../http/types.js';
import { contentDisposition, parseRange } from '../content-disposition.js';

export const downloadFile: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/content', {
    schema: { tags: ['files'], summary: 'Tải tệp (hỗ trợ Range, ETag = sha256)', params: IdParams },
  }, async (request, reply) => {
    const { file, storageKey, materialId } = await ctx.files.forDownload(request.principal, request.params.id);
    const etag = `"${file.sha256}"`;
    const disposition = contentDisposition(file.name);
    reply.header('etag', etag).header('accept-ranges', 'bytes').header('content-disposition', disposition)
      .header('cache-control', 'private, max-age=0, must-revalidate').header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();

    const range = parseRange(request.headers['if-range'] && request.headers['if-range'] !== etag ? undefined : request.headers.range, file.size);
    if (range === 'invalid') {
      reply.header('content-range', `bytes */${file.size}`);
      throw new AppError('INVALID_RANGE');
    }
    if (!range || range.start === 0) await ctx.files.countDownload(materialId);

    if (ctx.config.downloadRedirect) {
      const url = await ctx.files.presignedUrl(storageKey, { contentDisposition: disposition, contentType: file.mime });
      if (url) return reply.redirect(url, 302);
    }
    reply.type(file.mime);
    if (range) {
      reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${file.size}`).header('content-length', range.end - range.start + 1);
      return reply.send(await ctx.files.open(storageKey, range));
    }
    reply.header('content-length', file.size);
    return reply.send(await ctx.files.open(storageKey));
  });
};

import { AppError } from '../../core/errors.js';
import { contentDisposition } from '../../files/content-disposition.js';
import { sendObject } from '../../files/send-object.js';
import { IdParams, type Route } from '../../http/types.js';
import { mediaFile, SignedQuery } from '../../media/routes/media-access.js';

export const documentPdf: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/document/pdf', {
    schema: { tags: ['documents'], summary: 'Bản PDF của tài liệu (tệp gốc nếu là PDF, bản chuyển đổi nếu là tệp Office)', params: IdParams, querystring: SignedQuery },
  }, async (request, reply) => {
    const { file, isPublic } = await mediaFile(ctx, request, request.params.id);
    const pdf = await ctx.documents.pdf(file.sha256);
    if (!pdf) throw AppError.notFound('document');
    const name = `${file.name.replace(/\.[^.]*$/, '')}.pdf`;
    return sendObject(ctx, request, reply, {
      storageKey: pdf.key, size: pdf.size, mime: 'application/pdf', etag: `${file.sha256}-pdf`, cache: isPublic ? 'public' : 'private',
      disposition: contentDisposition(name, 'inline'),
    });
  });
};

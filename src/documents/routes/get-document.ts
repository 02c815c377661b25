import { Type } from 'typebox';
import { AppError } from '../../core/errors.js';
import { IdParams, type Route } from '../../http/types.js';
import { mediaFile, SignedQuery } from '../../media/routes/media-access.js';

const Query = Type.Object({ ...SignedQuery.properties, text: Type.Optional(Type.Boolean({ description: 'Kèm văn bản của từng trang' })) });

export const getDocument: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/document', {
    schema: {
      tags: ['documents'], summary: 'Bản xem trước của tài liệu: trạng thái, số trang, PDF, ảnh từng trang (và văn bản với ?text=true)',
      params: IdParams, querystring: Query,
    },
  }, async (request) => {
    const { file, sign } = await mediaFile(ctx, request, request.params.id);
    const view = await ctx.documents.view(file, { sign, withText: request.query.text ?? false });
    if (!view) throw AppError.notFound('document');
    return view;
  });
};

import { AppError } from '../../core/errors.js';
import { IdParams, type Route } from '../../http/types.js';
import { mediaFile, SignedQuery } from './media-access.js';

export const qcReport: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/qc', {
    schema: { tags: ['media'], summary: 'Báo cáo kiểm tra kỹ thuật bài giảng truyền hình (từng tiêu chí: đạt / cảnh báo / không đạt, kèm mốc thời gian)', params: IdParams, querystring: SignedQuery },
  }, async (request) => {
    const { file } = await mediaFile(ctx, request, request.params.id);
    const view = await ctx.qc.view(file.sha256);
    if (!view) throw AppError.notFound('file');
    return view;
  });
};

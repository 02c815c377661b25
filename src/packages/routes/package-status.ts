import { AppError } from '../../core/errors.js';
import { BEARER, IdParams, type Route } from '../../http/types.js';

export const packageStatus: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/package', {
    schema: {
      tags: ['packages'], security: BEARER, params: IdParams,
      summary: 'Tình trạng gói học liệu tương tác (SCORM, HTML5, H5P) và địa chỉ trình phát trên miền nội dung',
    },
  }, async (request) => {
    const { file } = await ctx.files.forDownload(request.principal, request.params.id);
    const view = await ctx.packages.view(file, request.principal);
    if (!view) throw new AppError('NOT_A_PACKAGE');
    return view;
  });
};

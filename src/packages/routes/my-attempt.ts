import { requirePrincipal } from '../../auth/principal.js';
import { BEARER, IdParams, type Route } from '../../http/types.js';

export const myAttempt: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/attempts/me', {
    schema: { tags: ['packages'], security: BEARER, params: IdParams, summary: 'Lượt học gần nhất của người dùng với gói SCORM' },
  }, async (request) => {
    const principal = requirePrincipal(request.principal);
    const { file } = await ctx.files.forDownload(principal, request.params.id);
    return ctx.packages.myAttempt(file, principal);
  });
};

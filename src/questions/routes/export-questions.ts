import { Type } from 'typebox';
import { contentDisposition } from '../../files/content-disposition.js';
import { BEARER, IdParams, type Route } from '../../http/types.js';
import { EXPORT_FORMATS, type ExportFormat } from '../formats/index.js';

const Query = Type.Object({ format: Type.Union(EXPORT_FORMATS.map((f) => Type.Literal(f))) });

/**
 * The file, with the number of things the format could not carry in `Hoclieu-Export-Issues`;
 * `…/export/report` lists them.
 */
export const exportQuestions: Route = (app, ctx) => {
  app.get('/api/v1/materials/:id/questions/export', {
    schema: { tags: ['questions'], summary: 'Xuất ngân hàng câu hỏi (moodle-xml, gift, qti21, qti30, csv, xlsx)', security: BEARER, params: IdParams, querystring: Query },
  }, async (request, reply) => {
    const result = await ctx.questions.export(request.principal, request.params.id, request.query.format as ExportFormat);
    return reply.type(result.contentType).header('content-disposition', contentDisposition(`${result.title}.${result.extension}`))
      .header('hoclieu-export-issues', String(result.report.length)).header('cache-control', 'private, no-store').send(result.body);
  });

  app.get('/api/v1/materials/:id/questions/export/report', {
    schema: { tags: ['questions'], summary: 'Những gì định dạng xuất không thể hiện được, theo từng câu', security: BEARER, params: IdParams, querystring: Query },
  }, async (request) => {
    const result = await ctx.questions.export(request.principal, request.params.id, request.query.format as ExportFormat);
    return { format: request.query.format, issues: result.report };
  });
};

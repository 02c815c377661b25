import { Type } from 'typebox';
import { contentDisposition } from '../../files/content-disposition.js';
import { BEARER, IdParams, type Route } from '../../http/types.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../questions/formats/index.js';

const Query = Type.Object({
  format: Type.Union([...EXPORT_FORMATS, 'docx'].map((f) => Type.Literal(f))),
  variant: Type.Optional(Type.String({ maxLength: 20, description: 'Mã đề; mặc định mã đề đầu tiên' })),
});

export const exportTest: Route = (app, ctx) => {
  app.get('/api/v1/tests/:id/export', {
    schema: { tags: ['tests'], summary: 'Xuất một mã đề: moodle-xml, gift, qti21, qti30, csv, xlsx, hoặc docx để in (kèm đáp án)', security: BEARER, params: IdParams, querystring: Query },
  }, async (request, reply) => {
    const result = await ctx.exams.export(request.principal, request.params.id, request.query.format as ExportFormat | 'docx', request.query.variant);
    return reply.type(result.contentType).header('content-disposition', contentDisposition(`${result.name}.${result.extension}`))
      .header('hoclieu-export-issues', String(result.report.length)).header('cache-control', 'private, no-store').send(result.body);
  });
};

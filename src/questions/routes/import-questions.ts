import { Type } from 'typebox';
import { AppError } from '../../core/errors.js';
import { BEARER, IdParams, type Route } from '../../http/types.js';
import { QUESTION_FORMATS, type QuestionFormat } from '../question.service.js';

// Question files are text or small packages: read whole, within this bound.
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const Query = Type.Object({
  format: Type.Optional(Type.Union(QUESTION_FORMATS.map((f) => Type.Literal(f)), { default: 'auto' })),
  dryRun: Type.Optional(Type.Boolean({ default: false })),
  mode: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('partial')], { default: 'all' })),
});

export const importQuestions: Route = (app, ctx) => {
  app.post('/api/v1/materials/:id/questions/import', {
    schema: {
      tags: ['questions'], summary: 'Nhập câu hỏi từ tệp (multipart "file"); dryRun=true để xem trước; mode=partial để nhập các câu hợp lệ',
      security: BEARER, params: IdParams, querystring: Query, consumes: ['multipart/form-data'],
    },
  }, async (request) => {
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw new AppError('FILE_MISSING');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of part.file) {
      size += (chunk as Buffer).length;
      if (size > MAX_IMPORT_BYTES) throw new AppError('FILE_TOO_LARGE', { limit: MAX_IMPORT_BYTES });
      chunks.push(chunk as Buffer);
    }
    if (size === 0) throw new AppError('FILE_EMPTY');
    return ctx.questions.import(request.principal, request.params.id, { name: part.filename.normalize('NFC'), bytes: Buffer.concat(chunks) }, {
      format: (request.query.format ?? 'auto') as QuestionFormat, dryRun: request.query.dryRun ?? false, partial: request.query.mode === 'partial',
    });
  });
};

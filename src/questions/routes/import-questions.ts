import { Type } from 'typebox';
import { AppError } from '../../core/errors.js';
import { readBounded } from '../../core/streams.js';
import { BEARER, IdParams, type Route } from '../../http/types.js';
import { IMPORT_FORMATS } from '../formats/index.js';
import type { ImportMode } from '../question.service.js';

const Query = Type.Object({
  format: Type.Optional(Type.Union(['auto', ...IMPORT_FORMATS].map((f) => Type.Literal(f)), { default: 'auto' })),
  dryRun: Type.Optional(Type.Boolean({ default: false })),
  mode: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('partial')], { default: 'all' })),
});

export const importQuestions: Route = (app, ctx) => {
  app.post('/api/v1/materials/:id/questions/import', {
    schema: {
      tags: ['questions'], summary: 'Nhập câu hỏi từ tệp (multipart "file"); dryRun=true để xem trước; mode=partial để nhập các câu hợp lệ',
      description: 'Định dạng: GIFT, Moodle XML, QTI 2.1/3.0 (tệp item hoặc gói .zip), Aiken, CSV/XLSX theo mẫu, Word .docx. Mặc định nhập tất cả hoặc không câu nào.',
      security: BEARER, params: IdParams, querystring: Query, consumes: ['multipart/form-data'],
    },
  }, async (request) => {
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw new AppError('FILE_MISSING');
    // Question files are text or small packages, parsed whole: read within the configured bound.
    const limit = ctx.config.questionImportMaxBytes;
    const bytes = await readBounded(part.file, limit, () => new AppError('FILE_TOO_LARGE', { limit }));
    if (bytes.length === 0) throw new AppError('FILE_EMPTY');
    const mode: ImportMode = { format: (request.query.format ?? 'auto') as ImportMode['format'], dryRun: request.query.dryRun ?? false, partial: request.query.mode === 'partial' };
    return ctx.questions.import(request.principal, request.params.id, { name: part.filename.normalize('NFC'), bytes }, mode);
  });
};

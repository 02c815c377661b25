import { AppError } from '../../core/errors.js';
import { BEARER, IdParams, type Route } from '../../http/types.js';

export const uploadFile: Route = (app, ctx) => {
  app.post('/api/v1/materials/:id/files', {
    schema: {
      tags: ['files'], summary: 'Tải tệp lên (multipart, trường "file"); loại tệp nhận biết từ nội dung', security: BEARER, params: IdParams,
      consumes: ['multipart/form-data'],
    },
  }, async (request, reply) => {
    // Refuse an announced oversize body before reading any of it.
    const announced = Number(request.headers['content-length'] ?? 0);
    if (announced > ctx.config.maxUploadBytes + 1024 * 1024) {
      reply.header('connection', 'close');
      throw new AppError('FILE_TOO_LARGE', { limit: ctx.config.maxUploadBytes });
    }
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw new AppError('FILE_MISSING');
    part.file.on('limit', () => part.file.destroy(new AppError('FILE_TOO_LARGE', { limit: ctx.config.maxUploadBytes })));
    try {
      const file = await ctx.files.add(request.principal, request.params.id, { filename: part.filename, stream: part.file });
      return reply.code(201).send(file);
    } catch (error) {
      // The rest of the body is not wanted: close the connection instead of reading it.
      if (!part.file.readableEnded) reply.header('connection', 'close');
      throw error;
    }
  });
};

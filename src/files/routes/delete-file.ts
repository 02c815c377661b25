import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';

const Params = Type.Object({ id: Type.String({ format: 'uuid' }), fileId: Type.String({ format: 'uuid' }) });

export const deleteFile: Route = (app, ctx) => {
  app.delete('/api/v1/materials/:id/files/:fileId', { schema: { tags: ['files'], summary: 'Xoá tệp khỏi bản nháp', security: BEARER, params: Params } },
    async (request, reply) => {
      await ctx.files.remove(request.principal, request.params.id, request.params.fileId);
      return reply.code(204).send();
    });
};

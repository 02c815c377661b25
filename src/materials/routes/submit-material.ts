import { Type } from 'typebox';
import { BEARER, IdParams, type Route } from '../../http/types.js';

/** A first submission needs no body; a resubmission answers the reviewers with a note. */
const Body = Type.Object({
  note: Type.Optional(Type.String({ maxLength: 10_000, description: 'Trả lời người thẩm định (những gì đã sửa)' })),
}, { additionalProperties: false });

export const submitMaterial: Route = (app, ctx) => {
  app.post('/api/v1/materials/:id/submit', {
    schema: { tags: ['materials'], summary: 'Gửi thẩm định', security: BEARER, params: IdParams, body: Body },
    // A POST without a body (the usual first submission) is an empty note, not a validation error.
    preValidation: (request, _reply, done) => {
      request.body ??= {};
      done();
    },
  }, async (request) => ctx.materials.submit(request.principal, request.params.id, request.body.note?.trim() || null));
};

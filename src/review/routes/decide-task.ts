import { Type } from 'typebox';
import { BEARER, IdParams, type Route } from '../../http/types.js';
import type { Decision } from '../review.service.js';

const Body = Type.Object({
  decision: Type.Union([Type.Literal('approve'), Type.Literal('request_changes'), Type.Literal('reject')]),
  comment: Type.Optional(Type.String({ maxLength: 10_000 })),
}, { additionalProperties: false });

export const decideTask: Route = (app, ctx) => {
  app.post('/api/v1/review/tasks/:id/decision', {
    schema: { tags: ['review'], summary: 'Quyết định: duyệt, yêu cầu chỉnh sửa, hoặc từ chối', security: BEARER, params: IdParams, body: Body },
  }, async (request) => ctx.reviews.decide(request.principal, request.params.id, request.body.decision as Decision, request.body.comment?.trim() || null));
};

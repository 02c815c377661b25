import { Type } from 'typebox';
import { BEARER, IdParams, type Route } from '../../http/types.js';
import { COGNITIVE_LEVELS, QUESTION_TYPES, type CognitiveLevel, type QuestionType } from '../model.js';

const Query = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Tìm trong nội dung câu hỏi, không phân biệt dấu' })),
  type: Type.Optional(Type.Union(QUESTION_TYPES.map((t) => Type.Literal(t)))),
  cognitiveLevel: Type.Optional(Type.Union(COGNITIVE_LEVELS.map((l) => Type.Literal(l)))),
  topic: Type.Optional(Type.String({ maxLength: 500, description: 'Chủ đề và các chủ đề con ("Đại số/Chương 1")' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});

export const listQuestions: Route = (app, ctx) => {
  app.get('/api/v1/materials/:id/questions', {
    schema: {
      tags: ['questions'], security: BEARER, params: IdParams, querystring: Query,
      summary: 'Câu hỏi của ngân hàng câu hỏi, kèm đáp án (cần đăng nhập; phiên bản được phép xem)',
    },
  }, async (request) => {
    const { q, type, cognitiveLevel, topic, limit, offset } = request.query;
    return ctx.questions.list(request.principal, request.params.id,
      { q, type: type as QuestionType | undefined, cognitiveLevel: cognitiveLevel as CognitiveLevel | undefined, topic: topic?.normalize('NFC') },
      { limit: limit ?? 100, offset: offset ?? 0 });
  });
};

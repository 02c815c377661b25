import { Type } from 'typebox';
import { BEARER, type Route } from '../../http/types.js';
import { COGNITIVE_LEVELS, QUESTION_TYPES } from '../../questions/model.js';
import type { GenerateSpec } from '../exam.service.js';

const Cell = Type.Object({
  topic: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  cognitiveLevel: Type.Optional(Type.Union(COGNITIVE_LEVELS.map((l) => Type.Literal(l)))),
  type: Type.Optional(Type.Union(QUESTION_TYPES.map((t) => Type.Literal(t)))),
  count: Type.Integer({ minimum: 1, maximum: 200 }),
  points: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
}, { additionalProperties: false });

const Body = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  banks: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 50 }),
  matrix: Type.Array(Cell, { minItems: 1, maxItems: 200 }),
  variants: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 1 })),
  seed: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Integer()])),
  shuffleOptions: Type.Optional(Type.Boolean({ default: false })),
  format: Type.Optional(Type.Literal('thpt-2025')),
  header: Type.Optional(Type.Object({
    authority: Type.Optional(Type.String({ maxLength: 200 })), school: Type.Optional(Type.String({ maxLength: 200 })),
    exam: Type.Optional(Type.String({ maxLength: 200 })), subject: Type.Optional(Type.String({ maxLength: 200 })),
    durationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export const generateTest: Route = (app, ctx) => {
  app.post('/api/v1/tests/generate', {
    schema: {
      tags: ['tests'], security: BEARER, body: Body,
      summary: 'Sinh đề kiểm tra từ ma trận đề (chủ đề × mức độ nhận thức × loại câu); format=thpt-2025 cho cấu trúc đề tốt nghiệp THPT từ 2025',
      description: 'Cùng seed cho cùng đề. Không câu nào lặp trong một mã đề; các mã đề dùng câu khác nhau khi ngân hàng đủ câu. Ô ma trận không đủ câu: 422 MATRIX_CELL_UNFILLABLE.',
    },
  }, async (request, reply) => {
    const body = request.body;
    const spec: GenerateSpec = {
      title: body.title ?? 'Đề kiểm tra', banks: body.banks, matrix: body.matrix as GenerateSpec['matrix'], variants: body.variants ?? 1,
      seed: body.seed === undefined ? undefined : String(body.seed), shuffleOptions: body.shuffleOptions ?? false, format: body.format, header: body.header,
    };
    return reply.code(201).send(await ctx.exams.generate(request.principal, spec));
  });
};

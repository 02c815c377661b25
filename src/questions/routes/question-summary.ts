import { IdParams, type Route } from '../../http/types.js';

export const questionSummary: Route = (app, ctx) => {
  app.get('/api/v1/materials/:id/questions/summary', {
    schema: { tags: ['questions'], summary: 'Số câu hỏi theo loại, mức độ nhận thức và chủ đề (công khai với ngân hàng đã xuất bản)', params: IdParams },
  }, async (request) => ctx.questions.summary(request.principal, request.params.id));
};

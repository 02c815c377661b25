import { IdParams, type Route } from '../../http/types.js';

export const listQuestions: Route = (app, ctx) => {
  app.get('/api/v1/materials/:id/questions', { schema: { tags: ['questions'], summary: 'Câu hỏi của ngân hàng câu hỏi (phiên bản được phép xem)', params: IdParams } },
    async (request) => ctx.questions.list(request.principal, request.params.id));
};

import { contentDisposition } from '../../files/content-disposition.js';
import type { Route } from '../../http/types.js';
import { buildQuestionTemplateXlsx } from '../formats/tabular/index.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const questionTemplate: Route = (app) => {
  app.get('/api/v1/questions/templates/xlsx', {
    schema: { tags: ['questions'], summary: 'Tệp Excel mẫu để soạn câu hỏi (có hướng dẫn và ví dụ)' },
  }, async (_request, reply) => reply.type(XLSX).header('content-disposition', contentDisposition('mau-ngan-hang-cau-hoi.xlsx')).send(await buildQuestionTemplateXlsx()));
};

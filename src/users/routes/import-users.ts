import { Type } from 'typebox';
import { requireRole } from '../../auth/principal.js';
import { AppError } from '../../core/errors.js';
import { readBounded } from '../../core/streams.js';
import { TABULAR_FILE_MAX_BYTES } from '../../core/tabular-file.js';
import { BEARER, type Route } from '../../http/types.js';
import { readUserFile } from '../user-file.js';

const Query = Type.Object({ dryRun: Type.Optional(Type.Boolean({ default: false, description: 'true: chỉ kiểm tra, không tạo tài khoản nào' })) });

export const importUsers: Route = (app, ctx) => {
  app.post('/api/v1/users/import', {
    schema: {
      tags: ['users'], security: BEARER, querystring: Query, consumes: ['multipart/form-data'],
      summary: 'Tạo nhiều tài khoản từ tệp CSV hoặc XLSX (multipart "file"): tất cả hoặc không tài khoản nào; dryRun=true để kiểm tra trước',
      description: 'Cột: Tên đăng nhập, Họ tên, Mã đơn vị, Vai trò (cách nhau bởi dấu phẩy), Mã định danh, E-mail. Lỗi (422 USER_IMPORT_FAILED) liệt kê theo dòng trong details.problems. Mỗi tài khoản tạo ra có một liên kết dùng một lần để đặt mật khẩu.',
    },
  }, async (request, reply) => {
    // Who may import at all is known before the file is read.
    requireRole(request.principal, 'org-admin');
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw new AppError('FILE_MISSING');
    const bytes = await readBounded(part.file, TABULAR_FILE_MAX_BYTES, () => new AppError('FILE_TOO_LARGE', { limit: TABULAR_FILE_MAX_BYTES }));
    if (bytes.length === 0) throw new AppError('FILE_EMPTY');
    const dryRun = request.query.dryRun ?? false;
    const result = await ctx.userImport.import(request.principal, await readUserFile(bytes), { dryRun });
    return reply.code(dryRun ? 200 : 201).send(result);
  });
};

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { readBounded } from '../../core/streams.js';
import { TABULAR_FILE_MAX_BYTES } from '../../core/tabular-file.js';
import { AdminBackLink, requireAdministrator } from '../../web/components/admin.js';
import { Button, CsrfField, FormError } from '../../web/components/form.js';
import { formatDate, formatTime } from '../../web/components/format.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import { handlePostedFile } from '../../web/posted-file.js';
import type { PageRenderer } from '../../web/render.js';
import { readUserFile, USER_FILE_MAX_ROWS, type UserFileRow } from '../user-file.js';
import type { ImportProblem } from '../user-import.service.js';
import { ROLE_NAMES, userPath } from './user-fields.js';

const ConfirmBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  rows: Type.Optional(Type.String({ maxLength: 480_000 })),
});

const COLUMNS: Array<[keyof Omit<UserFileRow, 'line'>, string]> = [
  ['username', 'Tên đăng nhập'], ['displayName', 'Họ tên'], ['orgCode', 'Mã đơn vị'], ['roles', 'Vai trò'], ['personalId', 'Mã định danh'], ['email', 'E-mail'],
];

interface View { message?: string; rows?: UserFileRow[]; problems?: ImportProblem[]; created?: Array<{ line: number; id: string; username: string; passwordLink: { url: string; expiresAt: Date } }> }

/** Every row of the file, with its problems beside it (the dry run), then the confirmation when there are none. */
function RowsTable({ rows, problems }: { rows: UserFileRow[]; problems: ImportProblem[] }) {
  const byLine = new Map<number, ImportProblem[]>();
  for (const problem of problems) byLine.set(problem.line, [...(byLine.get(problem.line) ?? []), problem]);
  return (
    <table>
      <caption>Các dòng của tệp ({rows.length})</caption>
      <thead><tr><th scope="col">Dòng</th>{COLUMNS.map(([, label]) => <th scope="col">{label}</th>)}<th scope="col">Kết quả kiểm tra</th></tr></thead>
      <tbody>
        {rows.map((row) => {
          const lineProblems = byLine.get(row.line) ?? [];
          return (
            <tr class={lineProblems.length ? 'row-error' : undefined}>
              <th scope="row">{row.line}</th>
              {COLUMNS.map(([key]) => <td>{row[key]}</td>)}
              <td>{lineProblems.length ? <ul class="plain-list">{lineProblems.map((p) => <li class="field-error">{p.message}</li>)}</ul> : 'Hợp lệ'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function send(pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, view: View, status = 200) {
  requireAdministrator(request.principal);
  const csrfToken = reply.generateCsrf();
  const valid = view.rows && view.problems?.length === 0;
  return pages.send(request, reply, {
    status, title: 'Nhập tài khoản từ bảng tính', description: 'Tạo nhiều tài khoản từ tệp CSV hoặc XLSX, kiểm tra trước khi tạo.', cache: 'no-store',
    body: (
      <>
        <AdminBackLink to="/quan-tri/nguoi-dung" label="Người dùng" />
        <h1>Nhập tài khoản từ bảng tính</h1>
        <FormError message={view.message} />
        {view.created ? (
          <section aria-labelledby="da-tao">
            <h2 id="da-tao">Đã tạo {view.created.length} tài khoản</h2>
            <p>Gửi cho từng người liên kết đặt mật khẩu của họ. Liên kết dùng được một lần và chỉ hiện lần này.</p>
            <table>
              <caption class="visually-hidden">Tài khoản đã tạo và liên kết đặt mật khẩu</caption>
              <thead><tr><th scope="col">Dòng</th><th scope="col">Tên đăng nhập</th><th scope="col">Liên kết đặt mật khẩu</th><th scope="col">Hết hạn</th></tr></thead>
              <tbody>
                {view.created.map((account) => (
                  <tr>
                    <th scope="row">{account.line}</th>
                    <td><a href={userPath(account.id)}>{account.username}</a></td>
                    <td><code class="secret-link">{account.passwordLink.url}</code></td>
                    <td>{formatTime(account.passwordLink.expiresAt)} {formatDate(account.passwordLink.expiresAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        {view.rows ? (
          <section aria-labelledby="kiem-tra">
            <h2 id="kiem-tra">{valid ? 'Kiểm tra xong: tệp hợp lệ' : `Tệp có ${view.problems!.length} lỗi: chưa tạo tài khoản nào`}</h2>
            <RowsTable rows={view.rows} problems={view.problems ?? []} />
            {valid ? (
              <form method="post" action="/quan-tri/nguoi-dung/nhap/tao">
                <CsrfField token={csrfToken} />
                <input type="hidden" name="rows" value={JSON.stringify(view.rows)} />
                <Button>Tạo {view.rows.length} tài khoản</Button>
              </form>
            ) : <p>Sửa các dòng lỗi trong tệp rồi kiểm tra lại. Tài khoản chỉ được tạo khi mọi dòng đều hợp lệ.</p>}
          </section>
        ) : null}
        {view.created ? null : (
          <form method="post" action="/quan-tri/nguoi-dung/nhap" enctype="multipart/form-data">
            <CsrfField token={csrfToken} />
            <p>Tệp CSV hoặc XLSX, dòng đầu là tiêu đề với các cột: Tên đăng nhập, Họ tên, Mã đơn vị, Vai trò (nhiều vai trò cách nhau bởi dấu phẩy:
              {' '}{Object.keys(ROLE_NAMES).join(', ')}), Mã định danh, E-mail (hai cột cuối không bắt buộc). Tối đa {USER_FILE_MAX_ROWS} dòng.</p>
            <div class="field">
              <label for="truong-tep">Tệp danh sách tài khoản</label>
              <input id="truong-tep" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
            </div>
            <Button>Kiểm tra tệp</Button>
          </form>
        )}
      </>
    ),
  });
}

/** Runs the import (dry or not) and shows its outcome: the rows with their problems, or the accounts created. */
async function run(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, rows: UserFileRow[], dryRun: boolean) {
  try {
    const result = await ctx.userImport.import(request.principal, rows, { dryRun });
    if (result.dryRun) return send(pages, request, reply, { rows, problems: [] });
    return send(pages, request, reply, { created: result.accounts });
  } catch (error) {
    if (error instanceof AppError && error.code === 'USER_IMPORT_FAILED') {
      const details = error.details as { rows: UserFileRow[]; problems: ImportProblem[] };
      return send(pages, request, reply, { rows: details.rows, problems: details.problems, message: error.describe('vi') }, 422);
    }
    if (error instanceof AppError && error.status < 500 && error.status !== 401 && error.status !== 403) return send(pages, request, reply, { message: error.describe('vi') }, error.status);
    throw error;
  }
}

function isFileRow(value: unknown): value is UserFileRow {
  const row = value as Record<string, unknown>;
  return !!row && typeof row === 'object' && Number.isInteger(row.line) && COLUMNS.every(([key]) => typeof row[key] === 'string' && (row[key] as string).length <= 1000);
}

export const userImportPage: Page = (app, ctx, pages) => {
  app.get('/quan-tri/nguoi-dung/nhap', { schema: { hide: true } }, (request, reply) => send(pages, request, reply, {}));
  // The file is checked (a dry run) and its rows shown; they come back as data with the confirmation, and are checked again then.
  app.post('/quan-tri/nguoi-dung/nhap', { schema: { hide: true } }, async (request, reply) => {
    requireAdministrator(request.principal);
    return handlePostedFile(app, request, reply, async (part) => {
      const bytes = await readBounded(part.file, TABULAR_FILE_MAX_BYTES, () => new AppError('FILE_TOO_LARGE', { limit: TABULAR_FILE_MAX_BYTES }));
      if (bytes.length === 0) return send(pages, request, reply, { message: new AppError('FILE_EMPTY').describe('vi') }, 400);
      let rows: UserFileRow[];
      try {
        rows = await readUserFile(bytes);
      } catch (error) {
        if (error instanceof AppError && error.status < 500) return send(pages, request, reply, { message: error.describe('vi') }, error.status);
        throw error;
      }
      return run(ctx, pages, request, reply, rows, true);
    }, () => send(pages, request, reply, { message: 'Hãy chọn tệp danh sách tài khoản.' }, 400));
  });
  app.post('/quan-tri/nguoi-dung/nhap/tao', { schema: { hide: true, body: ConfirmBody }, preHandler: requireCsrf(app) }, async (request, reply) => {
    requireAdministrator(request.principal);
    let rows: unknown;
    try {
      rows = JSON.parse(request.body.rows ?? '');
    } catch {
      rows = null;
    }
    if (!Array.isArray(rows) || rows.length === 0 || rows.length > USER_FILE_MAX_ROWS || !rows.every(isFileRow)) {
      return send(pages, request, reply, { message: 'Không đọc được danh sách đã kiểm tra: hãy kiểm tra lại tệp.' }, 400);
    }
    return run(ctx, pages, request, reply, rows, false);
  });
};

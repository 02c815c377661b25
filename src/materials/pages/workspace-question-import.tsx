import { Type } from 'typebox';
import { AppError } from '../../core/errors.js';
import { readBounded } from '../../core/streams.js';
import { IMPORT_FORMATS } from '../../questions/formats/index.js';
import type { ImportMode } from '../../questions/question.service.js';
import { Button, CsrfField } from '../../web/components/form.js';
import { count } from '../../web/components/format.js';
import { checkCsrfToken } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import { sendWorkspace } from './workspace-material-page.js';
import { workspacePath } from './workspace-page.js';

/**
 * Question-bank import from the workspace page: a multipart form whose first step is the dry run
 * (what would be imported, the errors by line), the second the import itself. A small file rides
 * along in the preview's form (base64), so confirming needs no second choice of the file; a large
 * one is chosen again. Nothing is kept on the server between the two steps.
 */
const CARRY_MAX_BYTES = 512 * 1024;
const Params = Type.Object({ id: Type.String({ maxLength: 100 }) });
const FORMAT_NAMES: Record<string, string> = { auto: 'Tự nhận biết', gift: 'GIFT', 'moodle-xml': 'Moodle XML', qti: 'QTI 2.1/3.0', aiken: 'Aiken', csv: 'CSV theo mẫu', xlsx: 'Excel (.xlsx) theo mẫu', docx: 'Word (.docx)' };

interface Issue { item: number; line?: number; message: string }
export interface ImportPreview {
  fileName: string;
  format: string;
  partial: boolean;
  /** The file, when small enough to ride along to the confirmation. */
  carried: string | null;
  questions: Array<{ type: string; stem: string }>;
  errors: Issue[];
  warnings: string[];
  /** After a refused import (all or nothing): its message. */
  failed?: string;
}

const plain = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();

function Preview({ preview }: { preview: ImportPreview }) {
  return (
    <div aria-labelledby="xem-truoc" data-import-preview>
      <h3 id="xem-truoc">Xem trước: {preview.fileName} ({FORMAT_NAMES[preview.format] ?? preview.format})</h3>
      {preview.failed ? <p class="form-error" role="alert">{preview.failed}</p> : null}
      <p>Sẽ nhập <strong>{count(preview.questions.length)}</strong> câu hỏi; <strong>{count(preview.errors.length)}</strong> câu có lỗi.</p>
      {preview.errors.length ? (
        <>
          <h4>Lỗi theo dòng</h4>
          <ul class="field-error">{preview.errors.map((e) => <li>{e.line ? `Dòng ${e.line}: ` : `Câu ${e.item}: `}{e.message}</li>)}</ul>
        </>
      ) : null}
      {preview.warnings.length ? <ul>{preview.warnings.map((w) => <li>{w}</li>)}</ul> : null}
      {preview.questions.length ? (
        <ol>{preview.questions.slice(0, 50).map((q) => <li><span class="badge">{q.type}</span> {plain(q.stem).slice(0, 300)}</li>)}</ol>
      ) : null}
      {preview.questions.length > 50 ? <p class="meta">… và {count(preview.questions.length - 50)} câu khác.</p> : null}
    </div>
  );
}

export function QuestionImportForm({ action, csrfToken, preview }: { action: string; csrfToken: string; preview?: ImportPreview }) {
  return (
    <section aria-labelledby="nhap-cau-hoi">
      <h2 id="nhap-cau-hoi">Nhập câu hỏi từ tệp</h2>
      {preview ? <Preview preview={preview} /> : null}
      <form method="post" action={action} enctype="multipart/form-data">
        <CsrfField token={csrfToken} />
        {preview?.carried ? (
          <>
            <input type="hidden" name="noi-dung" value={preview.carried} />
            <input type="hidden" name="ten-tep" value={preview.fileName} />
            <p>Tệp <strong>{preview.fileName}</strong> đã được giữ lại: bấm “Nhập câu hỏi” để nhập, hoặc chọn tệp khác.</p>
          </>
        ) : preview ? <p>Để nhập, hãy chọn lại tệp <strong>{preview.fileName}</strong>.</p> : null}
        <div class="field">
          <label for="truong-dinh-dang">Định dạng</label>
          <select id="truong-dinh-dang" name="format">
            {['auto', ...IMPORT_FORMATS].map((f) => <option value={f} selected={f === (preview?.format ?? 'auto')}>{FORMAT_NAMES[f] ?? f}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="truong-tep-cau-hoi">Tệp câu hỏi</label>
          <p class="hint" id="truong-tep-cau-hoi-goi-y">GIFT, Moodle XML, QTI, Aiken, CSV hoặc Excel theo mẫu, Word. Xem trước trước khi nhập; mặc định nhập tất cả hoặc không câu nào.</p>
          <input type="file" id="truong-tep-cau-hoi" name="file" aria-describedby="truong-tep-cau-hoi-goi-y" />
        </div>
        <div class="field choice">
          <input type="checkbox" id="truong-chi-cau-hop-le" name="mode" value="partial" checked={preview?.partial} />
          <label for="truong-chi-cau-hop-le">Chỉ nhập các câu hợp lệ, bỏ qua câu có lỗi</label>
        </div>
        <div class="actions">
          <Button name="buoc" value="xem-truoc">Xem trước</Button>
          {preview ? <Button name="buoc" value="nhap">Nhập câu hỏi</Button> : null}
        </div>
      </form>
    </section>
  );
}

export const workspaceQuestionImport: Page = (app, ctx, pages) => {
  app.post('/cua-toi/hoc-lieu/:id/cau-hoi', { schema: { hide: true, params: Params } }, async (request, reply) => {
    const id = request.params.id;
    const fields: Record<string, string> = {};
    let file: { name: string; bytes: Buffer } | null = null;
    const limit = ctx.config.questionImportMaxBytes;
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const bytes = await readBounded(part.file, limit, () => new AppError('FILE_TOO_LARGE', { limit }));
      if (bytes.length > 0) file = { name: part.filename.normalize('NFC'), bytes };
    }
    await checkCsrfToken(app, request, reply, fields._csrf);
    file ??= fields['noi-dung'] ? { name: (fields['ten-tep'] ?? 'cau-hoi').normalize('NFC'), bytes: Buffer.from(fields['noi-dung'], 'base64') } : null;
    if (!file) return sendWorkspace(ctx, pages, request, reply, id, { message: 'Hãy chọn tệp câu hỏi.' }, 400);
    const format = (['auto', ...IMPORT_FORMATS] as string[]).includes(fields.format ?? '') ? (fields.format as ImportMode['format']) : 'auto';
    const partial = fields.mode === 'partial';
    const carried = file.bytes.length <= CARRY_MAX_BYTES ? file.bytes.toString('base64') : null;
    const preview = async (failed?: string) => {
      const result = await ctx.questions.import(request.principal, id, file!, { format, dryRun: true, partial });
      return {
        fileName: file!.name, format: result.format, partial, carried, failed, errors: result.errors, warnings: result.warnings.map((w) => w.message),
        questions: (result as { questions?: Array<{ type: string; stem: string }> }).questions ?? [],
      } satisfies ImportPreview;
    };
    try {
      if (fields.buoc !== 'nhap') return sendWorkspace(ctx, pages, request, reply, id, { preview: await preview() });
      await ctx.questions.import(request.principal, id, file, { format, dryRun: false, partial });
    } catch (error) {
      if (error instanceof AppError && error.code === 'QUESTION_IMPORT_FAILED') return sendWorkspace(ctx, pages, request, reply, id, { preview: await preview(error.describe('vi')) }, 422);
      if (error instanceof AppError && error.status < 500 && error.status !== 401 && error.status !== 404) return sendWorkspace(ctx, pages, request, reply, id, { message: error.describe('vi') }, error.status);
      throw error;
    }
    return reply.header('cache-control', 'no-store').redirect(`${workspacePath(id)}?thong-bao=da-nhap`, 303);
  });
};

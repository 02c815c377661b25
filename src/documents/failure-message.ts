import { withoutPaths } from '../media/failure-message.js';
import { PasswordProtected } from './tools/poppler.js';
import { ToolError } from './tools/run-tool.js';

/** A document that cannot be previewed as it is: final (never retried), its message written for the user. */
export class DocumentInputError extends Error {}

const REASONS: Record<ToolError['kind'], string> = {
  failed: 'Không mở được tài liệu: tệp hỏng, không đúng định dạng hoặc được bảo vệ bằng mật khẩu.',
  timeout: 'Xử lý tài liệu quá thời gian cho phép nên đã bị dừng (tài liệu quá nặng hoặc bất thường).',
  memory: 'Xử lý tài liệu vượt giới hạn bộ nhớ nên đã bị dừng (tài liệu quá nặng hoặc bất thường).',
};

/** Whether a failure is the document's (final) rather than the system's (retried by the queue). */
export function isDocumentFault(error: unknown): boolean {
  // A tool that fails, hangs or swells on a file will do so again: retrying only holds up the worker.
  return error instanceof DocumentInputError || error instanceof ToolError || error instanceof PasswordProtected;
}

/**
 * What the people who see the file are told: the reason in Vietnamese, then the tool's own
 * words without server paths. Errors that are not about the file say only that the system failed.
 */
export function describeDocumentFailure(error: unknown): string {
  if (error instanceof PasswordProtected) return 'Tài liệu PDF được bảo vệ bằng mật khẩu nên không tạo được bản xem trước. Hãy tải lên bản không đặt mật khẩu mở tệp.';
  if (error instanceof ToolError) {
    const detail = [error.message, error.stderrTail.slice(-1000)].filter(Boolean).join('\n');
    return withoutPaths(`${REASONS[error.kind]}\nChi tiết: ${detail}`);
  }
  if (error instanceof DocumentInputError) return withoutPaths(error.message);
  return 'Lỗi hệ thống khi xử lý tài liệu; quản trị viên xem chi tiết ở danh sách tác vụ nền.';
}

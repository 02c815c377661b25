import { FfmpegError } from './ffmpeg/runner.js';

// A path that starts at a word boundary with / (or a drive letter) and has at least one directory.
const DIRECTORIES = /(^|[\s'"`(=[<])((?:[A-Za-z]:)?[\\/](?:[^\s\\/'"`()[\]<>]+[\\/])+)/g;

/**
 * Text with the directories of every absolute path removed ("/tmp/hoclieu-media-x1/source"
 * becomes "source"): the temporary folders and binaries of a worker are nobody's business.
 */
export function withoutPaths(text: string): string {
  return text.replace(DIRECTORIES, '$1');
}

/** A file that cannot be processed as it is: final (never retried), its message written for the user. */
export class MediaInputError extends Error {}

const FFMPEG_REASONS: Record<FfmpegError['kind'], string> = {
  failed: 'Không xử lý được tệp: ffmpeg báo lỗi (tệp hỏng hoặc định dạng không được hỗ trợ).',
  timeout: 'Xử lý tệp quá thời gian cho phép nên đã bị dừng; hệ thống sẽ thử lại.',
  stalled: 'Tiến trình xử lý bị treo (không tiến triển) nên đã bị dừng; hệ thống sẽ thử lại.',
};

/**
 * What a failed media job tells the people who see the file (processing.error, the QC report): a
 * reason in Vietnamese, then the technical detail without server paths. Errors that are not about
 * the file (storage, database) say only that the system failed; their text stays in the job's log.
 */
export function describeMediaFailure(error: unknown): string {
  if (error instanceof FfmpegError) {
    const detail = [error.message, error.stderrTail.slice(-1500)].filter(Boolean).join('\n');
    return withoutPaths(`${FFMPEG_REASONS[error.kind]}\nChi tiết: ${detail}`);
  }
  if (error instanceof MediaInputError) return withoutPaths(error.message);
  return 'Lỗi hệ thống khi xử lý tệp; quản trị viên xem chi tiết ở danh sách tác vụ nền.';
}

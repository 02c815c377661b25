import type { MaterialStatus } from '../../core/db/schema.js';

/** A material's state as teachers and reviewers read it. */
export const STATUS_NAMES: Record<MaterialStatus, string> = {
  draft: 'Bản nháp',
  in_review: 'Đang thẩm định',
  changes_requested: 'Cần chỉnh sửa',
  rejected: 'Không được duyệt',
  published: 'Đã xuất bản',
  archived: 'Đã lưu trữ',
};

/** The kind of org a review stage sits in: where a submission waits. */
export function stageKindName(kind: string): string {
  if (kind === 'school') return 'Cấp trường';
  if (kind === 'province') return 'Cấp Sở GDĐT';
  if (kind === 'department') return 'Cấp Bộ (vụ, cục)';
  return 'Cấp đơn vị';
}

/** A media file's processing state (queued, running with percent, ready, failed). */
export function processingText(processing: { state: string; progress: number; error?: string | null } | undefined): string | null {
  if (!processing) return null;
  if (processing.state === 'ready') return 'Đã xử lý xong';
  if (processing.state === 'failed') return 'Xử lý thất bại';
  if (processing.state === 'running') return `Đang xử lý: ${Math.round(processing.progress)}%`;
  return 'Đang chờ xử lý';
}

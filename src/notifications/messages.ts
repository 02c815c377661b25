import { DISPLAY_TIMEZONE } from '../core/zoned-time.js';
import type { NotificationData, NotificationKind } from './model.js';

export interface NotificationText {
  /** One line: the inbox row and the e-mail's subject. */
  title: string;
  /** What follows it: the reviewer's comment, the reason of a failure. */
  detail: string | null;
  /** Where to act on it, a path of the portal. */
  path: string | null;
}

/** The words for the events users may ask by e-mail, as the preferences page lists them. */
export const KIND_NAMES: Record<NotificationKind, string> = {
  task_queued: 'Có học liệu mới chờ thẩm định ở cấp của tôi',
  claim_expiring: 'Nhiệm vụ thẩm định tôi đã nhận sắp hết hạn',
  changes_requested: 'Học liệu của tôi được yêu cầu chỉnh sửa',
  approved: 'Học liệu của tôi được duyệt ở một cấp thẩm định',
  published: 'Học liệu của tôi được xuất bản',
  rejected: 'Học liệu của tôi bị từ chối',
  media_failed: 'Xử lý tệp video, âm thanh, hình ảnh của tôi bị lỗi',
  document_failed: 'Xử lý tệp tài liệu của tôi bị lỗi',
  youtube_export_done: 'Xuất bản lên YouTube do tôi yêu cầu đã xong',
  youtube_export_failed: 'Xuất bản lên YouTube do tôi yêu cầu bị lỗi',
};

const quoted = (data: NotificationData) => `“${data.title ?? 'học liệu'}”`;

/** A notification in Vietnamese, from what the event recorded. */
export function describeNotification(n: { kind: NotificationKind; data: NotificationData; materialId: string | null }): NotificationText {
  const workspace = n.materialId ? `/cua-toi/hoc-lieu/${n.materialId}` : null;
  const review = n.data.taskId ? `/tham-dinh/${n.data.taskId}` : '/tham-dinh';
  const d = n.data;
  switch (n.kind) {
    case 'task_queued':
      return { title: `${quoted(d)} đang chờ thẩm định${d.stage ? ` tại ${d.stage}` : ''}`, detail: null, path: review };
    case 'claim_expiring':
      return { title: `Nhiệm vụ thẩm định ${quoted(d)} bạn đã nhận sắp hết hạn`, detail: d.expiresAt ? `Hết hạn lúc ${vietnamTime(d.expiresAt)} (giờ Việt Nam); sau đó nhiệm vụ trở lại hàng đợi.` : null, path: review };
    case 'changes_requested':
      return { title: `${quoted(d)} được yêu cầu chỉnh sửa`, detail: d.comment ? `Ý kiến người thẩm định: ${d.comment}` : null, path: workspace };
    case 'approved':
      return { title: `${quoted(d)} đã được duyệt${d.stage ? ` tại ${d.stage}` : ''} và chuyển lên cấp tiếp theo`, detail: null, path: workspace };
    case 'published':
      return { title: `${quoted(d)} đã được xuất bản`, detail: null, path: workspace };
    case 'rejected':
      return { title: `${quoted(d)} bị từ chối`, detail: d.comment ? `Lý do: ${d.comment}` : null, path: workspace };
    case 'media_failed':
    case 'document_failed':
      return { title: `Không xử lý được tệp${d.fileName ? ` “${d.fileName}”` : ''} của ${quoted(d)}`, detail: d.reason ?? null, path: workspace };
    case 'youtube_export_done':
      return { title: `${quoted(d)} đã lên YouTube${d.channel ? ` (kênh ${d.channel})` : ''}`, detail: d.videoId ? `https://www.youtube.com/watch?v=${d.videoId}` : null, path: '/xuat-ban' };
    case 'youtube_export_failed':
      return { title: `Không xuất bản được ${quoted(d)} lên YouTube${d.channel ? ` (kênh ${d.channel})` : ''}`, detail: d.reason ?? null, path: '/xuat-ban' };
  }
}

const clock = new Intl.DateTimeFormat('vi-VN', { timeZone: DISPLAY_TIMEZONE, hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'numeric', hourCycle: 'h23' });

function vietnamTime(iso: string): string {
  return clock.format(new Date(iso));
}

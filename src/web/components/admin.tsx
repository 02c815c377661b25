import { requireRole, type Principal } from '../../auth/principal.js';

/** The administrators' sections (/quan-tri/…), with who may open each: admins all, org-admins theirs. */
export const ADMIN_SECTIONS = [
  { path: '/quan-tri/don-vi', title: 'Cây đơn vị', description: 'Xem, tạo, đổi tên, đổi phạm vi thẩm định, chuyển hoặc sáp nhập đơn vị (có xem trước).', adminOnly: false },
  { path: '/quan-tri/nguoi-dung', title: 'Người dùng', description: 'Tìm, tạo, sửa, khoá và mở khoá tài khoản; nhập danh sách từ bảng tính.', adminOnly: false },
  { path: '/quan-tri/tac-vu', title: 'Tác vụ nền', description: 'Tác vụ lỗi và tác vụ bị treo: chạy lại hoặc huỷ.', adminOnly: true },
  { path: '/quan-tri/nhat-ky', title: 'Nhật ký hệ thống', description: 'Ai đã làm gì, ở đơn vị nào, với học liệu nào, khi nào.', adminOnly: false },
] as const;

/** Who may open the administration pages at all: admins and org-admins (the rest get the 403 page). */
export function requireAdministrator(principal: Principal | null): Principal {
  return requireRole(principal, 'org-admin');
}

export function sectionsFor(principal: Principal) {
  return ADMIN_SECTIONS.filter((section) => !section.adminOnly || principal.roles.includes('admin'));
}

/** The way back to the administration home, above each section's heading. */
export function AdminBackLink({ to = '/quan-tri', label = 'Quản trị' }: { to?: string; label?: string }) {
  return <p><a href={to}>‹ {label}</a></p>;
}

/** A one-line message after a form action (`?thong-bao=<code>`), announced politely. */
export function Notice({ text }: { text: string | null | undefined }) {
  return text ? <p class="notice" role="status">{text}</p> : null;
}

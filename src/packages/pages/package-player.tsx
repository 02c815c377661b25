import type { PackageView } from '../package.service.js';

const KIND_NAMES: Record<string, string> = { scorm12: 'SCORM 1.2', scorm2004: 'SCORM 2004', html5: 'HTML5', h5p: 'H5P' };

/**
 * An interactive package in the page: framed from the content origin (another site, see
 * src/packages/content/) in a sandbox without top navigation, pop-ups or downloads. Same-origin is
 * kept inside the sandbox because the SCO must reach the wrapper's API object; that origin is not
 * the app's, so the package still reaches nothing of the app. Pages that show it add
 * `frameSources: [ctx.packages.contentOrigin]` to their options.
 */
export function PackagePlayer({ view, title }: { view: PackageView; title: string }) {
  if (view.state === 'failed') return <p class="field-error" data-package="failed">Gói học liệu tương tác không phát được. {view.error}</p>;
  if (!view.playerUrl) return <p class="meta" data-package={view.state}>Đang kiểm tra gói học liệu tương tác… Tải lại trang sau ít phút để xem.</p>;
  return (
    <figure class="package-player" data-package="ready">
      <iframe src={view.playerUrl} title={`${title} (${KIND_NAMES[view.kind ?? ''] ?? 'gói tương tác'})`} sandbox="allow-scripts allow-same-origin allow-forms allow-modals"
        allow="fullscreen; autoplay" referrerpolicy="no-referrer" loading="lazy" />
      <figcaption class="meta">Học liệu tương tác {KIND_NAMES[view.kind ?? ''] ?? ''}. Kết quả học được lưu khi bạn đã đăng nhập.</figcaption>
    </figure>
  );
}

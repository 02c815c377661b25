/// <reference lib="dom" />
/**
 * The YouTube export queue of the publisher console (src/publishing/pages/console-page.tsx) kept
 * up to date while exports wait or run: the page is fetched again every few seconds and its queue
 * replaces the one shown. Without this island the page says to reload it, and shows the same.
 */
const REFRESH_MS = 3000;
const OPEN_STATES = ['queued', 'deferred', 'uploading', 'processing'];

function hasOpenExports(queue: Element): boolean {
  return [...queue.querySelectorAll<HTMLElement>('[data-export-state]')].some((row) => OPEN_STATES.includes(row.dataset.exportState ?? ''));
}

function setUp(queue: HTMLElement): void {
  const status = document.createElement('p');
  status.className = 'meta';
  // Polite and brief: a screen reader hears that the queue changed, not every row again.
  status.setAttribute('role', 'status');
  queue.after(status);
  const refresh = async (): Promise<void> => {
    if (!hasOpenExports(queue)) return;
    try {
      const answer = await fetch(queue.dataset.exportQueue || '/xuat-ban', { headers: { accept: 'text/html' }, cache: 'no-store' });
      if (!answer.ok) return;
      const fresh = new DOMParser().parseFromString(await answer.text(), 'text/html').querySelector('[data-export-queue]');
      if (fresh && fresh.innerHTML !== queue.innerHTML) {
        queue.innerHTML = fresh.innerHTML;
        status.textContent = `Hàng đợi đã cập nhật lúc ${new Date().toLocaleTimeString('vi-VN')}.`;
      }
    } finally {
      if (hasOpenExports(queue)) window.setTimeout(() => void refresh(), REFRESH_MS);
    }
  };
  window.setTimeout(() => void refresh(), REFRESH_MS);
}

for (const queue of document.querySelectorAll<HTMLElement>('[data-export-queue]')) setUp(queue);

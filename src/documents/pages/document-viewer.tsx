import type { DocumentView } from '../document-view.js';

/**
 * A document's preview in a page: its pages as images, lazy-loaded (only the first is fetched with
 * the page), sized by srcset for the screen, with each page's text beneath for screen readers and
 * search engines. Plain HTML: it works on any phone without pdf.js or any script. Its only input
 * is the document JSON (GET /api/v1/files/:id/document with its text), so any page can show it.
 */
export function DocumentViewer({ document, title }: { document: DocumentView; title: string }) {
  if (document.state === 'queued' || document.state === 'running') return <p class="meta" role="status">Đang tạo bản xem trước của tài liệu…</p>;
  if (document.state === 'failed') return <p class="field-error">Không tạo được bản xem trước của tài liệu. {document.error ?? ''}</p>;
  if (document.state === 'unavailable') {
    return (
      <p class="notice document-unavailable">
        Bản xem trước không khả dụng trên máy chủ này (preview not available on this server). Tệp vẫn tải xuống được.
        {document.missingPackages?.length ? <> Quản trị viên cần cài: <code>apt-get install -y {document.missingPackages.join(' ')}</code></> : null}
      </p>
    );
  }
  const texts = new Map((document.text ?? []).map((page) => [page.number, page.text]));
  const total = document.pageCount ?? document.pages.length;
  const label = document.kind === 'epub' ? 'Phần' : 'Trang';
  return (
    <section class="document-viewer" aria-label={`Xem trước tài liệu: ${title}`}>
      <p class="meta">
        {total} {label.toLowerCase()}
        {document.pdf ? <> · <a href={document.pdf}>Mở bản PDF</a></> : null}
      </p>
      {document.legacyEncoding ? (
        <p class="notice" role="note">
          Tài liệu được gõ bằng phông chữ cũ ({document.legacyEncoding === 'tcvn3' ? 'TCVN3 (ABC), ví dụ .VnTime' : 'VNI, ví dụ VNI-Times'}): chữ có thể hiện sai và không tìm kiếm được.
          Tác giả nên chuyển tài liệu sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi tải lên lại.
        </p>
      ) : null}
      {document.kind === 'epub' && document.poster ? <img class="document-cover" src={document.poster} alt={`Bìa: ${title}`} /> : null}
      <ol class="document-pages">
        {Array.from({ length: total }, (_, index) => {
          const number = index + 1;
          const page = document.pages.find((p) => p.number === number);
          const text = texts.get(number);
          const smallest = page?.images[page.images.length - 1];
          return (
            <li>
              {page?.image && smallest ? (
                <figure>
                  <img
                    src={smallest.url} srcset={page.images.map((image) => `${image.url} ${image.width}w`).join(', ')} sizes="(max-width: 56rem) 100vw, 56rem"
                    width={page.width ?? undefined} height={page.height ?? undefined} loading={number === 1 ? 'eager' : 'lazy'} decoding="async"
                    alt={`${label} ${number} / ${total}: ${title}`}
                  />
                  <figcaption class="meta">{label} {number} / {total}</figcaption>
                </figure>
              ) : null}
              {text ? (
                <details open={!page?.image}>
                  <summary>{page?.image ? `Văn bản trang ${number}` : `${label} ${number}`}</summary>
                  <p class="document-text">{text}</p>
                </details>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

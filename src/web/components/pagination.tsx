/** Page links as plain URLs: a few around the current page, the first and the last. */
export function Pagination({ page, totalPages, href }: { page: number; totalPages: number; href: (page: number) => string }) {
  if (totalPages <= 1) return null;
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, totalPages])].filter((p) => p >= 1 && p <= totalPages).sort((a, b) => a - b);
  return (
    <nav class="pagination" aria-label="Phân trang">
      <ul>
        {page > 1 ? <li><a href={href(page - 1)} rel="prev">‹ Trang trước</a></li> : null}
        {shown.map((p) => (
          <li>{p === page ? <span aria-current="page">{p}</span> : <a href={href(p)} aria-label={`Trang ${p}`}>{p}</a>}</li>
        ))}
        {page < totalPages ? <li><a href={href(page + 1)} rel="next">Trang sau ›</a></li> : null}
      </ul>
    </nav>
  );
}
